// The SVG pictures: they parse as XML, hold what they draw (a square per attention weight with its value,
// a line per run), escape text, and refuse logs that are not training logs with the file and line.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import S2SDecode
@testable import S2SPictures
import XCTest

final class PicturesTests: XCTestCase {
    func parses(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
    }

    func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

    func testAttentionHeatMapHasASquarePerWeightWithItsValue() {
        let a = Alignment(sourcePieces: ["I", "speak", "French", "<&>"], targetPieces: ["Je", "parle", "français"],
                          weights: [[0.9, 0.05, 0.05, 0], [0.1, 0.8, 0.1, 0], [0, 0.2, 0.7, 0.1]])
        let svg = AttentionSVG.render([.init(source: "I speak French", translation: "Je parle \"français\"", alignment: a),
                                       .init(source: "I speak French", translation: "Je parle français", alignment: a)])
        parses(svg)
        XCTAssertEqual(count("<rect x=", in: svg), 2 * 12, "one square per weight per sentence")
        XCTAssertTrue(svg.contains("<title>parle ← speak: 80.0%</title>"), "the value shows on hover")
        XCTAssertTrue(svg.contains("&lt;&amp;&gt;") && svg.contains("&quot;français&quot;"), "text is escaped")
        XCTAssertTrue(svg.contains("fill-opacity=\"0.900\""), "darker for more weight")
    }

    func testCurvesOverlayRunsWithALegend() throws {
        func log(_ scale: Double) -> String {
            (1...20).map { step in
                #"{"type":"progress","step":\#(step * 10),"train_seconds":\#(Double(step) * 6),"loss":\#(5.0 / Double(step) * scale)}"#
            }.joined(separator: "\n") + "\n" + #"{"type":"validation","step":200,"train_seconds":120,"dev_bleu":\#(30 * scale)}"#
                + "\n" + #"{"type":"summary","step":200,"train_seconds":120}"# + "\n"
        }
        let a = try TrainingLog.parse(log(1), name: "base", file: "a.jsonl")
        let b = try TrainingLog.parse(log(0.5), name: "tied & small", file: "b.jsonl")
        XCTAssertEqual(a.loss.count, 20)
        XCTAssertEqual(a.bleu, [.init(minutes: 2, step: 200, value: 30)])
        let svg = TrainingCurves.render([a, b])
        parses(svg)
        XCTAssertEqual(count("<polyline", in: svg), 8, "two runs × four panels")
        XCTAssertTrue(svg.contains(">base</text>") && svg.contains(">tied &amp; small</text>"), "a legend entry per run")
        XCTAssertTrue(svg.contains("dev BLEU against minutes") && svg.contains("training loss against steps"))
    }

    func testALogThatIsNotATrainingLogIsRefusedWithFileAndLine() {
        XCTAssertThrowsError(try TrainingLog.parse("{\"type\":\"progress\",\"step\":1,\"train_seconds\":1,\"loss\":2}\nnot json\n",
                                                   name: "x", file: "run.jsonl")) { error in
            XCTAssertTrue("\(error)".hasPrefix("run.jsonl:2:"), "\(error)")
        }
        XCTAssertThrowsError(try TrainingLog.parse("{\"a\": 1}\n", name: "x", file: "other.jsonl")) { error in
            XCTAssertTrue("\(error)".contains("no progress or validation rows"), "\(error)")
        }
    }

    func testLongSeriesAreThinnedToMeansOfNeighbours() {
        let points = (0..<1000).map { (Double($0), $0 % 2 == 0 ? 1.0 : 3.0) }
        let thin = TrainingCurves.thinned(points, limit: 100)
        XCTAssertEqual(thin.count, 100)
        XCTAssertEqual(thin[0].0, 4.5, accuracy: 1e-9)
        XCTAssertTrue(thin.allSatisfy { abs($0.1 - 2) < 1e-9 }, "each point is the mean of its group")
        XCTAssertEqual(TrainingCurves.thinned(Array(points.prefix(50)), limit: 100).count, 50, "short series are kept whole")
    }

    func testTicksAreRoundAndCoverTheRange() {
        XCTAssertEqual(SVG.ticks(0, 30), [0, 10, 20, 30])
        XCTAssertEqual(SVG.ticks(1.5, 8.2), [2, 4, 6, 8])
        XCTAssertEqual(SVG.label(20000), "20k")
        XCTAssertEqual(SVG.label(0.25), "0.25")
    }
}
