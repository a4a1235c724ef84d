// Finite-difference check of the whole model's gradient for every cell, with padding in source and target,
// dropout (same mask on every evaluation), label smoothing, word dropout, tied embeddings, layer normalization
// (cells and readout), deep-transition decoders, and one or two encoder layers. The check is shown to be sharp: the same comparison rejects the analytic gradient once any one gate block of any
// recurrent weight is off by 5%.
import XCTest
@testable import S2SNet

final class ModelGradientTests: XCTestCase {
    /// Central differences at h = 1e-2 for every parameter. With Float32 forward passes the largest
    /// disagreement of a correct gradient is about 2e-5, so the rule is atol 6e-5 + rtol 1e-2.
    static func agrees(_ fd: Double, _ analytic: Double) -> Bool { close(fd, analytic, atol: 6e-5, rtol: 1e-2) }
    /// Layer normalization over the tiny model's 4 units is strongly curved, so central differences need a
    /// smaller step: on correct gradients the worst error went 1.9e-3, 4.6e-4, 1.0e-4 at h = 1e-2, 5e-3,
    /// 2.5e-3 (GRU, two layers), and 3.0e-3, 7.4e-4, 2.0e-4 at 5e-3, 2.5e-3, 1.25e-3 (LSTM, depth 3) —
    /// quartering with each halving, as truncation error does, until Float rounding takes over.
    static let layerNormStep: Float = 2.5e-3

    func checkWholeModel(layers: Int, cell: CellKind, options: PassOptions, tied: Bool = false, layerNorm: Bool = false,
                         decoderDepth: Int = 1) throws {
        var config = tinyConfig(layers: layers, cell: cell)
        if tied { config.readout = config.embed; config.tiedEmbeddings = true }
        config.layerNorm = layerNorm
        config.decoderDepth = decoderDepth
        let model = try Seq2Seq(config: config)
        model.initialize(seed: 7)
        // Larger-than-default values so every nonlinearity is exercised away from zero.
        var jitter = Rng(seed: 3)
        for i in 0..<model.params.count { model.params.values[i] += (jitter.uniform() - 0.5) * 1.2 }
        let batch = paddedBatch()
        let ws = Workspace(model: model)
        // A tied model's output layer is its target embedding: a change to one is a change to both.
        model.tieWeights()
        func loss() -> Double {
            model.tieWeights()
            var rng = Rng(seed: 11)
            let s = model.forward(batch, workspace: ws, options: options, rng: &rng)
            return s.loss / Double(s.tokens)
        }
        var rng = Rng(seed: 11)
        model.forwardBackward(batch, workspace: ws, options: options, rng: &rng)
        let analytic = Array(UnsafeBufferPointer(start: model.params.grads, count: model.params.count))

        let h = layerNorm ? Self.layerNormStep : 1e-2
        var fd = [Double](repeating: 0, count: model.params.count)
        var checked = 0, worst = 0.0, nonzero = 0
        for view in model.layout.views {
            for k in 0..<view.count {
                let i = view.offset + k
                let old = model.params.values[i]
                model.params.values[i] = old + h
                let lp = loss()
                model.params.values[i] = old - h
                let lm = loss()
                model.params.values[i] = old
                model.tieWeights()
                fd[i] = (lp - lm) / Double(2 * h)
                let an = Double(analytic[i])
                if abs(an) > 1e-6 { nonzero += 1 }
                worst = max(worst, abs(fd[i] - an))
                XCTAssertTrue(Self.agrees(fd[i], an), "\(cell) \(view.name)[\(k)]: analytic \(an) vs finite difference \(fd[i])")
                checked += 1
            }
        }
        print("gradient check (\(cell), \(layers) layer(s)\(tied ? ", tied" : "")\(layerNorm ? ", layer norm" : "")\(decoderDepth > 1 ? ", decoder depth \(decoderDepth)" : "")): \(checked) parameters, worst |fd - analytic| = \(worst)")
        if tied {
            // All of W_out's gradient went to the embedding (whose entries above agreed with their finite
            // differences through both of their uses); the copy is what translation reads.
            let out = model.layout.outW
            XCTAssertTrue((0..<out.count).allSatisfy { analytic[out.offset + $0] == 0 })
            let emb = model.layout.tgtEmbedding, V = config.targetVocabSize, E = config.embed
            for v in 0..<V {
                for e in 0..<E {
                    XCTAssertEqual(model.params.values[out.offset + e * V + v], model.params.values[emb.offset + v * E + e])
                }
            }
        }
        // The check must have had something to check: most gradients are non-zero.
        XCTAssertGreaterThan(nonzero, checked / 2, "too few non-zero gradients: \(nonzero) of \(checked)")
        // Padding ids never receive gradient as inputs (tied, <pad>'s target row is also its output column).
        let E = model.config.embed
        for e in 0..<E {
            XCTAssertEqual(analytic[model.layout.srcEmbedding.offset + e], 0)
            if !tied { XCTAssertEqual(analytic[model.layout.tgtEmbedding.offset + e], 0) }
        }
        // Sharpness: a kernel that gets one gate's gradient 5% wrong scales that gate's block (H columns) in
        // every weight of its cell — W_x, b and U of an encoder direction, or the decoder's input weights
        // and U. The same comparison must then fail somewhere in the block.
        let H = model.config.hidden, L = model.layout
        let cells: [(String, [TensorView])] = [
            ("encoder layer 0 forward", [L.encoder[0].forward.wx, L.encoder[0].forward.bx, L.encoder[0].forward.u]),
            ("encoder layer 0 backward", [L.encoder[0].backward.wx, L.encoder[0].backward.bx, L.encoder[0].backward.u]),
            ("decoder", [L.decInputEmb, L.decInputCtx, L.decBias, L.decU]),
        ] + L.decTransitions.enumerated().map { ("decoder transition \($0.offset + 1)", [$0.element.u, $0.element.b]) }
        for (name, views) in cells {
            for gate in 0..<model.cell.gates {
                var caught = false
                for view in views {
                    for row in 0..<view.rows {
                        for k in 0..<H {
                            let i = view.offset + row * view.cols + gate * H + k
                            if !Self.agrees(fd[i], Double(analytic[i]) * 1.05) { caught = true }
                        }
                    }
                }
                XCTAssertTrue(caught, "\(cell): a 5% error in gate \(gate) of the \(name) cell would pass the check")
            }
        }
    }

