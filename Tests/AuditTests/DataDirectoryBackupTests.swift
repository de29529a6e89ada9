import Audit
import EventSourcing
import Foundation
import HTTPAPI
import LMDBEventLog
import Testing

/// A data directory made by hand (no server): members alive, deleted and registered
/// with the v2 event; an upload; the key files; a signed checkpoint.
struct HandMadeDataDirectory {
    static let upload = Array("hello".utf8)
    static let uploadSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    static let members = (alive: "01M8AAAAAAAAAAAAAAAAAAAAAA", deleted: "01M8BBBBBBBBBBBBBBBBBBBBBB", v2: "01M8CCCCCCCCCCCCCCCCCCCCCC")

    let root: String
    var layout: DataDirectoryLayout { DataDirectoryLayout(root: root) }

    static func make() async throws -> HandMadeDataDirectory {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("datadir-\(UUID().uuidString)").path
        let made = HandMadeDataDirectory(root: root)
        let log = try LMDBEventLog(directory: made.layout.log)
        let time = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        func append(_ stream: String, _ types: [String]) async throws {
            let events = types.map { NewEvent(type: $0, payload: Array("opaque".utf8), timestamp: time) }
            _ = try await log.append(AppendRequest(stream: StreamID(stream) ?? "invalid-stream", expected: .any, events: events))
        }
        try await append("member-\(members.alive)", ["member.registered.v1", "member.profile-updated.v1"])
        try await append("member-\(members.deleted)", ["member.registered.v1", "member.sessions-ended.v1", "member.deleted.v1"])
        try await append("member-\(members.v2)", ["member.registered.v2"])
        try await append("upload-\(uploadSHA256)", ["upload.stored.v1"])
        try await append("verification-01M8DDDDDDDDDDDDDDDDDDDDDD", ["verification.code-issued.v1"])
        let head = try await log.head()
        log.close()

        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: made.layout.secret))
        let signingKey = SignedCheckpoint.newPrivateKey()
        try Data(signingKey).write(to: URL(fileURLWithPath: made.layout.signingKey))
        let signed = try SignedCheckpoint(head: head, privateKey: signingKey)
        let checkpoint: [String: Any] = [
            "size": signed.head.size, "root": signed.head.root.hex, "timestamp": signed.head.timestamp?.rfc3339 ?? "",
            "public_key": Data(signed.publicKey).base64EncodedString(), "signature": Data(signed.signature).base64EncodedString(),
        ]
        try JSONSerialization.data(withJSONObject: checkpoint).write(to: URL(fileURLWithPath: made.layout.checkpoint))
        // Slots: the live member, a destroyed key (zeros), the v2 member.
        let keys = slot(members.alive) + [UInt8](repeating: 0, count: 64) + slot(members.v2)
        try Data(keys).write(to: URL(fileURLWithPath: made.layout.memberKeys))
        let folder = made.layout.uploads + "/" + uploadSHA256.prefix(2)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(upload).write(to: URL(fileURLWithPath: folder + "/" + uploadSHA256))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: folder + "/" + uploadSHA256 + ".tmp-1234"))
        return made
    }

    static func slot(_ id: String) -> [UInt8] {
        Array(id.utf8) + [UInt8](repeating: 0, count: 32 - id.utf8.count) + [UInt8](repeating: 9, count: 32)
    }

    var uploadPath: String { layout.uploads + "/" + Self.uploadSHA256.prefix(2) + "/" + Self.uploadSHA256 }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite(.serialized) struct DataDirectoryBackupTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func aCompleteDirectoryBacksUpAndRestoresWithEveryFilePrivate() async throws {
        let source = try await HandMadeDataDirectory.make()
        let backup = source.root + "-backup", restored = source.root + "-restored"
        defer { for path in [source.root, backup, restored] { try? FileManager.default.removeItem(atPath: path) } }

        let report = try await DataDirectoryBackup.run(from: source.layout, to: backup)
        #expect(report.check.isComplete)
        #expect(report.check.inventory.liveMembers == [HandMadeDataDirectory.members.alive, HandMadeDataDirectory.members.v2])
        #expect(report.check.inventory.uploads == [HandMadeDataDirectory.uploadSHA256])
        #expect(report.check.uploadFiles == 1 && report.check.checkpointSize == 8 && report.attempts == 1)
        #expect(report.files == ["secret", "signing-key", "checkpoint.json", "member-keys"])

        let check = try await DataDirectoryRestore.run(from: DataDirectoryLayout(root: backup), to: restored)
        #expect(check.head.size == 8)
        let target = DataDirectoryLayout(root: restored)
        for (from, to) in [(source.layout.secret, target.secret), (source.layout.signingKey, target.signingKey),
                           (source.layout.memberKeys, target.memberKeys), (source.layout.checkpoint, target.checkpoint)] {
            #expect(FileManager.default.contents(atPath: to) == FileManager.default.contents(atPath: from), "\(to)")
            #expect(Self.mode(to) == 0o600, "\(to)")
        }
        let uploaded = target.uploads + "/2c/" + HandMadeDataDirectory.uploadSHA256
        #expect(FileManager.default.contents(atPath: uploaded) == Data(HandMadeDataDirectory.upload))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.uploads + "/2c").count == 1)  // no .tmp file
        for directory in [restored, target.log, target.uploads, target.uploads + "/2c"] { #expect(Self.mode(directory) == 0o700) }
        #expect(Self.mode(target.logFile) == 0o600)
        #expect(try await DataDirectoryCheck.run(target).isComplete)
    }

    /// The read models' checkpoints travel with the log, so a restored server starts from
    /// them instead of replaying the whole log.
    @Test func theReadModelsCheckpointsAreBackedUpAndRestored() async throws {
        let source = try await HandMadeDataDirectory.make()
        let backup = source.root + "-backup", restored = source.root + "-restored"
        defer { for path in [source.root, backup, restored] { try? FileManager.default.removeItem(atPath: path) } }
        let saved = Checkpoint(name: "members", formatVersion: 4, position: 8, snapshot: Array(repeating: 5, count: 4096))
        let log = try LMDBEventLog(directory: source.layout.log)
        try await log.saveCheckpoint(saved)
        log.close()

        let report = try await DataDirectoryBackup.run(from: source.layout, to: backup)
        #expect(report.files.contains("log/checkpoints/members.ckpt"))
        _ = try await DataDirectoryRestore.run(from: DataDirectoryLayout(root: backup), to: restored)
        let target = DataDirectoryLayout(root: restored)
        #expect(Self.mode(target.checkpoints) == 0o700 && Self.mode(target.checkpoints + "/members.ckpt") == 0o600)
        let reopened = try LMDBEventLog(directory: target.log)
        defer { reopened.close() }
        #expect(try await reopened.loadCheckpoint(named: "members") == saved)
    }

    @Test func aLiveMemberWithoutAKeyIsFoundAndStopsTheBackup() async throws {
        let source = try await HandMadeDataDirectory.make()
        let backup = source.root + "-backup"
        defer { source.remove(); try? FileManager.default.removeItem(atPath: backup) }
        // The v2 member's slot zeroed, as a deletion racing the copy would leave it.
        let keys = HandMadeDataDirectory.slot(HandMadeDataDirectory.members.alive) + [UInt8](repeating: 0, count: 128)
        try Data(keys).write(to: URL(fileURLWithPath: source.layout.memberKeys))

        let check = try await DataDirectoryCheck.run(source.layout)
        #expect(check.membersWithoutKeys == [HandMadeDataDirectory.members.v2])
        await #expect(throws: BackupError.self) { try await DataDirectoryBackup.run(from: source.layout, to: backup) }
        do {
            _ = try await DataDirectoryBackup.run(from: source.layout, to: backup + "-2")
            Issue.record("backed up a member without its key")
        } catch let error as BackupError {
            #expect(error.description.contains("1 members registered in the log have no key in member-keys: \(HandMadeDataDirectory.members.v2)"))
        }
        try? FileManager.default.removeItem(atPath: backup + "-2")
    }

    @Test func aDamagedOrMissingUploadIsFound() async throws {
        let source = try await HandMadeDataDirectory.make()
        let backup = source.root + "-backup"
        defer { source.remove(); try? FileManager.default.removeItem(atPath: backup) }
        try Data("hellO".utf8).write(to: URL(fileURLWithPath: source.uploadPath))
        var check = try await DataDirectoryCheck.run(source.layout)
        #expect(check.problems.contains { $0.contains("has SHA-256") && $0.contains("not its name") })
        await #expect(throws: BackupError.self) { try await DataDirectoryBackup.run(from: source.layout, to: backup) }

        try FileManager.default.removeItem(atPath: source.uploadPath)
        check = try await DataDirectoryCheck.run(source.layout)
        #expect(check.problems == ["the upload \(HandMadeDataDirectory.uploadSHA256) recorded in the log has no file in \(source.layout.uploads)"])
    }

    /// Uploads are recorded as `upload.stored.v2` on the member's `uploads-` stream since
    /// they need a member: the check finds the file of each of those too (it looked at the
    /// v1 events only, so a current upload without its file passed).
    @Test func aMembersUploadWithoutItsFileIsFound() async throws {
        let source = try await HandMadeDataDirectory.make()
        defer { source.remove() }
        let missing = String(repeating: "7e", count: 32)
        let log = try LMDBEventLog(directory: source.layout.log)
        let time = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        let stored = [HandMadeDataDirectory.uploadSHA256, missing].map {
            UploadEvent.stored(UploadStored(memberID: HandMadeDataDirectory.members.alive, sha256: $0, size: 5, contentType: "image/png"))
                .newEvent(at: time)
        }
        _ = try await log.append(AppendRequest(
            stream: StreamID("uploads-\(HandMadeDataDirectory.members.alive)") ?? "invalid-stream", expected: .any, events: stored))
        _ = try await log.append(AppendRequest(
            stream: StreamID("uploads-\(HandMadeDataDirectory.members.v2)") ?? "invalid-stream", expected: .any,
            events: [NewEvent(type: UploadStored.type, payload: [1, 2, 3], timestamp: time)]))
        log.close()
        let check = try await DataDirectoryCheck.run(source.layout)
        #expect(check.inventory.uploads == [HandMadeDataDirectory.uploadSHA256, missing])
        #expect(check.problems == [
            "the upload \(missing) recorded in the log has no file in \(source.layout.uploads)",
            "the upload event at position 11 cannot be read",
        ])
    }

    @Test func restoreRefusesANonEmptyDirectoryAndAnIncompleteBackup() async throws {
        let source = try await HandMadeDataDirectory.make()
        let backup = source.root + "-backup", occupied = source.root + "-occupied", target = source.root + "-target"
        defer { for path in [source.root, backup, occupied, target] { try? FileManager.default.removeItem(atPath: path) } }
        _ = try await DataDirectoryBackup.run(from: source.layout, to: backup)

        try FileManager.default.createDirectory(atPath: occupied, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: occupied + "/secret"))
        do {
            _ = try await DataDirectoryRestore.run(from: DataDirectoryLayout(root: backup), to: occupied)
            Issue.record("restored over a non-empty directory")
        } catch let error as BackupError {
            #expect(error.description.contains("\(occupied) is not empty"))
        }
        #expect(FileManager.default.contents(atPath: occupied + "/secret") == Data("x".utf8))

        try FileManager.default.removeItem(atPath: backup + "/secret")
        do {
            _ = try await DataDirectoryRestore.run(from: DataDirectoryLayout(root: backup), to: target)
            Issue.record("restored a backup without its secret")
        } catch let error as BackupError {
            #expect(error.description.contains("the server secret \(backup)/secret is missing"))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aCheckpointSignedByAnotherKeyIsAProblem() async throws {
        let source = try await HandMadeDataDirectory.make()
        defer { source.remove() }
        try Data(SignedCheckpoint.newPrivateKey()).write(to: URL(fileURLWithPath: source.layout.signingKey))
        let check = try await DataDirectoryCheck.run(source.layout)
        #expect(check.problems.count == 1 && check.problems.first?.contains("signed with another key") == true, "\(check.problems)")
    }
}
