import Dispatch
import EventSourcing
import Foundation
import Synchronization

/// Writes log lines to a file descriptor from a thread of its own, so logging never makes
/// a request wait on `write(2)`: a pipe to a slow reader (a stalled journald, a paused
/// `| less`, a full disk behind a redirect) would otherwise stall Swift's cooperative pool,
/// one thread per core, and with it every request.
///
/// A caller appends the line to a bounded buffer and returns; the thread takes the whole
/// buffer and writes it in as few `write` calls as the descriptor accepts, so under load
/// many lines leave in one syscall. Lines are written whole and in the order they were
/// appended. When the buffer is full (the reader has stopped), lines are dropped and
/// counted, and the first line accepted afterwards is preceded by a note with the count
/// (rendered by the caller, in the log's format): memory stays bounded and the loss shows.
///
/// The thread is woken only when a line arrives to an empty buffer it is not writing from,
/// then waits `coalescing` before it takes the buffer, so lines arriving meanwhile leave with
/// it: under load a wake-up carries many lines. (Signalling it for every line cost a futex
/// wake and a context switch per request: 6% of the cooperative pool under a GET load.)
///
/// Lines still buffered when the process is killed are lost; `flush` waits for them on a
/// clean exit.
final class LogLineWriter: Sendable {
    private struct Buffer {
        var bytes: [UInt8] = []
        var dropped = 0
        /// The thread holds bytes it has taken but not yet written.
        var writing = false
    }

    let descriptor: Int32
    let capacity: Int
    /// How long the thread waits after a wake-up before it takes the buffer.
    let coalescing: Duration
    private let buffer = Mutex(Buffer())
    private let wakeup = DispatchSemaphore(value: 0)
    private let signals = Atomic<Int>(0)

    /// Starts the writing thread; `capacity` bounds the bytes waiting to be written.
    init(descriptor: Int32, capacity: Int = 4 << 20, coalescing: Duration = .milliseconds(2)) {
        (self.descriptor, self.capacity, self.coalescing) = (descriptor, max(1, capacity), coalescing)
        let thread = Thread { [self] in run() }
        thread.name = "logbook-log"
        thread.start()
    }

    /// Queues `line` (a newline is added). `dropNote` renders the note that precedes it
    /// when lines were dropped since the last accepted one.
    func append(_ line: String, dropNote: (Int) -> String) {
        let wake = buffer.withLock { buffer in
            let note = buffer.dropped > 0 ? dropNote(buffer.dropped) : nil
            let needed = line.utf8.count + 1 + (note.map { $0.utf8.count + 1 } ?? 0)
            guard buffer.bytes.count + needed <= capacity else {
                buffer.dropped += 1
                return false
            }
            // The thread is asleep only when the buffer is empty and it is not writing.
            let idle = buffer.bytes.isEmpty && !buffer.writing
            if let note {
                buffer.bytes += note.utf8
                buffer.bytes.append(UInt8(ascii: "\n"))
                buffer.dropped = 0
            }
            buffer.bytes += line.utf8
            buffer.bytes.append(UInt8(ascii: "\n"))
            return idle
        }
        if wake {
            signals.add(1, ordering: .relaxed)
            wakeup.signal()
        }
    }

    /// How many times a line woke the thread (for tests).
    var wakeupSignals: Int { signals.load(ordering: .relaxed) }

    /// Waits (at most `timeout`) until every accepted line has been written.
    func flush(timeout: Duration = .seconds(2)) {
        let deadline = ContinuousClock.now + timeout
        while buffer.withLock({ !$0.bytes.isEmpty || $0.writing }), ContinuousClock.now < deadline {
            usleep(1_000)
        }
    }

    private func run() {
        DedicatedThread.nameCurrentThread("logbook-log")  // from inside, so top, perf and gdb show it
        while true {
            wakeup.wait()
            let (seconds, attoseconds) = coalescing.components
            usleep(useconds_t(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            while let chunk = take() {
                writeAll(chunk)
                buffer.withLock { $0.writing = false }
            }
        }
    }

    private func take() -> [UInt8]? {
        buffer.withLock { buffer in
            guard !buffer.bytes.isEmpty else { return nil }
            buffer.writing = true
            var taken: [UInt8] = []
            swap(&taken, &buffer.bytes)
            return taken
        }
    }

    /// Writes `bytes` through partial writes and interruptions, waiting for room when the
    /// descriptor is non-blocking; on any other error the lines not written are counted as
    /// dropped (the note says so once writing works again).
    private func writeAll(_ bytes: [UInt8]) {
        let unwritten: Int = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, 1_000)
                } else {
                    break
                }
            }
            return raw[offset...].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        if unwritten > 0 { buffer.withLock { $0.dropped += unwritten } }
    }
}
