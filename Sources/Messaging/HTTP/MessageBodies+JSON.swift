public import ServerKit

// The message answers written straight to bytes (a history or sync page is up to 100
// messages), keys sorted as `JSONEncoder.api` writes them; nil optionals are left out
// as the synthesized `Encodable` leaves them out, except `next_before_seq` and `next_cursor`.

extension MessageBodies.Message: JSONWritable {
    public func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("at_member_ids", first: true); w.array(atMemberIDs) { $0.string($1) }
        w.key("body"); w.value(body)
        w.key("conversation_id"); w.string(conversationID)
        w.key("id"); w.string(id)
        w.key("sender_id"); w.string(senderID)
        w.key("sent_at"); w.string(sentAt)
        w.key("seq"); w.integer(seq)
        if let toGroupID { w.key("to_group_id"); w.string(toGroupID) }
        if let toMemberID { w.key("to_member_id"); w.string(toMemberID) }
        w.raw("}")
    }
}

extension MessageBodies.Conversation: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("conversation_id", first: true); w.string(conversationID)
        if let groupID { w.key("group_id"); w.string(groupID) }
        w.key("kind"); w.string(kind)
        if let lastMessage { w.key("last_message"); lastMessage.write(into: &w) }
        w.key("last_seq"); w.integer(lastSeq)
        if let peerID { w.key("peer_id"); w.string(peerID) }
        w.key("unread_count"); w.integer(unreadCount)
        w.raw("}")
    }
}

extension MessageBodies.Conversations: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("items", first: true); w.array(items) { $1.write(into: &$0) }
        w.key("next_cursor")
        if let nextCursor { w.string(nextCursor) } else { w.null() }
        w.raw("}")
    }
}

extension MessageBodies.History: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("items", first: true); w.array(items) { $1.write(into: &$0) }
        w.key("next_before_seq")
        if let nextBeforeSeq { w.integer(nextBeforeSeq) } else { w.null() }
        w.raw("}")
    }
}

extension MessageBodies.Sync: JSONWritable {
    func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("has_more", first: true); w.bool(hasMore)
        w.key("items"); w.array(items) { $1.write(into: &$0) }
        w.key("next_cursor"); w.string(nextCursor)
        w.raw("}")
    }
}
