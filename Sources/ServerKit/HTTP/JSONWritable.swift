/// A response body that writes its own JSON with `JSONWriter`, for the answers served most
/// often. It stays `Encodable`, and what it writes must be byte for byte what
/// `JSONEncoder.api` encodes: keys in sorted order, slashes unescaped, times as RFC 3339
/// strings (`JSONWritableTests` holds every conformance to this).
/// `StoredResponse(status:encoding:)` uses it when the body has it.
public protocol JSONWritable: Encodable {
    func write(into writer: inout JSONWriter)
}

extension JSONWritable {
    /// The JSON bytes of this body.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.bytes
    }
}

extension PageBody: JSONWritable where Item: JSONWritable {
    public func write(into w: inout JSONWriter) {
        w.raw("{")
        w.key("items", first: true)
        w.array(items) { $1.write(into: &$0) }
        w.key("page"); w.integer(page)
        w.key("page_size"); w.integer(pageSize)
        w.key("total_pages"); w.integer(totalPages)
        w.key("total_rows"); w.integer(totalRows)
        w.raw("}")
    }
}
