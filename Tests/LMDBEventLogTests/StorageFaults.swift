import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Faults injected into a live LMDB environment of this process through its file
/// descriptors, so LMDB's own error paths run as they would on a failing disk.
enum StorageFaults {
    /// Whether this system can: `/proc/self/fdinfo` to find LMDB's descriptors, `/dev/full` to
    /// make writes fail.
    static let available: Bool =
        FileManager.default.fileExists(atPath: "/proc/self/fdinfo") && FileManager.default.isWritableFile(atPath: "/dev/full")

    /// Points every write-only descriptor on `directory/data.mdb` at `/dev/full`. LMDB writes
    /// meta pages through such a descriptor (opened `O_WRONLY|O_DSYNC`, its data pages go
    /// through another), so the next commit writes and syncs its pages, then fails writing the
    /// meta page with ENOSPC, and LMDB marks the environment unusable (`MDB_PANIC`) as it would
    /// after a real I/O error there. Returns how many descriptors it redirected.
    static func breakMetaPageWrites(in directory: String) -> Int {
        let target = URL(fileURLWithPath: directory).appendingPathComponent("data.mdb").resolvingSymlinksInPath().path
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        guard full >= 0 else { return 0 }
        defer { close(full) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var redirected = 0
        for name in names {
            guard let fd = Int32(name), fd != full,
                let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"), path == target,
                let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(name)", encoding: .utf8),
                let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                let flags = Int32(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8),
                flags & O_ACCMODE == O_WRONLY
            else { continue }
            if dup2(full, fd) == fd { redirected += 1 }
        }
        return redirected
    }
}
