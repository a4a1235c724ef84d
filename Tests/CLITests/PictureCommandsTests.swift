// `s2s translate --attention-svg` and `s2s plot` through the built binary: they write standalone SVG files
// holding what they draw, and bad input gets its one-line error.
import Foundation
import XCTest

final class PictureCommandsTests: XCTestCase {
    func testAttentionSVGHasAHeatMapPerLine() throws {
        XCTAssertEqual(TrainTranslateTests.trained.status, 0)
        let svg = TrainTranslateTests.path("attention.svg")
        let (src, tgt) = TrainTranslateTests.corpus()
        let r = try S2SCommand.run(["translate", "--model", TrainTranslateTests.path("m.s2s"), "--attention-svg", svg],
                                   stdin: src[0] + "\n" + src[1] + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdoutLines, [tgt[0], tgt[1]], "the translations still go to standard output")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(text.components(separatedBy: "<g>").count - 1, 2, "one heat map per line")
        let squares = text.components(separatedBy: "<rect x=").count - 1
        var expected = 0
        for i in [0, 1] {
            let sourcePieces: Int = src[i].split(separator: " ").count + 2  // words, "." and </s>
            let targetPieces: Int = tgt[i].split(separator: " ").count + 2
            expected += sourcePieces * targetPieces
        }
        XCTAssertEqual(squares, expected, "a square per (target, source) piece pair")
    }

    func testPlotDrawsTheTrainingLog() throws {
        XCTAssertEqual(TrainTranslateTests.trained.status, 0)
        let out = TrainTranslateTests.path("curves.svg")
        let r = try S2SCommand.run(["plot", TrainTranslateTests.path("m.s2s.log.jsonl"), "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "<polyline").count - 1, 4, "loss and BLEU against minutes and steps")
        XCTAssertTrue(text.contains(">m.s2s</text>"), "the run is named by its file")

        let bad = TrainTranslateTests.path("bad.jsonl")
        try "{\"type\":\"progress\",\"step\":1,\"train_seconds\":1,\"loss\":3}\n[1, 2]\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try S2SCommand.run(["plot", bad, "-o", out])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("bad.jsonl:2:"), refused.stderr)
    }
}
