// Each cell's fused kernels, run over a sequence by `recurrentSequenceForward`/`Backward` (one GEMM input
// projection done outside, recurrent GEMMs per step, masks, strided outputs), against the plain per-gate
// equations of its file header evaluated in Double: values directly, gradients against central
// differences of the plain version (which in Double are accurate to ~1e-9); with and without layer
// normalization of the gate blocks.
import XCTest
@testable import S2SNet

/// One step of a cell exactly as its header writes it, one scalar at a time, in Double.
/// Each gate block's pre-activation is xp + U·(its input: h, or r ∗ h for the GRU's n), layer-normalized
/// with γ, β [G·H] when `norm` is given; returns (h_t, c_t) for a real step.
func plainCellStep(
    _ kind: CellKind, xp: ArraySlice<Double>, u: [Double], h: [Double], c: [Double], H: Int,
    norm: (gain: [Double], shift: [Double])? = nil
) -> (h: [Double], c: [Double]) {
    let G = kind.cell.gates * H
    func pre(_ block: Int, _ input: [Double]) -> [Double] {
        let a = (0..<H).map { k in
            (0..<H).reduce(xp[xp.startIndex + block * H + k]) { $0 + input[$1] * u[$1 * G + block * H + k] }
        }
        guard let norm else { return a }
        let mean = a.reduce(0, +) / Double(H)
        let sigma = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(H) + Double(layerNormEpsilon)).squareRoot()
        return (0..<H).map { k in norm.gain[block * H + k] * (a[k] - mean) / sigma + norm.shift[block * H + k] }
    }
    func σ(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    switch kind {
    case .rnn:
        return (pre(0, h).map { tanh($0) }, [])
    case .gru:
        let z = pre(0, h).map(σ), r = pre(1, h).map(σ)
        let rh = (0..<H).map { r[$0] * h[$0] }
        let n = pre(2, rh).map { tanh($0) }
        return ((0..<H).map { (1 - z[$0]) * h[$0] + z[$0] * n[$0] }, [])
    case .lstm:
        let i = pre(0, h).map(σ), f = pre(1, h).map(σ)
        let g = pre(2, h).map { tanh($0) }, o = pre(3, h).map(σ)
        let cNew = (0..<H).map { f[$0] * c[$0] + i[$0] * g[$0] }
        return ((0..<H).map { o[$0] * tanh(cNew[$0]) }, cNew)
    }
}

/// A whole direction in Double: xp [S, B, G·H], u [H, G·H], mask [S, B], zero initial state → outputs [S, B, H].
/// Padded steps carry h (and c) through.
func plainSequence(_ kind: CellKind, xp: [Double], u: [Double], mask: [Double], S: Int, B: Int, H: Int, reverse: Bool,
                   norm: (gain: [Double], shift: [Double])? = nil) -> [Double] {
    let G = kind.cell.gates * H
    var out = [Double](repeating: 0, count: S * B * H)
    var h = [[Double]](repeating: [Double](repeating: 0, count: H), count: B), c = h
    for step in 0..<S {
        let t = reverse ? S - 1 - step : step
        for b in 0..<B where mask[t * B + b] != 0 {
            let start = (t * B + b) * G
            let next = plainCellStep(kind, xp: xp[start..<(start + G)], u: u, h: h[b], c: c[b], H: H, norm: norm)
            h[b] = next.h
            if kind == .lstm { c[b] = next.c }
        }
        for b in 0..<B { for k in 0..<H { out[(t * B + b) * H + k] = h[b][k] } }
    }
    return out
}

