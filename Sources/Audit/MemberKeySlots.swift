/// Reads the member-key file (DATA_DIR/member-keys) without the Members module: a file of
/// 64-byte slots, each the member id (UTF-8, zero-padded to 32 bytes) then its 32-byte
/// key; an all-zero slot is free (never used, or a destroyed key). Trailing bytes short
/// of a slot are ignored, as the server's `FileMemberKeyStore` ignores them.
public enum MemberKeySlots {
    public static let slotSize = 64
    public static let idSize = 32

    /// The ids of the members that hold a key in `bytes` (the file's contents).
    public static func memberIDs(in bytes: [UInt8]) -> Set<String> {
        var ids: Set<String> = []
        var offset = 0
        while offset + slotSize <= bytes.count {
            let slot = bytes[offset..<offset + slotSize]
            if slot.contains(where: { $0 != 0 }) {
                ids.insert(String(decoding: slot.prefix(idSize).prefix { $0 != 0 }, as: UTF8.self))
            }
            offset += slotSize
        }
        return ids
    }
}
