// The parallel corpus reader: line handling (CRLF, BOM, missing final newline, long lines
// across buffer refills), skipping with counts, and every error naming file and line.
import XCTest
@testable import S2SText

final class ParallelCorpusTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws { directory = try makeTemporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testReadsAlignedPairs() throws {
        let source = try writeFile(directory, "train.en", bytes: [0xEF, 0xBB, 0xBF] + Array("Hello.\r\nGood night.\nLast line".utf8))
        let target = try writeFile(directory, "train.fr", "Bonjour.\r\nBonne nuit.\nDernière ligne\n")
        let corpus = try ParallelCorpus(sourcePath: source, targetPath: target)
        XCTAssertEqual(corpus.pairs, [
            CorpusPair(source: "Hello.", target: "Bonjour.", line: 1),
            CorpusPair(source: "Good night.", target: "Bonne nuit.", line: 2),
            CorpusPair(source: "Last line", target: "Dernière ligne", line: 3),
        ])
        var expected = CorpusStats()
        expected.lines = 3
        expected.kept = 3
        XCTAssertEqual(corpus.stats, expected)
    }

    func testSkipsEmptyOverlongAndFilteredPairsAndCountsThem() throws {
        let source = try writeFile(directory, "a.en", "one\n\ntwo\n  \nthree is long\nfour\nfive\n")
        let target = try writeFile(directory, "a.fr", "un\ndeux\n\nquatre\ntrois\n\u{A0}\u{202F}\ncinq\n")
        let corpus = try ParallelCorpus(sourcePath: source, targetPath: target, options: CorpusOptions(maxCharacters: 12),
                                        filter: { source, _ in source != "five" })
        XCTAssertEqual(corpus.pairs.map(\.line), [1])
        XCTAssertEqual(corpus.stats.lines, 7)
        XCTAssertEqual(corpus.stats.kept, 1)
        XCTAssertEqual(corpus.stats.skippedEmpty, 4, "lines 2, 3, 4 and 6 (NBSP-only) have an empty side")
        XCTAssertEqual(corpus.stats.skippedTooLong, 1)
        XCTAssertEqual(corpus.stats.skippedByFilter, 1)
    }

    func testMaxCharactersCountsCharactersNotBytes() throws {
        let source = try writeFile(directory, "c.en", "ééééé\néééééé\n")
        let target = try writeFile(directory, "c.fr", "x\ny\n")
        let corpus = try ParallelCorpus(sourcePath: source, targetPath: target, options: CorpusOptions(maxCharacters: 5))
        XCTAssertEqual(corpus.pairs.map(\.source), ["ééééé"])
        XCTAssertEqual(try ParallelCorpus(sourcePath: source, targetPath: target, options: CorpusOptions(maxCharacters: nil)).pairs.count, 2)
    }

    func testLineCountMismatchNamesBothFilesAndCounts() throws {
        let ten = try writeFile(directory, "train.fr", (1...10).map { "l\($0)\n" }.joined())
        let eleven = try writeFile(directory, "train.en", (1...11).map { "l\($0)\n" }.joined())
        assertTextError(.lineCountMismatch, contains: ["train.fr has 10 lines", "train.en has 11"]) {
            _ = try ParallelCorpus(sourcePath: ten, targetPath: eleven)
        }
        assertTextError(.lineCountMismatch, contains: ["train.en has 11 lines", "train.fr has 10"]) {
            _ = try ParallelCorpus(sourcePath: eleven, targetPath: ten)
        }
        let empty = try writeFile(directory, "empty.en", "")
        assertTextError(.lineCountMismatch, contains: ["empty.en has 0 lines", "train.fr has 10"]) {
            _ = try ParallelCorpus(sourcePath: empty, targetPath: ten)
        }
    }

    func testInvalidUTF8NamesFileAndLine() throws {
        let good = try writeFile(directory, "train.en", "a\nb\nc\n")
        let bad = try writeFile(directory, "train.fr", bytes: Array("a\nb\n".utf8) + [0x63, 0xC3, 0x28, 0x0A])
        assertTextError(.invalidUTF8, contains: ["train.fr:3: invalid UTF-8"]) {
            _ = try ParallelCorpus(sourcePath: good, targetPath: bad)
        }
        // Pairs before the bad line are delivered by the streaming reader.
        let reader = try ParallelCorpusReader(sourcePath: good, targetPath: bad)
        XCTAssertEqual(try reader.next()?.line, 1)
        XCTAssertEqual(try reader.next()?.line, 2)
        XCTAssertThrowsError(try reader.next())
        // Overlong encodings and lone surrogates are invalid too.
        let overlong = try writeFile(directory, "overlong.en", bytes: [0xC0, 0xAF, 0x0A, 0x61, 0x0A, 0x61, 0x0A])
        assertTextError(.invalidUTF8, contains: ["overlong.en:1"]) { _ = try ParallelCorpus(sourcePath: overlong, targetPath: good) }
        let surrogate = try writeFile(directory, "surrogate.en", bytes: Array("a\n".utf8) + [0xED, 0xA0, 0x80, 0x0A, 0x61, 0x0A])
        assertTextError(.invalidUTF8, contains: ["surrogate.en:2"]) { _ = try ParallelCorpus(sourcePath: surrogate, targetPath: good) }
    }

    func testMissingFile() throws {
        let good = try writeFile(directory, "train.en", "a\n")
        assertTextError(.io, contains: ["cannot open", "nope.fr"]) {
            _ = try ParallelCorpus(sourcePath: good, targetPath: directory + "/nope.fr")
        }
    }

    func testLineReaderAcrossBufferRefillsAndLongLines() throws {
        var random = SeededGenerator(seed: 3)
        let lines = (0..<300).map { i in String(repeating: "é\(i)x", count: Int.random(in: 0...40, using: &random)) }
        let path = try writeFile(directory, "long.txt", lines.joined(separator: "\r\n") + "\n")
        let reader = try LineReader(path: path, bufferSize: 16)  // far smaller than most lines
        var read: [String] = []
        while let bytes = try reader.nextLine() { read.append(String(decoding: bytes, as: UTF8.self)) }
        XCTAssertEqual(read, lines)
        XCTAssertEqual(reader.lineNumber, 300)
    }
}