final class CellTests: XCTestCase {
    /// With `layerNorm`, each gate block is normalized with random γ around 1 and β around 0, and their
    /// gradients are checked too.
    func check(_ kind: CellKind, reverse: Bool, layerNorm: Bool = false) {
        let cell = kind.cell
        let S = 4, B = 3, H = 5, G = cell.gates * H, ld = 2 * H  // outputs strided, as the encoder writes them
        var rng = Rng(seed: reverse ? 9 : 8)
        let xp = randomArray(S * B * G, &rng), u = randomArray(H * G, &rng, scale: 0.8)
        let mask: [Float] = [1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0]  // sentence lengths 4, 2, 1 (padding at the end)
        let w = randomArray(S * B * H, &rng)  // L = Σ w ⊙ outputs
        let gain = randomArray(G, &rng, scale: 0.6).map { $0 + 1 }, shift = randomArray(G, &rng, scale: 0.6)
        var dGain = [Float](repeating: 0, count: G), dShift = [Float](repeating: 0, count: G)
        let buffers = RecurrentBuffers(); buffers.reserve(cell, steps: S, B: B, H: H, layerNorm: layerNorm)
        var out = [Float](repeating: 0, count: S * B * ld)
        var scratch = [Float](repeating: 0, count: recurrentScratchCount(cell, B: B, H: H))
        let zeros = [Float](repeating: 0, count: B * H)
        gain.withUnsafeBufferPointer { g in shift.withUnsafeBufferPointer { b in
        dGain.withUnsafeMutableBufferPointer { dg in dShift.withUnsafeMutableBufferPointer { db in
        let norm = layerNorm ? NormParameters(gain: g.baseAddress!, shift: b.baseAddress!, dGain: dg.baseAddress!, dShift: db.baseAddress!) : nil
        recurrentSequenceForward(cell, xp: xp, mask: mask, zeros: zeros, u: u, norm: norm, out: &out, ldOut: ld, buffers: buffers,
                                 scratch: &scratch, S: S, B: B, H: H, reverse: reverse)
        } } } }
        let plainNorm = layerNorm ? (gain: gain.map(Double.init), shift: shift.map(Double.init)) : nil
        let plain = plainSequence(kind, xp: xp.map(Double.init), u: u.map(Double.init), mask: mask.map(Double.init),
                                  S: S, B: B, H: H, reverse: reverse, norm: plainNorm)
        for t in 0..<S {
            for b in 0..<B {
                for k in 0..<H {
                    XCTAssertEqual(Double(out[(t * B + b) * ld + k]), plain[(t * B + b) * H + k], accuracy: 2e-6, "\(kind) h")
                }
            }
        }
        // Backward with dOut = w (stride ld) against differences of the plain Double version.
        var dOut = [Float](repeating: 0, count: S * B * ld)
        for i in 0..<(S * B) { for k in 0..<H { dOut[i * ld + k] = w[i * H + k] } }
        var dxp = [Float](repeating: 0, count: S * B * G), du = [Float](repeating: 0, count: H * G)
        gain.withUnsafeBufferPointer { g in shift.withUnsafeBufferPointer { b in
        dGain.withUnsafeMutableBufferPointer { dg in dShift.withUnsafeMutableBufferPointer { db in
        let norm = layerNorm ? NormParameters(gain: g.baseAddress!, shift: b.baseAddress!, dGain: dg.baseAddress!, dShift: db.baseAddress!) : nil
        recurrentSequenceBackward(cell, dOut: dOut, ldDOut: ld, xp: xp, mask: mask, zeros: zeros, u: u, norm: norm, out: &out,
                                  ldOut: ld, buffers: buffers, dxp: &dxp, du: &du, scratch: &scratch,
                                  S: S, B: B, H: H, reverse: reverse)
        } } } }
        func loss(_ xp: [Double], _ u: [Double], _ norm: (gain: [Double], shift: [Double])?) -> Double {
            let o = plainSequence(kind, xp: xp, u: u, mask: mask.map(Double.init), S: S, B: B, H: H, reverse: reverse, norm: norm)
            return zip(o, w).map { $0 * Double($1) }.reduce(0, +)
        }
        let X = xp.map(Double.init), U = u.map(Double.init)
        let eps = 1e-6
        func fd(_ f: (Double) -> Double) -> Double { (f(eps) - f(-eps)) / (2 * eps) }
        for i in 0..<X.count {
            let g = fd { d in var x = X; x[i] += d; return loss(x, U, plainNorm) }
            XCTAssertEqual(Double(dxp[i]), g, accuracy: 1e-5 + 1e-4 * abs(g), "\(kind) dxp[\(i)]")
        }
        for i in 0..<U.count {
            let g = fd { d in var x = U; x[i] += d; return loss(X, x, plainNorm) }
            XCTAssertEqual(Double(du[i]), g, accuracy: 1e-5 + 1e-4 * abs(g), "\(kind) du[\(i)]")
        }
        if let plainNorm {
            for i in 0..<G {
                let gg = fd { d in var n = plainNorm; n.gain[i] += d; return loss(X, U, n) }
                XCTAssertEqual(Double(dGain[i]), gg, accuracy: 1e-5 + 1e-4 * abs(gg), "\(kind) dγ[\(i)]")
                let gb = fd { d in var n = plainNorm; n.shift[i] += d; return loss(X, U, n) }
                XCTAssertEqual(Double(dShift[i]), gb, accuracy: 1e-5 + 1e-4 * abs(gb), "\(kind) dβ[\(i)]")
            }
            XCTAssertTrue(dGain.contains { abs($0) > 1e-3 } && dShift.contains { abs($0) > 1e-3 }, "\(kind): γ, β got no gradient")
        }
        // Padded steps get no gradient on their inputs.
        for t in 0..<S {
            for b in 0..<B where mask[t * B + b] == 0 {
                for k in 0..<G { XCTAssertEqual(dxp[(t * B + b) * G + k], 0) }
            }
        }
    }

