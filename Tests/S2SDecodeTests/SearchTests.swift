// Beam search against greedy search on small trained models of each cell: beam 1 is exactly greedy; the
// scores search reports are the model's; a wider beam scores higher; n-best lists are sorted and distinct;
// finished sentences leave the batch without changing the others' results.
import XCTest
import S2SNet
@testable import S2SDecode

final class SearchTests: XCTestCase {
    /// A model trained briefly (not to convergence) so its distributions are spread and beams disagree.
    static let model = trained(.gru)
    static let lstm = trained(.lstm)
    static let elman = trained(.rnn)

    static func trained(_ cell: CellKind) -> Seq2Seq {
        let config = ModelConfig(sourceVocabSize: 25, targetVocabSize: 25, embed: 16, hidden: 32, attention: 16, readout: 32,
                                 cell: cell)
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
    }

    static var sources: [[Int32]] {
        var rng = Rng(seed: 77)
        return OverfitTests.pairs().map(\.src) + (0..<20).map { _ in
            (0..<(1 + Int(rng.next() % 8))).map { _ in Int32(4 + rng.next() % 20) }
        }
    }

    /// Buffers kept between searches (SearchScratch) hold the last batch's encoder outputs and steps; a
    /// search must not see any of them: batches of other sizes and lengths through one scratch give what
    /// fresh buffers give.
    func testReusedScratchChangesNothing() {
        let model = Self.model, sources = Self.sources
        let scratch = SearchScratch(model: model)
        for batch in [sources, Array(sources.prefix(3)), [sources[7]], Array(sources.suffix(12)), sources] {
            let options = BeamOptions(beam: 3, nbest: 2)
            XCTAssertEqual(beamSearch(model: model, sources: batch, options: options, scratch: scratch),
                           beamSearch(model: model, sources: batch, options: options))
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
        let state = encoded.initialState.gathered([0, 1, 1])
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: ws)
        for row in 0..<3 {
            let x = (0..<V).map { Double(ws.logits[row * V + $0]) }
            let m = x.max()!
            let lse = m + log(x.map { exp($0 - m) }.reduce(0, +))
            XCTAssertEqual(Double(ws.logZ[row]), lse, accuracy: 1e-4)
            XCTAssertEqual(x.map { exp($0 - Double(ws.logZ[row])) }.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    /// Beam 1 is greedy for every cell; the LSTM's check also covers carrying its memory through the beam's
    /// reordering and the dropping of finished sentences (a lost or misordered c would change its outputs).
    func testBeamOneIsGreedyForEveryCell() {
        for model in [Self.model, Self.lstm, Self.elman] {
            let sources = Self.sources
            let greedy = greedySearch(model: model, sources: sources)
            for alpha: Float in [0, 0.6, 1] {
                let beam = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 1, alpha: alpha))
                for (g, b) in zip(greedy, beam) {
                    XCTAssertEqual(b[0].hypothesis.tokens, g.tokens, "\(model.config.cell)")
                    XCTAssertEqual(b[0].hypothesis.logProb, g.logProb, accuracy: 1e-5)
                }
            }
        }
    }

    /// The log-probability beam search reports for each hypothesis is what the model gives its tokens read
    /// one at a time from the start. Any state carried to the wrong row in the beam's reordering (h, or the
    /// LSTM's c) would break this.
    func testBeamScoresAreTheModelsScoresForEveryCell() {
        for model in [Self.model, Self.lstm, Self.elman] {
            let sources = Array(Self.sources.prefix(12))
            let lists = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 5, alpha: 0.6, nbest: 3))
            let V = model.config.targetVocabSize
            for (source, list) in zip(sources, lists) {
                for scored in list {
                    let encoded = model.encode([source])
                    let ws = StepWorkspace(config: model.config, threads: 1)
                    var state = encoded.initialState, previous = SpecialIds.bos, logProb = 0.0
                    let tokens = scored.hypothesis.tokens
                    let maxLen = BeamOptions().limit.maxTokens(sourceLength: source.count)
                    for next in tokens.count < maxLen ? tokens + [SpecialIds.eos] : tokens {
                        model.decodeStep(encoded, sentence: [0], previous: [previous], state: state, workspace: ws)
                        logProb += Double(ws.logits[Int(next)] - ws.logZ[0])
                        XCTAssertLessThan(Int(next), V)
                        state = ws.nextState([0])
                        previous = next
                    }
                    XCTAssertEqual(Double(scored.hypothesis.logProb), logProb, accuracy: 1e-4, "\(model.config.cell) \(source)")
                }
            }
        }
    }

    /// A wider beam finds better-scoring translations. Not on every sentence: search stops a sentence once
    /// it has K finished hypotheses (Marian's rule), and under length normalisation a live hypothesis it
    /// dropped could still have overtaken them, so a single sentence can come out below greedy. Over the
    /// set, the wider beam must score higher on average and win more sentences than it loses.
    func testWiderBeamScoresHigher() {
        let model = Self.model, sources = Self.sources
        for alpha: Float in [0, 0.6] {
            let one = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 1, alpha: alpha))
            for k in [2, 5, 8] {
                let wide = beamSearch(model: model, sources: sources, options: BeamOptions(beam: k, alpha: alpha))
                var better = 0, worse = 0, gain: Float = 0
                for (a, b) in zip(one, wide) {
                    if b[0].score > a[0].score + 1e-4 { better += 1 }
                    if b[0].score < a[0].score - 1e-4 { worse += 1 }
                    gain += b[0].score - a[0].score
                }
                XCTAssertGreaterThan(gain, 0, "beam \(k) alpha \(alpha): no better on average than greedy")
                XCTAssertGreaterThan(better, worse, "beam \(k) alpha \(alpha)")
            }
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

    /// A sentence's beam-4 result is the same searched alone or in a batch where other sentences finish
    /// earlier and leave (rows are dropped and reordered), for every cell: a cell's whole state (the LSTM's
    /// memory too) follows its row.
    func testBatchingDoesNotChangeResults() {
        let sources = Self.sources
        for model in [Self.model, Self.lstm, Self.elman] {
            let together = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 4))
            for (i, s) in sources.enumerated().prefix(10) {
                let alone = beamSearch(model: model, sources: [s], options: BeamOptions(beam: 4))
                XCTAssertEqual(alone[0][0].hypothesis.tokens, together[i][0].hypothesis.tokens, "\(model.config.cell)")
                XCTAssertEqual(alone[0][0].score, together[i][0].score, accuracy: 1e-4)
            }
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
