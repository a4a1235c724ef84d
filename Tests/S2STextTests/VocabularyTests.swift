// Vocabulary: fixed specials, ordering and cut-offs, encode/decode, and the file format
// with its errors (each naming file and line).
import XCTest
@testable import S2SText

final class VocabularyTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws { directory = try makeTemporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testSpecialsComeFirstAtFixedIds() throws {
        let vocabulary = try Vocabulary(counts: ["chat": 3])
        XCTAssertEqual(Array(vocabulary.tokens.prefix(4)), ["<pad>", "<unk>", "<s>", "</s>"])
        XCTAssertEqual(vocabulary.id("<pad>"), Vocabulary.pad)
        XCTAssertEqual(vocabulary.id("<unk>"), Vocabulary.unk)
        XCTAssertEqual(vocabulary.id("<s>"), Vocabulary.bos)
        XCTAssertEqual(vocabulary.id("</s>"), Vocabulary.eos)
        XCTAssertEqual([Vocabulary.pad, Vocabulary.unk, Vocabulary.bos, Vocabulary.eos], [0, 1, 2, 3])
        XCTAssertEqual(Array(vocabulary.counts.prefix(4)), [0, 0, 0, 0])
    }

    func testOrderIsCountDescendingThenCodePoints() throws {
        let vocabulary = try Vocabulary(counts: ["b": 5, "a": 5, "é": 5, "Z": 5, "rare": 1, "top": 9, "<s>": 100, "": 4])
        // Ties by UTF-8 bytes: "Z" (5A) < "a" < "b" < "é" (C3 A9). Specials and "" in counts are ignored.
        XCTAssertEqual(Array(vocabulary.tokens.dropFirst(4)), ["top", "Z", "a", "b", "é", "rare"])
        XCTAssertEqual(Array(vocabulary.counts.dropFirst(4)), [9, 5, 5, 5, 5, 1])
        // Independent of the order counts were gathered in.
        let pairs: [(String, Int)] = [("b", 5), ("a", 5), ("é", 5), ("Z", 5), ("rare", 1), ("top", 9)]
        XCTAssertEqual(try Vocabulary(counts: Dictionary(uniqueKeysWithValues: pairs.reversed())).tokens,
                       try Vocabulary(counts: Dictionary(uniqueKeysWithValues: pairs)).tokens)
    }

    func testMinCountAndMaxSize() throws {
        let counts = ["a": 10, "b": 8, "c": 3, "d": 2, "e": 1]
        XCTAssertEqual(Array(try Vocabulary(counts: counts, minCount: 3).tokens.dropFirst(4)), ["a", "b", "c"])
        let capped = try Vocabulary(counts: counts, maxSize: 6)
        XCTAssertEqual(capped.count, 6, "max size includes the 4 specials")
        XCTAssertEqual(Array(capped.tokens.dropFirst(4)), ["a", "b"])
        XCTAssertEqual(try Vocabulary(counts: counts, maxSize: 4).count, 4)
        XCTAssertEqual(try Vocabulary(counts: counts, minCount: 2, maxSize: 100).count, 8)
        assertTextError(.invalidOption, contains: ["--max-size", "3"]) { _ = try Vocabulary(counts: counts, maxSize: 3) }
        assertTextError(.invalidOption, contains: ["--min-count"]) { _ = try Vocabulary(counts: counts, minCount: 0) }
    }

    func testEncodeDecode() throws {
        let vocabulary = try Vocabulary(counts: ["le": 5, "chat": 3])
        XCTAssertEqual(vocabulary.encode(["le", "chien", "chat"]), [4, Vocabulary.unk, 5])
        XCTAssertEqual(vocabulary.decode([4, 5, 1, 3, 99, -1]), ["le", "chat", "<unk>", "</s>", "<unk>", "<unk>"])
        XCTAssertTrue(vocabulary.contains("chat"))
        XCTAssertFalse(vocabulary.contains("chien"))
    }

    func testFileRoundTrip() throws {
        let vocabulary = try Vocabulary(counts: ["￭.": 7, "l'": 5, "été": 5, "👍": 1, "a@@": 2])
        let path = directory + "/src.vocab"
        try vocabulary.write(toFile: path)
        XCTAssertEqual(try Vocabulary(contentsOfFile: path), vocabulary)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n￭.\t7\n"))
        XCTAssertEqual(try Vocabulary(fileContents: text, origin: "x"), vocabulary)
        // No temporary files are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["src.vocab"])
    }

    func testFileErrorsNameFileAndLine() throws {
        let header = "<pad>\t0\n<unk>\t0\n<s>\t0\n</s>\t0\n"
        let cases: [(String, String, [String])] = [
            ("notab.vocab", header + "chat 3\n", ["notab.vocab:5", "tab"]),
            ("count.vocab", header + "chat\tthree\n", ["count.vocab:5", "three"]),
            ("negative.vocab", header + "chat\t-1\n", ["negative.vocab:5", "-1"]),
            ("emptytoken.vocab", header + "\t3\n", ["emptytoken.vocab:5", "empty token"]),
            ("specials.vocab", "<unk>\t0\n<pad>\t0\n", ["specials.vocab:1", "<pad>"]),
            ("duplicate.vocab", header + "chat\t3\nchat\t2\n", ["duplicate.vocab:6", "duplicate", "chat"]),
            ("blank.vocab", header + "chat\t3\n\nchien\t2\n", ["blank.vocab:6", "empty line"]),
            ("short.vocab", "<pad>\t0\n<unk>\t0\n", ["short.vocab", "must start with"]),
        ]
        for (name, text, fragments) in cases {
            let path = try writeFile(directory, name, text)
            assertTextError(.badFormat, contains: fragments) { _ = try Vocabulary(contentsOfFile: path) }
        }
        let invalid = try writeFile(directory, "utf8.vocab", bytes: Array(header.utf8) + [0x63, 0xFF, 0x09, 0x31, 0x0A])
        assertTextError(.invalidUTF8, contains: ["utf8.vocab:5"]) { _ = try Vocabulary(contentsOfFile: invalid) }
        assertTextError(.io, contains: ["nowhere.vocab"]) { _ = try Vocabulary(contentsOfFile: directory + "/nowhere.vocab") }
    }
}
