// Tokenizer: the exact form round-trips every input, tokens are what the rules say
// (words, numbers, one token per punctuation mark, elisions and contractions split).
import XCTest
@testable import S2SText

final class TokenizerTests: XCTestCase {
    let hardInputs: [String] = [
        "",
        "   ",
        " \t \u{A0}\u{202F} ",
        "\t\tTabs\tand\nnewlines\r\nmixed\n",
        "  leading, trailing and  double  spaces  ",
        "Ça a été un été très chaud à Noël, n'est-ce pas ?",
        "e\u{301}te\u{301} a\u{300} l'e\u{301}cole",                 // NFD input
        "Z\u{335}\u{32A}a\u{337}\u{318}l\u{334}g\u{336}o\u{336}",       // stacked combining marks
        "\u{301}starts with a combining mark",
        "👨‍👩‍👧‍👦 family, 👍🏽 thumbs, 🇫🇷🇬🇧 flags!",
        "我是学生。他们在北京工作。日本語のテキストです。",
        "π ≈ 3.14, 1,000 people, 2.5e10 and -7 °C",
        "see https://example.com/a?b=1&c=2#top or mail me@example.org",
        "Привет world مرحبا שלום צ'יפס สวัสดีครับ नमस्ते",
        "Bonjour\u{A0}! Ça va\u{202F}? « Oui »",
        "Qu’est-ce que c’est ? L’été jusqu’à aujourd’hui.",
        "I don't know; can't, won't, I'm, we're, they've, I'll, she'd.",
        "\"quoted\" (parenthesised) [bracketed] {braced} — dash … ellipsis...",
        "a\u{FFED}b with the joiner character inside",
        "x@@y double at",
        "\u{200B}zero\u{200B}width\u{2060}joiners\u{FEFF}",
    ]

    func testExactFormRoundTripsHardInputs() throws {
        for language in ["en", "fr", "de"] {
            let tokenizer = try Tokenizer(language: language)
            for input in hardInputs {
                let line = tokenizer.tokenize(input)
                XCTAssertEqual(tokenizer.detokenize(line), tokenizer.normalize(input), "\(language): \(input.debugDescription)")
                for token in line.tokens {
                    XCTAssertFalse(token.text.isEmpty)
                    XCTAssertFalse(token.text.unicodeScalars.contains { $0.properties.isWhitespace }, "token \(token.text.debugDescription) holds whitespace")
                    XCTAssertTrue(token.leadingWhitespace.unicodeScalars.allSatisfy { $0.properties.isWhitespace })
                }
                XCTAssertTrue(line.trailingWhitespace.unicodeScalars.allSatisfy { $0.properties.isWhitespace })
            }
        }
    }

