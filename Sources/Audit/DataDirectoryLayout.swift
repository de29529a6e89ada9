/// Where the files of a Logbook data directory live. A backup has the same layout, so a
/// restore is a copy from one layout to another.
///
/// ```
/// DATA_DIR/log/data.mdb        the LMDB log
/// DATA_DIR/log/checkpoints/    the read models' snapshots (NAME.ckpt)
/// DATA_DIR/secret              the server secret (or wherever --secret-file says)
/// DATA_DIR/signing-key         the Ed25519 checkpoint key
/// DATA_DIR/member-keys         members' personal-data keys, 64-byte slots
/// DATA_DIR/checkpoint.json     the last signed head the server wrote
/// DATA_DIR/uploads/ab/<sha256> uploaded files, named by their SHA-256
/// ```
public struct DataDirectoryLayout: Sendable {
    public let root: String
    public let secret: String

    /// The layout under `root`, with the server secret at `secret` when it lives elsewhere.
    public init(root: String, secret: String? = nil) {
        self.root = root
        self.secret = secret ?? root + "/secret"
    }

    public var log: String { root + "/log" }
    public var logFile: String { log + "/data.mdb" }
    public var checkpoints: String { log + "/checkpoints" }
    public var signingKey: String { root + "/signing-key" }
    public var memberKeys: String { root + "/member-keys" }
    public var checkpoint: String { root + "/checkpoint.json" }
    public var uploads: String { root + "/uploads" }

    /// The small files copied as they are, with what each holds.
    var keyFiles: [(path: String, name: String)] {
        [(secret, "secret"), (signingKey, "signing-key")]
    }
}
