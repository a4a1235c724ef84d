// Beam search against greedy search on a small trained model: beam 1 is exactly greedy; a wider beam
// never returns a lower normalised model score than beam 1; n-best lists are sorted and distinct;
// finished sentences leave the batch without changing the others' results.
import XCTest
import S2SNet
@testable import S2SDecode

final class SearchTests: XCTestCase {
    /// A model trained briefly (not to convergence) so its distributions are spread and beams disagree.
    static let model: Seq2Seq = {
        let config = ModelConfig(sourceVocabSize: 25, targetVocabSize: 25, embed: 16, hidden: 32, attention: 16, readout: 32)
        let model = try! Seq2Seq(config: config)
        model.initialize(seed: 5)
        let data = OverfitTests.pairs()
        let batch = Batch(sources: data.map(\.src), targets: data.map(\.tgt))
        let ws = Workspace(model: model)
        let adam = Adam(parameterCount: model.params.count)
        var rng = Rng(seed: 3)
        for _ in 0..<60 {
            model.forwardBackward(batch, workspace: ws, options: PassOptions(), rng: &rng, zeroingGradients: false)
            adam.update(model.params, learningRate: 0.01)
        }
        return model
    }()

    static var sources: [[Int32]] {
        var rng = Rng(seed: 77)
        return OverfitTests.pairs().map(\.src) + (0..<20).map { _ in
            (0..<(1 + Int(rng.next() % 8))).map { _ in Int32(4 + rng.next() % 20) }
        }
    }

    /// topK skips blocks of 8 below the current k-th best; it must still agree with a full sort, ties
    /// (lower id first), lengths that are not multiples of 8, and the best entry at either end included.
    func testTopKAgreesWithSorting() {
        var rng = Rng(seed: 11)
        for n in [5, 7, 8, 9, 16, 31, 100, 1003] {
            for k in [1, 3, 5] where k <= n {
                for coarse in [false, true] {
                    var x = (0..<n).map { _ in Float(rng.next() % 10_000) / 100 - 50 }
                    if coarse { x = x.map { ($0 / 10).rounded() } }  // many ties
                    if n > 9 { x[n - 1] = 1000; x[0] = 999 }
                    var ids = [Int32](repeating: -1, count: k), values = [Float](repeating: 0, count: k)
                    topK(x, n, k, &ids, &values)
                    let expected = x.indices.sorted { (x[$0], -$0) > (x[$1], -$1) }.prefix(k)
                    XCTAssertEqual(ids, expected.map { Int32($0) }, "n \(n) k \(k) ties \(coarse)")
                    XCTAssertEqual(values, expected.map { x[$0] })
                }
            }
        }
    }

    /// A step leaves unnormalised scores and their log normaliser: exp(logits − logZ) is a distribution, and
    /// logZ matches a log-sum-exp computed in Double.
    func testStepLogitsAndNormaliser() {
        let model = Self.model, V = model.config.targetVocabSize
        let encoded = model.encode([[4, 5, 6], [7, 8]])
        let ws = StepWorkspace(config: model.config)
        let sentence: [Int32] = [0, 1, 1], previous: [Int32] = [SpecialIds.bos, SpecialIds.bos, 9]
        var states = [Float](repeating: 0, count: 3 * model.config.hidden)
        for i in 0..<(2 * model.config.hidden) { states[i] = encoded.initialStates[i] }
        model.decodeStep(encoded, sentence: sentence, previous: previous, states: states, rows: 3, workspace: ws)
        for row in 0..<3 {
            let x = (0..<V).map { Double(ws.logits[row * V + $0]) }
            let m = x.max()!
            let lse = m + log(x.map { exp($0 - m) }.reduce(0, +))
            XCTAssertEqual(Double(ws.logZ[row]), lse, accuracy: 1e-4)
            XCTAssertEqual(x.map { exp($0 - Double(ws.logZ[row])) }.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testBeamOneIsGreedy() {
        let model = Self.model, sources = Self.sources
        let greedy = greedySearch(model: model, sources: sources)
        for alpha: Float in [0, 0.6, 1] {
            let beam = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 1, alpha: alpha))
            for (g, b) in zip(greedy, beam) {
                XCTAssertEqual(b[0].hypothesis.tokens, g.tokens)
                XCTAssertEqual(b[0].hypothesis.logProb, g.logProb, accuracy: 1e-5)
            }
        }
    }

    func testWiderBeamNeverScoresLower() {
        let model = Self.model, sources = Self.sources
        for alpha: Float in [0, 0.6] {
            let one = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 1, alpha: alpha))
            var better = 0
            for k in [2, 5, 8] {
                let wide = beamSearch(model: model, sources: sources, options: BeamOptions(beam: k, alpha: alpha))
                for (a, b) in zip(one, wide) {
                    XCTAssertGreaterThanOrEqual(b[0].score, a[0].score - 1e-5, "beam \(k) alpha \(alpha)")
                    if b[0].score > a[0].score + 1e-4 { better += 1 }
                }
            }
            XCTAssertGreaterThan(better, 0, "a wider beam never found anything better: the test model is too easy")
        }
    }

    func testNBestListsAreSortedAndDistinct() {
        let lists = beamSearch(model: Self.model, sources: Self.sources, options: BeamOptions(beam: 6, nbest: 6))
        for list in lists {
            XCTAssertFalse(list.isEmpty)
            XCTAssertLessThanOrEqual(list.count, 6)
            XCTAssertEqual(list.map(\.score), list.map(\.score).sorted(by: >))
            XCTAssertEqual(Set(list.map(\.hypothesis.tokens)).count, list.count)
        }
        XCTAssertGreaterThan(lists.map(\.count).max()!, 1)
    }

    func testBatchingDoesNotChangeResults() {
        let sources = Self.sources
        let together = beamSearch(model: Self.model, sources: sources, options: BeamOptions(beam: 4))
        for (i, s) in sources.enumerated().prefix(10) {
            let alone = beamSearch(model: Self.model, sources: [s], options: BeamOptions(beam: 4))
            XCTAssertEqual(alone[0][0].hypothesis.tokens, together[i][0].hypothesis.tokens)
            XCTAssertEqual(alone[0][0].score, together[i][0].score, accuracy: 1e-4)
        }
    }

    func testAttentionRowsAreDistributions() {
        let src: [[Int32]] = [[4, 5, 6, 7], [8, 9]]
        let out = beamSearch(model: Self.model, sources: src, options: BeamOptions(beam: 3, keepAttention: true))
        for (s, list) in zip(src, out) {
            let hyp = list[0].hypothesis
            XCTAssertGreaterThanOrEqual(hyp.attention.count, hyp.tokens.count)
            for row in hyp.attention {
                XCTAssertEqual(row.prefix(s.count + 1).reduce(0, +), 1, accuracy: 1e-5)
                XCTAssertTrue(row.dropFirst(s.count + 1).allSatisfy { $0 == 0 }, "padding got attention")
            }
        }
    }
}