    func testExactFormRoundTripsRandomText() throws {
        // Random strings over an alphabet chosen to stress boundaries: combining marks,
        // apostrophes, emoji parts, every kind of whitespace, CJK, digits and separators.
        let alphabet: [String] = ["a", "Z", "é", "e\u{301}", "\u{301}", "\u{308}", "'", "’", "l'", "qu'", "n't", " ", "  ", "\t", "\n",
                                  "\r\n", "\u{A0}", "\u{202F}", "\u{2009}", "\u{3000}", ".", ",", "-", "?", "!", "@", "1", "3.14", "中",
                                  "文", "カ", "👍", "🏽", "\u{200D}", "❤️", "🇫", "🇷", "ß", "İ", "ſ", "\u{FFED}", "\u{FEFF}", "ﬁ", "Å", "x"]
        var random = SeededGenerator(seed: 42)
        for language in ["en", "fr"] {
            for lowercase in [false, true] {
                let tokenizer = try Tokenizer(language: language, lowercase: lowercase)
                for _ in 0..<400 {
                    let input = (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
                    XCTAssertEqual(tokenizer.detokenize(tokenizer.tokenize(input)), tokenizer.normalize(input),
                                   "\(language) lowercase=\(lowercase): \(input.unicodeScalars.map { String($0.value, radix: 16) })")
                }
            }
        }
    }

    func testNormalizationIsNFCAndTokensAreNFC() throws {
        let tokenizer = try Tokenizer(language: "fr")
        let nfd = "e\u{301}te\u{301}"
        XCTAssertEqual(Array(tokenizer.normalize(nfd).unicodeScalars), Array("\u{E9}t\u{E9}".unicodeScalars))
        XCTAssertEqual(tokenizer.tokenize(nfd).tokens.map { Array($0.text.unicodeScalars) }, [Array("\u{E9}t\u{E9}".unicodeScalars)])
    }

    func testWordsNumbersAndOneTokenPerPunctuationMark() throws {
        let tokenizer = try Tokenizer(language: "en")
        let line = tokenizer.tokenize("Wait... 3.14 or 1,000?! (ok)")
        XCTAssertEqual(line.texts, ["Wait", ".", ".", ".", "3.14", "or", "1,000", "?", "!", "(", "ok", ")"])
        XCTAssertEqual(line.tokens.map(\.kind), [.word, .punctuation, .punctuation, .punctuation, .word, .word, .word,
                                                 .punctuation, .punctuation, .punctuation, .word, .punctuation])
        XCTAssertEqual(line.tokens.map(\.leadingWhitespace), ["", "", "", "", " ", " ", " ", "", "", " ", "", ""])
    }

    func testEmojiSequencesStayWholeAndAtIsItsOwnToken() throws {
        let tokenizer = try Tokenizer(language: "en")
        XCTAssertEqual(tokenizer.tokenize("👨‍👩‍👧‍👦🇫🇷 hi").texts, ["👨‍👩‍👧‍👦", "🇫🇷", "hi"])
        XCTAssertEqual(tokenizer.tokenize("me@example.org").texts, ["me", "@", "example.org"])
        XCTAssertEqual(tokenizer.tokenize("x@@y").texts, ["x", "@", "@", "y"])
    }

    func testWhitespaceIsRecordedExactly() throws {
        let tokenizer = try Tokenizer(language: "fr")
        let line = tokenizer.tokenize("\t Bonjour\u{A0}!\u{202F}\n")
        XCTAssertEqual(line.texts, ["Bonjour", "!"])
        XCTAssertEqual(line.tokens.map(\.leadingWhitespace), ["\t ", "\u{A0}"])
        XCTAssertEqual(line.trailingWhitespace, "\u{202F}\n")

        XCTAssertEqual(tokenizer.tokenize(""), TokenizedLine(tokens: [], trailingWhitespace: ""))
        XCTAssertEqual(tokenizer.tokenize(" \u{A0}\t"), TokenizedLine(tokens: [], trailingWhitespace: " \u{A0}\t"))
    }

    func testFrenchElisions() throws {
        let fr = try Tokenizer(language: "fr")
        XCTAssertEqual(fr.tokenize("Qu'est-ce que c'est ?").texts, ["Qu'", "est", "-", "ce", "que", "c'", "est", "?"])
        XCTAssertEqual(fr.tokenize("l'homme d'affaires j'ai n'y s'il m'a t'es").texts,
                       ["l'", "homme", "d'", "affaires", "j'", "ai", "n'", "y", "s'", "il", "m'", "a", "t'", "es"])
        XCTAssertEqual(fr.tokenize("jusqu'ici lorsqu'il puisqu'elle").texts, ["jusqu'", "ici", "lorsqu'", "il", "puisqu'", "elle"])
        // Typographic apostrophe and capitals; apostrophes are kept as written.
        XCTAssertEqual(fr.tokenize("L’Été QU’IL JUSQU’À").texts, ["L’", "Été", "QU’", "IL", "JUSQU’", "À"])
        // Words with an inner apostrophe that is not an elision stay whole.
        XCTAssertEqual(fr.tokenize("aujourd'hui quelqu'un presqu’île").texts, ["aujourd'hui", "quelqu'un", "presqu’île"])
        XCTAssertEqual(fr.tokenize("d'aujourd'hui").texts, ["d'", "aujourd'hui"])
        // An apostrophe that ends a word is punctuation, not an elision.
        XCTAssertEqual(fr.tokenize("l' homme").texts, ["l", "'", "homme"])
        // English rules do not apply to French.
        XCTAssertEqual(fr.tokenize("don't").texts, ["don't"])
    }

    func testEnglishContractionsPennStyle() throws {
        let en = try Tokenizer(language: "en")
        XCTAssertEqual(en.tokenize("I don't think I'm sure he's here; we're done, they've left, I'll go, she'd stay.").texts,
                       ["I", "do", "n't", "think", "I", "'m", "sure", "he", "'s", "here", ";", "we", "'re", "done", ",",
                        "they", "'ve", "left", ",", "I", "'ll", "go", ",", "she", "'d", "stay", "."])
        XCTAssertEqual(en.tokenize("can't won't CAN'T Don’t").texts, ["ca", "n't", "wo", "n't", "CA", "N'T", "Do", "n’t"])
        XCTAssertEqual(en.tokenize("John's I'd've").texts, ["John", "'s", "I", "'d", "'ve"])
        // Not contractions: o'clock, rock'n'roll; possessive plural apostrophe is punctuation.
        XCTAssertEqual(en.tokenize("o'clock rock'n'roll students'").texts, ["o'clock", "rock'n'roll", "students", "'"])
        // French rules do not apply to English.
        XCTAssertEqual(en.tokenize("l'homme").texts, ["l'homme"])
    }

    func testLowercaseOptionIsOffByDefault() throws {
        XCTAssertEqual(try Tokenizer(language: "fr").tokenize("L'ÉTÉ").texts, ["L'", "ÉTÉ"])
        let lower = try Tokenizer(language: "fr", lowercase: true)
        XCTAssertEqual(lower.tokenize("L'ÉTÉ Ça").texts, ["l'", "été", "ça"])
        XCTAssertEqual(lower.normalize("ÉTÉ"), "été")
        XCTAssertEqual(lower.detokenize(lower.tokenize(" L'ÉTÉ  Ça ")), " l'été  ça ")
    }

    func testRejectsMalformedLanguageTags() {
        for tag in ["", "e", "en us", "en/../x", "123", "en-"] {
            assertTextError(.invalidOption, contains: ["language tag"]) { _ = try Tokenizer(language: tag) }
        }
        for tag in ["en", "fr-CA", "en_US", "zh-Hant-TW"] {
            XCTAssertNoThrow(try Tokenizer(language: tag), tag)
        }
        XCTAssertTrue(LanguageRules(language: "fr-CA").splitsElisions)
        XCTAssertTrue(LanguageRules(language: "en_GB").splitsContractions)
    }
}

final class SentencesTests: XCTestCase {
    func testAParagraphSplitsIntoSentencesThatGiveItBack() {
        let line = "  Hello there. How are you?  Fine, thanks! e.g. this stays whole. "
        let sentences = Sentences.split(line, language: "en")
        XCTAssertEqual(sentences.map(\.text), ["Hello there.", "How are you?", "Fine, thanks! e.g. this stays whole."].flatMap {
            $0.hasPrefix("Fine") ? ["Fine, thanks!", "e.g. this stays whole."] : [$0]
        })
        XCTAssertEqual(sentences.map { $0.leading + $0.text + $0.trailing }.joined(), line, "nothing is lost")
        XCTAssertEqual(sentences[1].trailing, "  ", "ICU keeps the spaces after a sentence with it")
        XCTAssertEqual(Sentences.split("   ", language: "en").map(\.text), [""])
        XCTAssertEqual(Sentences.split("", language: "en").map(\.text), [""])
        XCTAssertEqual(Sentences.split("Il parle. Elle écoute.", language: "fr").map(\.text), ["Il parle.", "Elle écoute."])
    }

