// Pieces (tokens with joiner markers) and their detokenizer: the marker rule, the exact
// round trip for single-spaced text, and totality on whatever a model might emit.
import XCTest
@testable import S2SText

final class JoinerMarkerTests: XCTestCase {
    func testMarkerRule() throws {
        let fr = try Tokenizer(language: "fr"), en = try Tokenizer(language: "en")
        XCTAssertEqual(fr.pieces("Je parle français."), ["Je", "parle", "français", "￭."])
        // Punctuation between two words carries a marker on both sides.
        XCTAssertEqual(fr.pieces("Qu'est-ce que c'est ?"), ["Qu'", "est", "￭-￭", "ce", "que", "c'", "est", "?"])
        XCTAssertEqual(en.pieces("(I don't) \"know\"..."), ["(￭", "I", "do", "n't", "￭)", "\"￭", "know", "￭\"", "￭.", "￭.", "￭."])
        // Word–word with no space and no elision: a leading marker on the right.
        XCTAssertEqual(en.pieces("我是学生"), ["我是", "￭学生"])
        XCTAssertEqual(en.pieces("me@example.org"), ["me", "￭@￭", "example.org"])
        // Any whitespace run is one space; whitespace at the ends disappears.
        XCTAssertEqual(fr.pieces(" \tBonjour\u{A0}\u{A0}!\n"), ["Bonjour", "!"])
        XCTAssertEqual(fr.pieces(""), [])
        XCTAssertEqual(fr.pieces(" \u{202F} "), [])
        // The joiner character itself cannot appear inside a piece.
        XCTAssertEqual(fr.pieces("a\u{FFED}b"), ["a", "￭■￭", "b"])
    }

    func testPiecesRoundTripSingleSpacedText() throws {
        let samples = [
            "Je parle français.", "Qu'est-ce que c'est ?", "Qu’est-ce que c’est ?", "L'homme d'aujourd'hui jusqu'à l'été.",
            "I don't know, can't, won't, I'm sure.", "\"Quoted,\" (he said) [1] {x} - y -- z...", "3.14 1,000 $5 50% #tag",
            "https://example.com/a?b=c&d=e", "me@example.org x@@y", "👨‍👩‍👧‍👦 🇫🇷! ❤️?", "我是学生。他们在北京工作。",
            "Привет, мир! مرحبا שלום", "a \u{301}b", "do n't", "rock 'n' roll", "students' books", "l' homme", "' s",
            "N'T n't 'S 'll", "e\u{301}te\u{301}",
        ]
        for language in ["en", "fr"] {
            let tokenizer = try Tokenizer(language: language)
            for sample in samples {
                XCTAssertEqual(tokenizer.detokenize(pieces: tokenizer.pieces(sample)), tokenizer.normalize(sample), "\(language): \(sample)")
            }
        }
    }

    func testPiecesRoundTripRandomSingleSpacedText() throws {
        // Random "words" made of tricky parts, joined by single spaces.
        let parts = ["a", "é", "e\u{301}", "\u{301}", "'", "’", "l'", "qu'", "n't", "'s", "'m", "do", "ca", ".", ",", "-", "?", "(", ")",
                     "@", "1", "3.14", "中", "文", "👍", "🏽", "\u{200D}", "🇫", "x", "«", "»", "\"", "İ", "ß"]
        var random = SeededGenerator(seed: 7)
        for language in ["en", "fr"] {
            for lowercase in [false, true] {
                let tokenizer = try Tokenizer(language: language, lowercase: lowercase)
                for _ in 0..<500 {
                    let words = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                        (0..<Int.random(in: 1...4, using: &random)).map { _ in parts.randomElement(using: &random)! }.joined()
                    }
                    let input = words.joined(separator: " ")
                    let normalized = tokenizer.normalize(input)
                    guard !normalized.hasPrefix(" ") && !normalized.hasSuffix(" ") else { continue }
                    let pieces = tokenizer.pieces(input)
                    XCTAssertEqual(tokenizer.detokenize(pieces: pieces), normalized,
                                   "\(language): \(input.debugDescription) → \(pieces)")
                }
            }
        }
    }

    func testDetokenizerGluesOnlyByItsLanguageRules() throws {
        let fr = try Tokenizer(language: "fr"), en = try Tokenizer(language: "en")
        XCTAssertEqual(fr.detokenize(pieces: ["l'", "homme", "n't"]), "l'homme n't")
        XCTAssertEqual(en.detokenize(pieces: ["l'", "homme", "do", "n't"]), "l' homme don't")
        XCTAssertEqual(fr.detokenize(pieces: ["L’", "été", "￭,", "QU'", "IL"]), "L’été, QU'IL")
    }

    func testDetokenizerIsTotalOnModelGarbage() throws {
        let fr = try Tokenizer(language: "fr"), en = try Tokenizer(language: "en")
        XCTAssertEqual(fr.detokenize(pieces: []), "")
        XCTAssertEqual(fr.detokenize(pieces: [""]), "")
        XCTAssertEqual(fr.detokenize(pieces: ["￭"]), "")
        XCTAssertEqual(fr.detokenize(pieces: ["￭", "￭"]), "")
        XCTAssertEqual(fr.detokenize(pieces: ["a", "￭", "b"]), "ab")          // a bare marker joins
        XCTAssertEqual(fr.detokenize(pieces: ["a￭", "￭b"]), "ab")            // doubled markers join once
        XCTAssertEqual(fr.detokenize(pieces: ["￭a", "b￭"]), "a b")           // markers at the ends vanish
        XCTAssertEqual(fr.detokenize(pieces: ["a", "l'"]), "a l'")           // elision at the end
        XCTAssertEqual(fr.detokenize(pieces: ["l'", "l'", "x"]), "l'l'x")
        XCTAssertEqual(en.detokenize(pieces: ["n't", "'s"]), "n't's")         // suffixes with nothing before
        XCTAssertEqual(fr.detokenize(pieces: ["a￭￭￭b", "", "c"]), "ab c")     // markers inside a piece are dropped

        // Random sequences drawn from real pieces, markers and junk never crash or leak markers,
        // and pieces without whitespace never give double, leading or trailing spaces.
        let pool = ["￭", "￭￭", "", "l'", "qu'", "n't", "'s", "￭.", "(￭", "￭-￭", "mot", "￭mot", "mot￭", "@@", "x@@", "<unk>", "é", "\u{301}", "￭\u{301}", "👍"]
        var random = SeededGenerator(seed: 99)
        for tokenizer in [fr, en] {
            for _ in 0..<2000 {
                let pieces = (0..<Int.random(in: 0...8, using: &random)).map { _ in pool.randomElement(using: &random)! }
                let text = tokenizer.detokenize(pieces: pieces)
                XCTAssertFalse(text.unicodeScalars.contains("\u{FFED}"), "\(pieces) → \(text)")
                XCTAssertFalse(text.hasPrefix(" ") || text.hasSuffix(" ") || text.contains("  "), "\(pieces) → \(text.debugDescription)")
            }
        }
    }
}
