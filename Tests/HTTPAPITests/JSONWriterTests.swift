import Foundation
import Hummingbird
import ServerKit
import Testing

/// `JSONWriter` must write what `JSONEncoder.api` writes: the bodies that write themselves
/// are held to the encoder's bytes, so any difference in escaping is a bug here.
@Suite struct JSONWriterTests {
    static let awkward: [String] = [
        "", "plain", "quote \" and backslash \\", "slash / and url https://example.com/a?b=c&d",
        "controls \u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f} end", "del \u{7f}", "中文 한국어 日本語", "emoji 👩‍👩‍👧 and é",
        "line separators \u{2028}\u{2029}", "<script>alert(1)</script>",
    ]

    @Test(arguments: awkward) func stringsAreEscapedAsTheEncoderEscapesThem(_ value: String) throws {
        var writer = JSONWriter()
        writer.string(value)
        #expect(writer.bytes == Array(try JSONEncoder.api.encode(value)))
    }

    struct Row: JSONWritable, Codable {
        var name: String
        var count: Int
        func write(into w: inout JSONWriter) {
            w.raw("{")
            w.key("count", first: true); w.integer(count)
            w.key("name"); w.string(name)
            w.raw("}")
        }
    }

    @Test func aPageOfWritableItemsIsTheEncodersPage() throws {
        let request = PageRequest(page: 2, size: 3)
        for items in [[], [Row(name: "a/b", count: -1)], [Row(name: "x", count: 0), Row(name: "\"y\"", count: 7)]] {
            let page = PageBody(items: items, request: request, totalRows: 7)
            #expect(page.jsonBytes == Array(try JSONEncoder.api.encode(page)))
            #expect(StoredResponse(status: .ok, encoding: page).body == page.jsonBytes)
        }
    }
}
