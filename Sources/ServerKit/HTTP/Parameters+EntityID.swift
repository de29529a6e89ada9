public import EventSourcing
public import Hummingbird

extension Parameters {
    /// The path parameter `name` as an `EntityID`; 404 when it is absent or not one (an id
    /// of the wrong shape names nothing, and never reaches a lookup or a stream name).
    public func entityID(_ name: String) throws -> EntityID {
        guard let text = get(name), let id = EntityID(text) else { throw APIError.notFound }
        return id
    }
}