    func testGRUOneLayerNoDropout() throws {
        try checkWholeModel(layers: 1, cell: .gru, options: PassOptions())
    }

    func testGRUTwoLayersDropoutSmoothing() throws {
        try checkWholeModel(layers: 2, cell: .gru, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1))
    }

    func testGRUTiedEmbeddingsWordDropout() throws {
        try checkWholeModel(layers: 1, cell: .gru, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1, wordDropout: 0.3),
                            tied: true)
    }

    func testLSTMTiedEmbeddings() throws {
        try checkWholeModel(layers: 1, cell: .lstm, options: PassOptions(), tied: true)
    }

    func testElmanTiedEmbeddings() throws {
        try checkWholeModel(layers: 1, cell: .rnn, options: PassOptions(), tied: true)
    }

    func testLSTMOneLayerNoDropout() throws {
        try checkWholeModel(layers: 1, cell: .lstm, options: PassOptions())
    }

    func testLSTMTwoLayersDropoutSmoothing() throws {
        try checkWholeModel(layers: 2, cell: .lstm, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1))
    }

    func testElmanOneLayerNoDropout() throws {
        try checkWholeModel(layers: 1, cell: .rnn, options: PassOptions())
    }

    func testGRULayerNormTwoLayersTied() throws {
        try checkWholeModel(layers: 2, cell: .gru, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1), tied: true, layerNorm: true)
    }

    func testLSTMLayerNorm() throws {
        try checkWholeModel(layers: 1, cell: .lstm, options: PassOptions(), layerNorm: true)
    }

    func testElmanLayerNorm() throws {
        try checkWholeModel(layers: 1, cell: .rnn, options: PassOptions(labelSmoothing: 0.1), layerNorm: true)
    }

    func testGRUDeepTransition() throws {
        try checkWholeModel(layers: 1, cell: .gru, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1), tied: true, decoderDepth: 3)
    }

    func testLSTMDeepTransitionLayerNorm() throws {
        try checkWholeModel(layers: 1, cell: .lstm, options: PassOptions(), layerNorm: true, decoderDepth: 3)
    }

    func testElmanDeepTransitionLayerNorm() throws {
        try checkWholeModel(layers: 1, cell: .rnn, options: PassOptions(), layerNorm: true, decoderDepth: 2)
    }

    func testElmanTwoLayersDropoutSmoothing() throws {
        try checkWholeModel(layers: 2, cell: .rnn, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1))
    }
}
