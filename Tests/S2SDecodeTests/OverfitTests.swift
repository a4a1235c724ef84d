// Behaviour of the whole model: a tiny model must learn 20 sentence pairs to near-zero loss and then
// reproduce them by greedy decoding. This fails if any part of forward, backward or Adam is wrong
// badly enough to stop learning, or if inference disagrees with training.
import XCTest
import S2SNet
@testable import S2SDecode

final class OverfitTests: XCTestCase {
    /// 20 pairs over a 20-word vocabulary: the target is a fixed per-word mapping of the reversed source,
    /// plus a marker word, so the model must use attention (and both encoder directions) to get it right.
    static func pairs() -> [(src: [Int32], tgt: [Int32])] {
        var rng = Rng(seed: 42)
        var out: [(src: [Int32], tgt: [Int32])] = []
        while out.count < 20 {
            let len = 2 + Int(rng.next() % 5)
            let src = (0..<len).map { _ in Int32(4 + Int(rng.next() % 20)) }
            if out.contains(where: { $0.src == src }) { continue }
            let tgt = src.reversed().map { Int32(4 + (Int($0) - 4 + 7) % 20) } + [Int32(24)]
            out.append((src, tgt))
        }
        return out
    }

    func overfit(_ cell: CellKind) throws {
        let config = ModelConfig(sourceVocabSize: 25, targetVocabSize: 25, embed: 16, hidden: 32, attention: 16, readout: 32,
                                 cell: cell)
        let model = try Seq2Seq(config: config)
        model.initialize(seed: 1)
        let data = Self.pairs()
        let batch = Batch(sources: data.map(\.src), targets: data.map(\.tgt))
        let ws = Workspace(model: model)
        var adamConfig = AdamConfig()
        adamConfig.learningRate = 0.01
        let adam = Adam(parameterCount: model.params.count, config: adamConfig)
        var rng = Rng(seed: 2)
        var meanLoss = Double.infinity
        for _ in 0..<600 {
            let sums = model.forwardBackward(batch, workspace: ws, options: PassOptions(), rng: &rng, zeroingGradients: false)
            meanLoss = sums.loss / Double(sums.tokens)
            adam.update(model.params, learningRate: 0.01)
            if meanLoss < 0.01 { break }
        }
        XCTAssertLessThan(meanLoss, 0.02, "\(cell): training did not reach near-zero loss")
        let hyps = greedySearch(model: model, sources: data.map(\.src))
        for (pair, hyp) in zip(data, hyps) {
            XCTAssertEqual(hyp.tokens, pair.tgt, "\(cell): source \(pair.src)")
            XCTAssertLessThan(-hyp.logProb, 0.5)
        }
    }

    func testTinyGRUOverfitsTwentyPairsAndGreedyReproducesThem() throws { try overfit(.gru) }
    func testTinyLSTMOverfitsTwentyPairsAndGreedyReproducesThem() throws { try overfit(.lstm) }
    func testTinyElmanOverfitsTwentyPairsAndGreedyReproducesThem() throws { try overfit(.rnn) }
}
