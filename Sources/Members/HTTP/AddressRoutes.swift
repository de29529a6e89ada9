import HTTPTypes
import ServerKit
import EventSourcing
import Hummingbird
import Verification

/// `/v1/members/me/addresses`: the caller's address book (seed 003 AddressBook).
struct AddressRoutes: Sendable {
    let service: MembersService
    let auth: MemberAuth

    let commands: CommandRunner
    let clients: ClientGuard

    init(service: MembersService, commands: CommandRunner, clients: ClientGuard = ClientGuard()) {
        self.commands = commands
        self.clients = clients
        self.service = service
        auth = MemberAuth(service)
    }

    struct AddressBody: Codable {
        var id: String?
        var fullName, zipCode, address, phone: String
        var type: String?
        var isDefault: Bool?
        enum CodingKeys: String, CodingKey {
            case id, address, phone, type, fullName = "full_name", zipCode = "zip_code", isDefault = "default"
        }
        init(_ a: PersonalData.Address) {
            (id, fullName, zipCode, address, phone) = (a.id, a.fullName, a.zipCode, a.address, a.phone)
            (type, isDefault) = (a.kind.rawValue, a.isDefault)
        }
        var input: MembersService.AddressInput {
            .init(fullName: fullName, zipCode: zipCode, address: address, phone: phone, type: type ?? "none", isDefault: isDefault ?? false)
        }
    }

    static var schema: JSONValue { JSONSchema.of(AddressBody.self) }

    func register(on routes: RouteContext) {
        routes.add(
            .get, "/v1/members/me/addresses", summary: "The caller's address book.",
            responses: [200: ("Addresses", .properties(["items": ["type": "array", "items": Self.schema]])), 401: ("No valid token", nil)],
            handler: list)
        routes.add(
            .post, "/v1/members/me/addresses", summary: "Add an address (one default per type).", request: JSONSchema.of(AddressBody.self),
            responses: [201: ("Added", Self.schema), 400: ("Invalid input", nil), 401: ("No valid token", nil)], handler: add)
        routes.add(
            .put, "/v1/members/me/addresses/{id}", summary: "Replace an address.", request: JSONSchema.of(AddressBody.self),
            responses: [200: ("Replaced", Self.schema), 400: ("Invalid input", nil), 401: ("No valid token", nil), 404: ("Unknown address", nil)], handler: replace)
        routes.add(
            .delete, "/v1/members/me/addresses/{id}", summary: "Remove an address.",
            responses: [204: ("Removed", nil), 401: ("No valid token", nil), 404: ("Unknown address", nil)], handler: remove)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try auth.principal(request)
        return StoredResponse(status: .ok, encoding: ["items": try service.addresses(principal).map(AddressBody.init)]).response
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context: context, id: nil, status: .created)
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await save(request, context: context, id: try context.parameters.require("id"), status: .ok)
    }

    func save(_ request: Request, context: AppRequestContext, id: String?, status: HTTPResponse.Status) async throws -> Response {
        return try await commands.run(request, context: context, session: true) { body, metadata, idempotency in
            let principal = try auth.principal(request)
            let input = try JSONBody.decode(AddressBody.self, from: body)
            let encode = { @Sendable (address: PersonalData.Address) in StoredResponse(status: status, encoding: AddressBody(address)) }
            let result = try await service.saveAddress(
                principal, id: id, input.input, metadata: metadata, idempotency: idempotency.recording(sealing: { _ in .member(principal.memberID) }, encode))
            return result.map(encode)
        }
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await commands.run(request, context: context, requiresBody: false, session: true) {
            _, metadata, idempotency in
            let principal = try auth.principal(request)
            let stored = StoredResponse(status: 204, body: [])
            return try await service.deleteAddress(principal, id: id, metadata: metadata, idempotency: try idempotency?.record(stored)).map { stored }
        }
    }
}
