public import EventSourcing

/// Stream names of the groups domain, built here and nowhere else.
public enum GroupStreams {
    /// `group-<id>`: one group's life and every change of its membership.
    public static func group(_ id: EntityID) -> StreamID { StreamID(.group, id) }

    /// `group-<id>`; not found when `id` is not an entity id.
    public static func group(_ id: String) throws(GroupError) -> StreamID {
        guard let entity = EntityID(id) else { throw .notFound }
        return StreamID(.group, entity)
    }
}

extension StreamCategory {
    /// `group-<id>`: a group's lifecycle, its members and their roles.
    public static let group = StreamCategory("group")
}
