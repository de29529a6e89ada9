/// How text is cut into search tokens, the same way for what is indexed and for queries.
///
/// Latin and other space-separated scripts: words (runs of letters, digits, `_` and
/// combining marks), lower-cased. Chinese, Japanese and Korean, which do not separate
/// words: every character and every pair of neighbouring characters of a run, so a query
/// of one character matches text holding it and a longer query matches text holding all
/// its pairs (the usual bigram index, as Lucene's CJK analyzer does).
public enum TextTokens {
    /// Words longer than this are cut (a token is a key in memory: keep them small).
    public static let maxWordLength = 32

    /// The tokens to index for `text`. With `prefixes`, every prefix of a word (from one
    /// character) is a token too, so a query matches the beginnings of words.
    public static func index(_ text: String, prefixes: Bool = false) -> Set<String> {
        var tokens = Set<String>()
        scan(text) { piece in
            switch piece {
            case .word(let word):
                if prefixes {
                    var prefix = ""
                    for character in word {
                        prefix.append(character)
                        tokens.insert(prefix)
                    }
                } else {
                    tokens.insert(word)
                }
            case .ideographs(let run):
                for (index, character) in run.enumerated() {
                    tokens.insert(String(character))
                    if index + 1 < run.count { tokens.insert(String(run[index...index + 1])) }
                }
            }
        }
        return tokens
    }

    /// The tokens a query needs all of: its words, and for each ideograph run its pairs (or
    /// the single character of a one-character run).
    public static func query(_ text: String) -> [String] {
        var tokens: [String] = []
        scan(text) { piece in
            switch piece {
            case .word(let word):
                tokens.append(word)
            case .ideographs(let run):
                if run.count == 1 { tokens.append(String(run)) }
                for index in 0..<max(0, run.count - 1) { tokens.append(String(run[index...index + 1])) }
            }
        }
        var seen = Set<String>()
        return tokens.filter { seen.insert($0).inserted }
    }

    /// Whether a match of the index for `query` can be wrong: a run of three or more
    /// ideographs is looked up by its pairs, and text can hold every pair of `东京塔`
    /// (`东京`, `京塔`) without the run itself. Words and shorter runs are exact.
    public static func needsVerification(_ query: String) -> Bool {
        var longRun = false
        scan(query) { piece in
            if case .ideographs(let run) = piece, run.count >= 3 { longRun = true }
        }
        return longRun
    }

    /// Whether `text` holds every ideograph run of three or more characters of `query` as a
    /// run of its own (the check behind `needsVerification`; words and shorter runs are the
    /// index's to judge).
    public static func holdsLongRuns(of query: String, in text: String) -> Bool {
        var wanted: [String] = []
        scan(query) { piece in
            if case .ideographs(let run) = piece, run.count >= 3 { wanted.append(String(run)) }
        }
        guard !wanted.isEmpty else { return true }
        var runs: [String] = []
        scan(text) { piece in
            if case .ideographs(let run) = piece, run.count >= 3 { runs.append(String(run)) }
        }
        return wanted.allSatisfy { run in runs.contains { $0.contains(run) } }
    }

    enum Piece {
        case word(String)
        case ideographs([Character])
    }

    static func scan(_ text: String, _ body: (Piece) -> Void) {
        var word = ""
        var run: [Character] = []
        func flush() {
            if !word.isEmpty { body(.word(String(word.prefix(maxWordLength)))) }
            if !run.isEmpty { body(.ideographs(run)) }
            word = ""
            run = []
        }
        for character in text.lowercased() {
            if isIdeograph(character) {
                if !word.isEmpty { body(.word(String(word.prefix(maxWordLength)))); word = "" }
                run.append(character)
            } else if character.isLetter || character.isNumber || character == "_" {
                if !run.isEmpty { body(.ideographs(run)); run = [] }
                word.append(character)
            } else {
                flush()
            }
        }
        flush()
    }

    /// Han, kana and Hangul: the scripts written without spaces between words.
    static func isIdeograph(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF,  // Hiragana, Katakana
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F,  // Han
            0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF:  // Hangul
            return true
        default:
            return false
        }
    }
}
