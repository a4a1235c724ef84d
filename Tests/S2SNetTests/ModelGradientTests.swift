// Finite-difference check of the whole model's gradient, with padding in source and target, dropout
// (same mask on every evaluation), label smoothing, and one or two encoder layers.
import XCTest
@testable import S2SNet

final class ModelGradientTests: XCTestCase {
    /// Checks every parameter with central differences at h = 1e-2. With Float32 forward passes the
    /// largest disagreement of a correct gradient is about 2e-5, so the rule is atol 6e-5 + rtol 1e-2;
    /// a 5% error in any one gate's gradient fails it.
    func checkWholeModel(layers: Int, options: PassOptions) throws {
        let model = try Seq2Seq(config: tinyConfig(layers: layers))
        model.initialize(seed: 7)
        // Larger-than-default values so every nonlinearity is exercised away from zero.
        var jitter = Rng(seed: 3)
        for i in 0..<model.params.count { model.params.values[i] += (jitter.uniform() - 0.5) * 0.6 }
        let batch = paddedBatch()
        let ws = Workspace(model: model)
        func loss() -> Double {
            var rng = Rng(seed: 11)
            let s = model.forward(batch, workspace: ws, options: options, rng: &rng)
            return s.loss / Double(s.tokens)
        }
        var rng = Rng(seed: 11)
        model.forwardBackward(batch, workspace: ws, options: options, rng: &rng)
        let analytic = Array(UnsafeBufferPointer(start: model.params.grads, count: model.params.count))

        let h: Float = 1e-2
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
                let fd = (lp - lm) / Double(2 * h)
                let an = Double(analytic[i])
                if abs(an) > 1e-6 { nonzero += 1 }
                worst = max(worst, abs(fd - an))
                XCTAssertTrue(
                    close(fd, an, atol: 6e-5, rtol: 1e-2),
                    "\(view.name)[\(k)]: analytic \(an) vs finite difference \(fd)")
                checked += 1
            }
        }
        print("gradient check: \(checked) parameters, worst |fd - analytic| = \(worst)")
        // The check must have had something to check: most gradients are non-zero.
        XCTAssertGreaterThan(nonzero, checked / 2, "too few non-zero gradients: \(nonzero) of \(checked)")
        // Padding ids never receive gradient.
        let E = model.config.embed
        for e in 0..<E {
            XCTAssertEqual(analytic[model.layout.srcEmbedding.offset + e], 0)
            XCTAssertEqual(analytic[model.layout.tgtEmbedding.offset + e], 0)
        }
    }

    func testWholeModelOneLayerNoDropout() throws {
        try checkWholeModel(layers: 1, options: PassOptions())
    }

    func testWholeModelTwoLayersDropoutSmoothing() throws {
        try checkWholeModel(layers: 2, options: PassOptions(dropout: 0.3, labelSmoothing: 0.1))
    }
}
