import ServerKit
import EventSourcing
import Hummingbird

/// `GET /v1/admin/read-models`: each live read model's name, the position it has applied
/// through and the SHA-256 digest of its snapshot, read at one moment (between two
/// batches), so that `logbook replay DATA_DIR --until POSITION` can be compared with them:
/// a rebuild from the log must reach the same digests.
struct AdminReadModelRoutes: Sendable {
    let runtime: ProjectionRuntime
    let auth: AdminAuth

    struct Item: Encodable {
        var name: String
        var position: UInt64
        var digest: String
    }

    struct Body: Encodable {
        /// The position every model has applied through (the lowest, if one stopped on a failure).
        var position: UInt64
        var items: [Item]
    }

    func register(on routes: RouteContext) {
        let (runtime, auth) = (self.runtime, self.auth)
        routes.add(
            .get, "/v1/admin/read-models",
            summary: "Admin: each read model's name, the log position it has applied through and the SHA-256 digest of its snapshot, "
                + "read at one moment; `logbook replay DATA_DIR --until POSITION` prints the same for a rebuild from the log.",
            responses: [
                200: ("Read models", .properties([
                    "position": .integer,
                    "items": ["type": "array", "items": .properties(
                        ["name": .string, "position": .integer, "digest": .string], required: ["name", "position", "digest"])],
                ], required: ["position", "items"])),
                401: ("No or wrong admin token", nil), 403: ("Admin routes off", nil),
            ]
        ) { request, _ in
            try auth.require(request)
            let digests = await runtime.readModelDigests()
            let body = Body(
                position: digests.map(\.position).min() ?? 0,
                items: digests.map { Item(name: $0.name, position: $0.position, digest: $0.digest) })
            return StoredResponse(status: .ok, encoding: body).response
        }
    }
}
