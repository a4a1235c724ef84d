// `s2s train --cell` and `--units` through the built binary: an LSTM over characters and an Elman RNN
// over words train on the tiny corpus, say what they are, store their cell in the model file, and translate.
import Foundation
import XCTest

final class CellAndUnitsTests: XCTestCase {
    typealias T = TrainTranslateTests

    func train(_ extra: [String], model: String) throws -> CommandResult {
        var base = T.tinyModel
        if let i = base.firstIndex(of: "--bpe") { base.removeSubrange(i...(i + 1)) }  // --units decides
        return try S2SCommand.run(["train", T.path("train.en"), T.path("train.fr"), "--dev-src", T.path("train.en"),
                                   "--dev-tgt", T.path("train.fr"), "--epochs", "40", "--valid-every", "1000",
                                   "--model", T.path(model), "--overwrite"] + base + extra, timeout: 600)
    }

    func testLSTMOverCharactersTrainsAndTranslates() throws {
        let r = try train(["--cell", "lstm", "--units", "char", "--max-len", "200"], model: "lstm-char.s2s")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("(characters)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("LSTM cells"), r.stderr)
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: T.path("lstm-char.s2s"))).prefix(8192), as: UTF8.self)
        XCTAssertTrue(header.contains(#"\"cell\":\"lstm\""#), "the cell is stored in the model file")
        let t = try S2SCommand.run(["translate", "--model", T.path("lstm-char.s2s"), "--threads", "1"],
                                   stdin: T.corpus().src.prefix(3).joined(separator: "\n") + "\n\n")
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertEqual(t.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 5, "line-aligned: \(t.stdout)")
    }

    func testElmanOverWordsLearnsTheTinyCorpus() throws {
        let r = try train(["--cell", "rnn", "--units", "word"], model: "rnn-word.s2s")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("RNN cells") && r.stderr.contains("(words)"), r.stderr)
        let (src, tgt) = T.corpus()
        let t = try S2SCommand.run(["translate", "--model", T.path("rnn-word.s2s"), "--threads", "1"],
                                   stdin: src.joined(separator: "\n") + "\n")
        XCTAssertEqual(t.status, 0, t.stderr)
        let out = t.stdout.split(separator: "\n").map(String.init)
        let right = zip(out, tgt).filter { $0 == $1 }.count
        XCTAssertGreaterThan(right, tgt.count / 2, "the Elman model should learn most of its training set: \(out)")
    }

    func testUnitsAndCellErrors() throws {
        let bad = try S2SCommand.run(["train", "--units", "char", "--bpe", "100"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--bpe"), bad.stderr)
        let cell = try S2SCommand.run(["train", "--cell", "transformer"])
        XCTAssertNotEqual(cell.status, 0)
        XCTAssertTrue(cell.stderr.contains("gru") && cell.stderr.contains("lstm"), cell.stderr)
    }
}
