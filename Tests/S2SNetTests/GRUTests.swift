// The fused GRU (one input GEMM for all steps, two recurrent GEMMs per step, masks, strided outputs)
// against the plain per-gate equations of DESIGN.md evaluated in Double: values directly, gradients
// against central differences of the plain version (which in Double are accurate to ~1e-9).
import XCTest
@testable import S2SNet

/// The equations exactly as written, one scalar at a time, in Double.
/// xp [S, B, 3H] (gate order z | r | n), u [H, 3H], mask [S, B], h0 [B, H] → outputs [S, B, H].
func plainGRU(xp: [Double], u: [Double], mask: [Double], h0: [Double], S: Int, B: Int, H: Int, reverse: Bool) -> [Double] {
    var out = [Double](repeating: 0, count: S * B * H)
    var h = h0
    for step in 0..<S {
        let t = reverse ? S - 1 - step : step
        var next = h
        for b in 0..<B {
            var z = [Double](repeating: 0, count: H), r = z
            for k in 0..<H {
                var az = xp[(t * B + b) * 3 * H + k], ar = xp[(t * B + b) * 3 * H + H + k]
                for j in 0..<H {
                    az += h[b * H + j] * u[j * 3 * H + k]
                    ar += h[b * H + j] * u[j * 3 * H + H + k]
                }
                z[k] = 1 / (1 + exp(-az))
                r[k] = 1 / (1 + exp(-ar))
            }
            for k in 0..<H {
                var an = xp[(t * B + b) * 3 * H + 2 * H + k]
                for j in 0..<H { an += r[j] * h[b * H + j] * u[j * 3 * H + 2 * H + k] }
                let n = tanh(an)
                let new = (1 - z[k]) * h[b * H + k] + z[k] * n
                let m = mask[t * B + b]
                next[b * H + k] = m * new + (1 - m) * h[b * H + k]
            }
        }
        h = next
        for i in 0..<(B * H) { out[t * B * H + i] = h[i] }
    }
    return out
}

final class GRUTests: XCTestCase {
    func check(reverse: Bool) {
        let S = 4, B = 3, H = 5, ld = 2 * H  // outputs written with a row stride, as the encoder does
        var rng = Rng(seed: reverse ? 9 : 8)
        let xp = randomArray(S * B * 3 * H, &rng), u = randomArray(H * 3 * H, &rng, scale: 0.8)
        let h0 = randomArray(B * H, &rng)
        let mask: [Float] = [1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0]  // sentence lengths 4, 2, 1 (padding at the end)
        let w = randomArray(S * B * H, &rng)  // L = Σ w ⊙ outputs
        let saved = GRUBuffers(); saved.reserve(S * B * H)
        var out = [Float](repeating: 0, count: S * B * ld)
        var scratch = [Float](repeating: 0, count: 3 * B * H)
        gruSequenceForward(xp: xp, mask: mask, h0: h0, u: u, out: &out, ldOut: ld, saved: saved.saved,
                           scratch: &scratch, S: S, B: B, H: H, reverse: reverse)
        let plain = plainGRU(xp: xp.map(Double.init), u: u.map(Double.init), mask: mask.map(Double.init),
                             h0: h0.map(Double.init), S: S, B: B, H: H, reverse: reverse)
        for t in 0..<S {
            for b in 0..<B {
                for k in 0..<H {
                    XCTAssertEqual(Double(out[(t * B + b) * ld + k]), plain[(t * B + b) * H + k], accuracy: 2e-6)
                }
            }
        }
        // Backward with dOut = w (stride ld) against differences of the plain Double GRU.
        var dOut = [Float](repeating: 0, count: S * B * ld)
        for i in 0..<(S * B) { for k in 0..<H { dOut[i * ld + k] = w[i * H + k] } }
        var dxp = [Float](repeating: 0, count: S * B * 3 * H), du = [Float](repeating: 0, count: H * 3 * H)
        var dh0 = [Float](repeating: 0, count: B * H)
        gruSequenceBackward(dOut: dOut, ldDOut: ld, out: out, ldOut: ld, mask: mask, h0: h0, u: u, saved: saved.saved,
                            dxp: &dxp, du: &du, dh0: &dh0, scratch: &scratch, S: S, B: B, H: H, reverse: reverse)
        func loss(_ xp: [Double], _ u: [Double], _ h0: [Double]) -> Double {
            let o = plainGRU(xp: xp, u: u, mask: mask.map(Double.init), h0: h0, S: S, B: B, H: H, reverse: reverse)
            return zip(o, w).map { $0 * Double($1) }.reduce(0, +)
        }
        let X = xp.map(Double.init), U = u.map(Double.init), H0 = h0.map(Double.init)
        let eps = 1e-6
        func fd(_ f: (Double) -> Double) -> Double { (f(eps) - f(-eps)) / (2 * eps) }
        for i in 0..<X.count {
            let g = fd { d in var x = X; x[i] += d; return loss(x, U, H0) }
            XCTAssertEqual(Double(dxp[i]), g, accuracy: 1e-5 + 1e-4 * abs(g), "dxp[\(i)]")
        }
        for i in 0..<U.count {
            let g = fd { d in var x = U; x[i] += d; return loss(X, x, H0) }
            XCTAssertEqual(Double(du[i]), g, accuracy: 1e-5 + 1e-4 * abs(g), "du[\(i)]")
        }
        for i in 0..<H0.count {
            let g = fd { d in var x = H0; x[i] += d; return loss(X, U, x) }
            XCTAssertEqual(Double(dh0[i]), g, accuracy: 1e-5 + 1e-4 * abs(g), "dh0[\(i)]")
        }
        // Padded steps get no gradient on their inputs.
        for t in 0..<S {
            for b in 0..<B where mask[t * B + b] == 0 {
                for k in 0..<(3 * H) { XCTAssertEqual(dxp[(t * B + b) * 3 * H + k], 0) }
            }
        }
    }

    func testForwardDirectionMatchesPlainEquations() { check(reverse: false) }
    func testBackwardDirectionMatchesPlainEquations() { check(reverse: true) }
}