    func testGRUMatchesPlainEquations() { check(.gru, reverse: false); check(.gru, reverse: true) }
    func testLSTMMatchesPlainEquations() { check(.lstm, reverse: false); check(.lstm, reverse: true) }
    func testElmanMatchesPlainEquations() { check(.rnn, reverse: false); check(.rnn, reverse: true) }
    func testLayerNormGRUMatchesPlainEquations() { check(.gru, reverse: false, layerNorm: true); check(.gru, reverse: true, layerNorm: true) }
    func testLayerNormLSTMMatchesPlainEquations() { check(.lstm, reverse: false, layerNorm: true); check(.lstm, reverse: true, layerNorm: true) }
    func testLayerNormElmanMatchesPlainEquations() { check(.rnn, reverse: false, layerNorm: true); check(.rnn, reverse: true, layerNorm: true) }

    /// The LSTM's forget gate starts open (bias 1) in the encoder and the decoder; other biases start at 0.
    func testLSTMForgetBiasStartsAtOne() throws {
        let model = try Seq2Seq(config: tinyConfig(cell: .lstm))
        model.initialize(seed: 1)
        let H = model.config.hidden
        for view in [model.layout.encoder[0].forward.bx, model.layout.encoder[0].backward.bx, model.layout.decBias] {
            let b = model.params.value(view)
            for k in 0..<(4 * H) { XCTAssertEqual(b[k], k >= H && k < 2 * H ? 1 : 0, view.name) }
        }
        // With layer normalization the constant bias is normalized away: β_f carries the open gate.
        var config = tinyConfig(cell: .lstm)
        config.layerNorm = true
        let normalized = try Seq2Seq(config: config)
        normalized.initialize(seed: 1)
        let L = normalized.layout
        for norm in [L.encoder[0].forward.norm, L.encoder[0].backward.norm, L.decNorm] {
            let shift = normalized.params.value(try XCTUnwrap(norm).shift), gain = normalized.params.value(norm!.gain)
            for k in 0..<(4 * H) {
                XCTAssertEqual(shift[k], k >= H && k < 2 * H ? 1 : 0, norm!.shift.name)
                XCTAssertEqual(gain[k], 1, norm!.gain.name)
            }
        }
    }
}
