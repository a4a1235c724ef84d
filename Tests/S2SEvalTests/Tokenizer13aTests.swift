// Tests of the 13a tokenizer: against sacreBLEU's own output on tricky strings, and against a
// slow regex transcription of sacreBLEU's code on random strings.
import XCTest
@testable import S2SEval

final class Tokenizer13aTests: XCTestCase {
    /// (input, sacreBLEU's tokenization). Produced with sacrebleu 2.6.0 on Python 3.11.7, for each
    /// input s:
    ///   python3 -c "from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a as T; print(repr(T()(s)))"
    /// (the literals below are those reprs re-escaped for Swift: \u{...} for controls, spaces and marks).
    static let sacreBLEUCases: [(input: String, expected: String)] = [
        ("Hello, world!", "Hello , world !"),
        ("It's 5 p.m. in the U.S.A.", "It's 5 p . m . in the U . S . A ."),
        ("3,50 € et 1.000,25 $", "3,50 € et 1.000,25 $"),
        ("1,000.50 and 2.5.3 v1.2-3", "1,000.50 and 2.5.3 v1.2 - 3"),
        ("a.b,c end. .start ... a..b a... …", "a . b , c end . . start . . . a . . b a . . . …"),
        ("10-20 x-y -5 5- 5--6 2019-2020", "10 - 20 x-y -5 5 - 5 - -6 2019 - 2020"),
        ("&amp;lt; &quot;hi&quot; &amp;amp; &lt;tag&gt; &#39; & amp;", "< \" hi \" & amp ; < tag > & # 39 ; & amp ;"),
        ("<skipped> word<skipped>x <skip<skipped>ped>", "wordx < skipped >"),
        ("line-\u{A}break and two\u{A}lines, dash-\u{A}", "linebreak and two lines , dash"),
        ("tab\u{9}and\u{A0}nbsp\u{2009}thin\u{200B}zwsp\u{3000}ideo\u{202F}narrow", "tab and nbsp thin\u{200B}zwsp ideo narrow"),
        ("\u{1C}info\u{1D}sep\u{1E}\u{1F}unit\u{85}nel\u{2028}ls", "info sep unit nel ls"),
        ("(hi) [x] {y} <z> @me #tag $5 %d ^_^ `code` ~a | b \\ c / d", "( hi ) [ x ] { y } < z > @ me # tag $ 5 % d ^ _ ^ ` code ` ~ a | b \\ c / d"),
        ("L'homme d'aujourd'hui « guillemets » — tiret – demi ‘single’ “double”", "L'homme d'aujourd'hui « guillemets » — tiret – demi ‘single’ “double”"),
        ("e\u{301}. é. cafe\u{301},", "e\u{301} . é . cafe\u{301} ,"),
        ("٣.٤ and ٣,٤ and 3.٤", "٣ . ٤ and ٣ , ٤ and 3 . ٤"),
        ("👍. 🇫🇷,ok 👨\u{200D}👩.", "👍 . 🇫🇷 , ok 👨\u{200D}👩 ."),
        ("  leading and trailing  ", "leading and trailing"),
        ("", ""),
        ("   ", ""),
        ("a\u{D}\u{A}b\u{D}c", "a b c"),
        ("\u{FEFF}BOM.", "\u{FEFF}BOM ."),
        ("x!x\"x#x$x%x&x'x(x)x*x+x,x-x.x/x0x1x2x3x4x5x6x7x8x9x:x;x<x=x>x?x@xAxBxCxDxExFxGxHxIxJxKxLxMxNxOxPxQxRxSxTxUxVxWxXxYxZx[x\\x]x^x_x`xaxbxcxdxexfxgxhxixjxkxlxmxnxoxpxqxrxsxtxuxvxwxxxyxzx{x|x}x~x", "x ! x \" x # x $ x % x & x'x ( x ) x * x + x , x-x . x / x0x1x2x3x4x5x6x7x8x9x : x ; x < x = x > x ? x @ xAxBxCxDxExFxGxHxIxJxKxLxMxNxOxPxQxRxSxTxUxVxWxXxYxZx [ x \\ x ] x ^ x _ x ` xaxbxcxdxexfxgxhxixjxkxlxmxnxoxpxqxrxsxtxuxvxwxxxyxzx { x | x } x ~ x"),
    ]

    func testMatchesSacreBLEUOnTrickyStrings() {
        let tokenizer = Tokenizer13a()
        for (input, expected) in Self.sacreBLEUCases {
            assertSameScalars(tokenizer.tokenize(input), expected, "input: \(input.debugDescription)")
        }
    }

    func testTokensAreTheSpaceSeparatedPiecesOfTokenize() {
        let tokenizer = Tokenizer13a()
        for (input, expected) in Self.sacreBLEUCases {
            let pieces = expected.isEmpty ? [] : expected.split(separator: " ").map(String.init)
            XCTAssertEqual(tokenizer.tokens(input).map(scalars), pieces.map(scalars), "input: \(input.debugDescription)")
        }
    }

