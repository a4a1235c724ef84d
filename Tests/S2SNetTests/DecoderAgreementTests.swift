// Training and search share one decoder step; this proves that what search computes is what training
// computes. For every cell, with padding on both sides, the logits `decodeStep` gives after feeding a
// sentence's reference prefix one token at a time equal the teacher-forced training forward's logits at
// that position (dropout off), to 1e-5; with layer normalization and deep-transition decoders too.
import XCTest
@testable import S2SNet

final class DecoderAgreementTests: XCTestCase {
    func check(_ cell: CellKind, layerNorm: Bool = false, decoderDepth: Int = 1) throws {
        var config = tinyConfig(layers: 2, cell: cell)
        config.layerNorm = layerNorm
        config.decoderDepth = decoderDepth
        let model = try Seq2Seq(config: config)
        model.initialize(seed: 21)
        var jitter = Rng(seed: 5)
        for i in 0..<model.params.count { model.params.values[i] += (jitter.uniform() - 0.5) * 0.4 }
        let batch = paddedBatch()
        let ws = Workspace(model: model)
        var rng = Rng(seed: 1)
        model.forwardToLogits(batch, workspace: ws, options: PassOptions(), rng: &rng)
        let V = model.config.targetVocabSize, B = batch.B
        var compared = 0
        for b in 0..<B {
            // The sentence alone: its own encoding, no padding anywhere.
            var source: [Int32] = []
            for j in 0..<batch.S where batch.source[j * B + b] != SpecialIds.pad && batch.source[j * B + b] != SpecialIds.eos {
                source.append(batch.source[j * B + b])
            }
            let encoded = model.encode([source])
            let step = StepWorkspace(config: model.config, threads: 1)
            var state = encoded.initialState
            for t in 0..<batch.T where batch.targetOut[t * B + b] != SpecialIds.pad {
                let previous = [batch.targetIn[t * B + b]], sentence: [Int32] = [0]
                model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: step)
                state = step.nextState([0])
                let n = (0..<ws.N).first { Int(ws.rows[$0]) == t * B + b }!
                for v in 0..<V {
                    XCTAssertEqual(step.logits[v], ws.logits[n * V + v], accuracy: 1e-5, "\(cell) sentence \(b) position \(t) token \(v)")
                }
                compared += 1
            }
        }
        XCTAssertEqual(compared, ws.N, "every real target position was compared")
    }

    func testGRUSearchStepEqualsTraining() throws { try check(.gru) }
    func testLSTMSearchStepEqualsTraining() throws { try check(.lstm) }
    func testElmanSearchStepEqualsTraining() throws { try check(.rnn) }
    func testLayerNormSearchStepEqualsTraining() throws {
        for cell in CellKind.allCases { try check(cell, layerNorm: true) }
    }
    func testDeepTransitionSearchStepEqualsTraining() throws {
        for cell in CellKind.allCases { try check(cell, decoderDepth: 3) }
        try check(.gru, layerNorm: true, decoderDepth: 2)
    }
}
