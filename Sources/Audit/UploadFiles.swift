import Foundation

/// The upload tree of a data directory: `uploads/<first two hex digits>/<sha256>`.
/// Temporary files of a write in progress (`<sha256>.tmp-<uuid>`) are not uploads yet.
enum UploadFiles {
    struct File {
        /// The folder under `uploads/` (the name's first two digits).
        let folder: String
        /// The SHA-256 (hex) the file is named by.
        let name: String
    }

    /// Every upload under `root` (none when it does not exist), and the entries that are
    /// neither uploads nor temporary files.
    static func list(_ root: String) throws(BackupError) -> (files: [File], strays: [String]) {
        guard DurableCopy.exists(root) else { return ([], []) }
        var files: [File] = []
        var strays: [String] = []
        for folder in try entries(root).sorted() {
            guard folder.utf8.count == 2, isHex(folder) else {
                strays.append("uploads/\(folder)")
                continue
            }
            for name in try entries(root + "/" + folder).sorted() where !name.contains(".tmp-") {
                if name.utf8.count == 64, isHex(name), name.hasPrefix(folder) {
                    files.append(File(folder: folder, name: name))
                } else {
                    strays.append("uploads/\(folder)/\(name)")
                }
            }
        }
        return (files, strays)
    }

    static func isHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func entries(_ path: String) throws(BackupError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw BackupError("cannot list \(path): \(error)")
        }
    }
}