    /// Works on Unicode scalars like Python: "e" + U+0301 stays two scalars in the token, never
    /// normalised to "é" (sacreBLEU counts "é" and "e\u{301}" as different tokens).
    func testKeepsDecomposedAccentsAsScalars() {
        let tokens = Tokenizer13a().tokens("cafe\u{301}.")
        XCTAssertEqual(tokens.map { Array($0.unicodeScalars) }, [Array("cafe\u{301}".unicodeScalars), ["."]])
    }

    /// BLEU applies Python's rstrip() before the tokenizer, which keeps a trailing "-\n" from being
    /// deleted as a hyphenated line break. The tokenizer alone deletes it (see the table above).
    func testBLEUStripsTrailingWhitespaceBeforeTokenizing() {
        let workspace = Tokenizer13aWorkspace()
        workspace.tokenize("dash-\n", stripTrailingWhitespace: true)
        XCTAssertEqual(workspace.tokenScalars.array, Array("dash-".unicodeScalars.map(\.value)))
        workspace.tokenize("dash-\n", stripTrailingWhitespace: false)
        XCTAssertEqual(workspace.tokenScalars.array, Array("dash".unicodeScalars.map(\.value)))
    }

    /// Random strings over an alphabet dense in the characters the rules care about, compared with a
    /// direct transcription of sacreBLEU's str.replace / re.sub steps using Swift Regex in
    /// Unicode-scalar mode (slow, but visibly the same program).
    func testMatchesRegexTranscriptionOnRandomStrings() {
        let alphabet: [String] = [
            "a", "Z", "é", "e\u{301}", "0", "7", "٣", ".", ",", "-", "'", "&", ";", "<", ">", "\"",
            "(", "/", "\\", "`", "~", " ", "\t", "\n", "\u{A0}", "\u{2009}", "\u{200B}", "€", "…",
            "&amp;", "&lt;", "&gt;", "&quot;", "<skipped>", "-\n", "👍",
        ]
        // The transcription itself must reproduce sacreBLEU's table, or comparing with it proves nothing.
        for (input, expected) in Self.sacreBLEUCases {
            assertSameScalars(regexTokenize13a(input), expected, "transcription, input: \(input.debugDescription)")
        }
        var rng = SplitMix64(seed: 13)
        let tokenizer = Tokenizer13a()
        for _ in 0..<1_000 {
            let length = Int(rng.next() % 16)
            var s = ""
            for _ in 0..<length { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            assertSameScalars(tokenizer.tokenize(s), regexTokenize13a(s), "input: \(s.debugDescription)")
        }
    }
}

/// Strings compared as Python compares them, scalar by scalar (Swift's == equates "é" and "e\u{301}").
private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

private func assertSameScalars(
    _ actual: String, _ expected: String, _ message: String, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(scalars(actual), scalars(expected), "\(actual.debugDescription) ≠ \(expected.debugDescription); \(message)",
                   file: file, line: line)
}

/// sacreBLEU's Tokenizer13a written the slow, literal way (str.replace + re.sub), for comparison.
func regexTokenize13a(_ input: String) -> String {
    var line = input
    for (pattern, replacement) in [
        ("<skipped>", ""), ("-\n", ""), ("\n", " "),
        ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"),
    ] {
        line = pythonReplace(line, pattern, replacement)
    }
    line = " \(line) "
    let rules: [(Regex<(Substring, Substring, Substring)>, (Substring, Substring) -> String)] = [
        (try! Regex(#"([^0-9])([\.,])"#), { "\($0) \($1) " }),
        (try! Regex(#"([\.,])([^0-9])"#), { " \($0) \($1)" }),
        (try! Regex(#"([0-9])(-)"#), { "\($0) \($1) " }),
    ]
    let punctuation = try! Regex<(Substring, Substring)>(#"([\{-\~\[-\` -\&\(-\+\:-\@\/])"#)
    line = line.replacing(punctuation.matchingSemantics(.unicodeScalar)) { " \($0.output.1) " }
    for (regex, replacement) in rules {
        line = line.replacing(regex.matchingSemantics(.unicodeScalar)) { replacement($0.output.1, $0.output.2) }
    }
    // Python's split(): runs of Python whitespace separate tokens.
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in line.unicodeScalars {
        if isPythonWhitespace(scalar.value) {
            if !current.isEmpty { tokens.append(String(current)); current = String.UnicodeScalarView() }
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { tokens.append(String(current)) }
    return tokens.joined(separator: " ")
}

/// Python's str.replace over Unicode scalars (Swift's own replacing(_:with:) compares Characters).
private func pythonReplace(_ s: String, _ pattern: String, _ replacement: String) -> String {
    let text = Array(s.unicodeScalars), target = Array(pattern.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < text.count {
        if i + target.count <= text.count && Array(text[i..<(i + target.count)]) == target {
            out.append(contentsOf: replacement.unicodeScalars)
            i += target.count
        } else {
            out.append(text[i])
            i += 1
        }
    }
    return String(out)
}

/// A small deterministic generator so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
