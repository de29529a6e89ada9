// baseline-server: the floor under Logbook's HTTP numbers. Hummingbird 2 decodes a
// small JSON POST (the shape of POST /v1/verifications) and answers 201 with JSON,
// touching no storage, and a small JSON GET (the shape of GET /v1/verifications/{key}).
// tools/bench loads it with the same wrk settings as logbookd.
//
//     baseline-server --port 8081
import ArgumentParser
import Hummingbird

@main
struct BaselineServer: AsyncParsableCommand {
    @Option(help: "The loopback port to listen on.") var port = 8081

    struct SendRequest: Decodable {
        let channel: String
        let to: String
        let operation: String
    }

    struct SendReply: ResponseEncodable {
        let channel: String
        let to: String
        let operation: String
        let status: String
    }

    struct StatusReply: ResponseEncodable {
        let key: String
        let status: String
    }

    func run() async throws {
        let router = Router()
        router.post("/v1/verifications") { request, context -> EditedResponse<SendReply> in
            let body = try await request.decode(as: SendRequest.self, context: context)
            let reply = SendReply(channel: body.channel, to: body.to, operation: body.operation, status: "pending")
            return EditedResponse(status: .created, response: reply)
        }
        router.get("/v1/verifications/{key}") { _, context -> StatusReply in
            StatusReply(key: try context.parameters.require("key"), status: "pending")
        }
        router.get("/healthz") { _, _ in "ok" }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
