import Testing

/// `SyncAudit` on hand-written strace lines: what it accepts and what it catches.
@Suite struct SyncAuditTests {
    static let connection = "12<TCP:[127.0.0.1:8080->127.0.0.1:40000]>"
    static let opened = #"7 0.5 openat(AT_FDCWD</d>, "/d/log/data.mdb", O_WRONLY|O_CLOEXEC|O_DSYNC) = 9</d/log/data.mdb>"#
    static let request = #"8 1.1 read(\#(connection), "POST /v1/verifications HTTP/1.1\r\nHost"..., 4096) = 180"#
    static let pages = #"7 1.2 pwrite64(5</d/log/data.mdb>, "\2\0\0\0\0\0\0\0"..., 4096, 16384) = 4096"#
    static let sync = "7 1.3 fdatasync(5</d/log/data.mdb>) = 0"
    static let meta = #"7 1.4 pwrite64(9</d/log/data.mdb>, "\3\0\0\0"..., 136, 4112) = 136"#
    static let unsyncedMeta = #"7 1.4 pwrite64(5</d/log/data.mdb>, "\3\0\0\0"..., 136, 4112) = 136"#
    static let answer = #"8 1.5 writev(\#(connection), [{iov_base="HTTP/1.1 201 Created\r\nContent-Type: applicat"..., iov_len=120}], 1) = 120"#

    func audit(_ lines: [String]) -> SyncAudit { SyncAudit(trace: lines.joined(separator: "\n")) }

    @Test func anAnswerAfterItsCommitIsDurablePasses() {
        let audit = audit([Self.opened, Self.request, Self.pages, Self.sync, Self.meta, Self.answer])
        #expect(audit.audited == 1 && audit.durableCommits == 1)
        #expect(audit.violations.isEmpty)
    }

    @Test func anAnswerWithoutSyncsIsCaught() {
        let audit = audit([Self.opened, Self.request, Self.pages, Self.unsyncedMeta, Self.answer])
        #expect(audit.audited == 1 && audit.durableCommits == 0)
        #expect(audit.violations.map(\.problem) == ["answered 201 before the commit it wrote was synced"])
    }

    @Test func anAnswerBeforeTheSyncReturnsIsCaught() {
        let unfinished = "7 1.3 fdatasync(5</d/log/data.mdb> <unfinished ...>"
        let resumed = "7 1.6 <... fdatasync resumed>) = 0"
        let audit = audit([Self.opened, Self.request, Self.pages, unfinished, Self.answer, resumed, Self.meta])
        #expect(audit.violations.count == 1)
    }

    /// strace splits a call another thread interrupted in two lines; both halves are joined,
    /// and the meta page's offset (`4112 <unfinished ...>`) still marks it as the meta page.
    @Test func interruptedCallsAreJoined() {
        let sync = ("7 1.3 fdatasync(5</d/log/data.mdb> <unfinished ...>", "7 1.31 <... fdatasync resumed>) = 0")
        let meta = (#"7 1.4 pwrite64(9</d/log/data.mdb>, "\3\0\0\0"..., 136, 4112 <unfinished ...>"#, "7 1.41 <... pwrite64 resumed>) = 136")
        let audit = audit([Self.opened, Self.request, Self.pages, sync.0, sync.1, meta.0, meta.1, Self.answer])
        #expect(audit.audited == 1 && audit.durableCommits == 1)
        #expect(audit.violations.isEmpty, "\(audit.violations)")
    }

    @Test func aCommitThatBeganBeforeTheRequestDoesNotCount() {
        let audit = audit([Self.opened, Self.pages, Self.request, Self.sync, Self.meta, Self.answer])
        #expect(audit.violations.map(\.problem) == ["answered 201 with no durable commit since the request"])
    }

    @Test func readsAndRefusalsAreNotAudited() {
        let get = #"8 1.1 read(\#(Self.connection), "GET /v1/log/head HTTP/1.1\r\nHost"..., 4096) = 80"#
        let refused = #"8 1.5 write(\#(Self.connection), "HTTP/1.1 503 Service Unavailable\r\n"..., 200) = 200"#
        let audit = audit([get, Self.answer, Self.request, refused])
        #expect(audit.audited == 0 && audit.violations.isEmpty)
    }
}
