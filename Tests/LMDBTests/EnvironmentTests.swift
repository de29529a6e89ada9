import Foundation
import LMDB
import Testing

@Suite struct EnvironmentTests {
    func withEnvironment(map: Int = 1 << 20, _ body: (Environment) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(try Environment(path: path, options: EnvironmentOptions(mapSize: map)))
    }

    @Test func writesAreVisibleToLaterReadsAndAbortedOnesAreNot() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("kv", flags: [.create])
            try env.write { txn in try txn.put(db, key: Array("a".utf8), value: Array("1".utf8)) }
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try env.write { (txn: Transaction) throws in
                    try txn.put(db, key: Array("b".utf8), value: Array("2".utf8))
                    throw Boom()
                }
            }
            try env.read { (txn: Transaction) throws in
                #expect(try txn.get(db, key: Array("a".utf8)).map(Array.init) == Array("1".utf8))
                #expect(try txn.get(db, key: Array("b".utf8)) == nil)
            }
        }
    }

    @Test func appendRefusesKeysOutOfOrder() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("log", flags: [.create])
            try env.write { (txn: Transaction) throws in
                try txn.put(db, key: [0, 2], value: [1], flags: .append)
                #expect(throws: LMDBError.self) { try txn.put(db, key: [0, 1], value: [1], flags: .append) }
            }
        }
    }

    @Test func duplicateSortedValuesAreFoundByRange() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("streams", flags: [.create, .dupSort, .dupFixed])
            try env.write { (txn: Transaction) throws in
                for v: UInt8 in 1...5 { try txn.put(db, key: Array("s".utf8), value: [0, v], flags: .appendDup) }
            }
            try env.read { (txn: Transaction) throws in
                #expect(try txn.entryCount(db) == 5)
                try txn.withCursor(db) { (cursor: Cursor) throws in
                    let found = try Array("s".utf8).withUnsafeBytes { k in
                        try [UInt8]([0, 3]).withUnsafeBytes { v in try cursor.seek(k, value: v) }
                    }
                    #expect(found.map { Array($0.value) } == [0, 3])
                    #expect(try cursor.move(.lastDuplicate).map { Array($0.value) } == [0, 5])
                    #expect(try cursor.duplicateCount() == 5)
                }
            }
        }
    }

    @Test func aFullMapIsReportedAndCanGrow() throws {
        try withEnvironment(map: 64 << 10) { env in
            let db = try env.openDatabase("big", flags: [.create])
            let value = [UInt8](repeating: 1, count: 200 << 10)
            #expect(throws: LMDBError.mapFull) { try env.write { txn in try txn.put(db, key: [1], value: value) } }
            try env.setMapSize(4 << 20)
            try env.write { txn in try txn.put(db, key: [1], value: value) }
            #expect(env.mapSize == 4 << 20)
        }
    }
}
