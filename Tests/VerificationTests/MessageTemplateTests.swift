import EventFixtures
import EventSourcing
import Testing
import Verification

/// Messages per operation and locale: the locale a send asks for, the text sealed with the
/// code, and nothing of it in the clear in any event.
@Suite struct MessageTemplateTests {
    @Test(arguments: [
        ("zh-CN", MessageLocale.zhCN), ("zh", .zhCN), ("ZH-cn", .zhCN), ("zh-Hans-CN", .zhCN), ("zh-TW", .zhCN),
        ("en", .en), ("en-US", .en), ("EN-gb", .en),
    ])
    func tagsOfShippedLanguagesSelectThem(tag: String, locale: MessageLocale) {
        #expect(MessageLocale(tag: tag) == locale)
    }

    @Test(arguments: ["fr", "de-DE", "", "-", "en-", "e n", "zh_CN", "en-toolongsubtag", "1en", "*", String(repeating: "en-a", count: 10)])
    func otherTagsAreRefused(tag: String) {
        #expect(MessageLocale(tag: tag) == nil)
    }

    @Test(arguments: [
        ("en", MessageLocale.en), ("fr, en;q=0.8", .en), ("zh-CN;q=0.5, en;q=0.9", .en), ("en;q=0.5, zh-CN", .zhCN),
        ("en-US,en;q=0.9,zh-CN;q=0.8", .en), ("fr;q=1, *;q=0.1", .zhCN), ("en;q=0, zh", .zhCN), ("da, en-gb;q=0.8, en;q=0.7", .en),
        ("en ; q=0.7 , zh-CN ; q=0.3", .en), ("zh-CN;q=0.3, en;q=0.3", .zhCN),
    ])
    func acceptLanguageHonoursWeightsThenOrder(header: String, locale: MessageLocale) {
        #expect(MessageLocale.negotiate(acceptLanguage: header) == locale)
    }

    @Test(arguments: ["", "fr, de;q=0.5", "en;q=0", "en;q=2", "en;q=0.5555", "en;q=abc", ",,,;;;===", "en;q=1.5"])
    func unusableAcceptLanguageFallsBack(header: String) {
        #expect(MessageLocale.negotiate(acceptLanguage: header) == nil)
    }

    @Test func eachOperationHasItsWordingInBothLocales() {
        let operations = ["register", "login", "bind_email", "reset_password", "anything_else"]
        for locale in MessageLocale.allCases {
            let bodies = operations.map {
                MessageTemplates.body(operation: $0, channel: .sms, code: "042917", ttlSeconds: 300, locale: locale)
            }
            #expect(Set(bodies).count == operations.count, "\(locale): one wording per operation")
            for body in bodies {
                #expect(body.contains("042917") && !body.contains("{"), "\(body)")
            }
        }
        #expect(MessageTemplates.body(operation: "register", channel: .sms, code: "042917", ttlSeconds: 300, locale: .zhCN)
            == "【Logbook】验证码042917，您正在注册Logbook账号，5分钟内有效。如非本人操作，请忽略本消息。")
        #expect(MessageTemplates.body(operation: "login", channel: .email, code: "042917", ttlSeconds: 60, locale: .en)
            == "Logbook: your sign-in code is 042917. It expires in 1 minute. Never share it with anyone.")
        #expect(MessageTemplates.body(operation: "x", channel: .call, code: "042917", ttlSeconds: 90, locale: .en)
            == "Logbook: your verification code is 0 4 2 9 1 7. It expires in 1 minute. Never share it with anyone.")
    }

    @Test func theChosenLocaleIsSealedWithTheCodeAndNeverInTheClear() throws {
        for (locale, marker) in [(MessageLocale.zhCN, "验证码"), (.en, "your code to create an account")] {
            var world = World()
            let (decision, code) = try world.send(locale: locale)
            let message = try world.message(decision.key)
            #expect(message.body == MessageTemplates.body(operation: "register", channel: .sms, code: code, ttlSeconds: 300, locale: locale))
            #expect(message.body.contains(marker))
            for event in world.recorded {
                #expect(!event.payload.contains(subsequence: Array(code.utf8)))
                #expect(!event.payload.contains(subsequence: Array(marker.utf8)), "the message is sealed, never in the clear")
                #expect(!event.payload.contains(subsequence: Array("Logbook".utf8)))
            }
        }
    }

    @Test func theSameInputsSealTheSameMessage() throws {
        var a = World()
        var b = World()
        _ = try a.send(locale: .en, seed: 5)
        _ = try b.send(locale: .en, seed: 5)
        #expect(a.recorded == b.recorded, "the message depends on the decision's inputs only, never the wall clock")
    }
}