    /// Lines without an inner sentence end skip ICU; the result must be ICU's all the same.
    func testTheOneSentenceShortcutAgreesWithICU() {
        let lines = ["I'm hungry.", "  Où est la gare ?  ", "Vraiment ?!", "He said \"stop.\"", "(Done.)", "« Bien. »",
                     "No end at all", "3.14 is pi.", "Mr. Smith left. Then he came back.", "Hi!Bye.", "a\u{2029}b", "a\rb",
                     "What? No.", "Wait... what", "中文。日本語。", "", "   ", "x.", ".", "?!?", "semi; colon: comma, dash - end."]
        for language in ["en", "fr"] {
            for line in lines {
                XCTAssertEqual(Sentences.split(line, language: language), Sentences.icuSplit(line, language: language), line.debugDescription)
            }
        }
        XCTAssertNotNil(Sentences.singleSentence("I'm hungry."))
        XCTAssertNil(Sentences.singleSentence("What? No."))
    }
}

final class LongWordTests: XCTestCase {
    /// A "word" of 100,000 letters is merged span by span: linear time, and the pieces join back to it.
    func testAVeryLongWordSegmentsQuicklyAndJoinsBack() {
        let bpe = BPE(merges: [BPE.Merge("a", "b"), BPE.Merge("ab", "c"), BPE.Merge("abc", "abc")])
        let word = String(repeating: "abcabcx", count: 100_000 / 7)
        let started = Date()
        let pieces = bpe.segment(word)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertTrue(BPE.join(pieces) == [word], "the pieces join back to the word")
        XCTAssertTrue(pieces.contains("abcabc" + BPE.continuation), "merges still apply within spans")
        XCTAssertFalse(pieces.contains { $0.contains(BPE.endOfWord) }, "no end-of-word marker inside the word")
    }
}
