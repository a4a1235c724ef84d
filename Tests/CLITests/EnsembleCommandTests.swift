// Ensembles through the built binary: `--model` given twice translates and evaluates with both models
// (the run's best model and its last checkpoint share vocabularies), and models whose vocabularies differ
// are refused with one line naming the file.
import Foundation
import XCTest

final class EnsembleCommandTests: XCTestCase {
    typealias T = TrainTranslateTests

    func testTwoModelsEvaluateTogether() throws {
        XCTAssertEqual(T.trained.status, 0, T.trained.stderr)
        let r = try S2SCommand.run(["evaluate", "--model", T.path("m.s2s"), "--model", T.path("m.s2s.ckpt"),
                                    T.path("train.en"), T.path("train.fr"), "--json", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["models"] as? Int, 2)
        XCTAssertGreaterThan(json["bleu"] as! Double, 90, "two models that each learned the set, together")
        let text = try S2SCommand.run(["evaluate", "--model", T.path("m.s2s"), "--model", T.path("m.s2s.ckpt"),
                                       T.path("train.en"), T.path("train.fr")])
        XCTAssertTrue(text.stdout.contains("an ensemble of 2 models"), text.stdout)

        let (src, tgt) = T.corpus()
        let t = try S2SCommand.run(["translate", "--model", T.path("m.s2s"), "--model", T.path("m.s2s.ckpt"), src[0]])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertEqual(t.stdout, tgt[0] + "\n")
    }

    func testModelsWithOtherVocabulariesAreRefused() throws {
        XCTAssertEqual(T.trained.status, 0, T.trained.stderr)
        let legacy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/legacy-gru-v1/model.s2s").path
        let r = try S2SCommand.run(["translate", "--model", T.path("m.s2s"), "--model", legacy, "s1 s2."])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("\(legacy): its vocabularies differ from those of \(T.path("m.s2s"))"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
