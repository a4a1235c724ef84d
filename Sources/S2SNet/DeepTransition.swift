// The deep-transition decoder (Miceli Barone et al. 2017; Nematus's and Marian's decoder "base depth"):
// each decoder step runs D cells in a row instead of one. The first reads the previous word and the
// context as the plain decoder does; the others read only the state the one before left, their input
// pre-activation being their bias alone. That deepens the path from s_{i-1} to s_i, where a recurrent
// decoder does most of its work, without another attention or another layer over time:
//
//   h⁰ = cell₀(s_{i-1}, [E y_{i-1} ; c_i])        (Decoder.swift, unchanged)
//   hᵏ = cellₖ(hᵏ⁻¹) = cell(hᵏ⁻¹, xp = b_k)        k = 1 … D−1, each with its own U_k [H, G·H], b_k [G·H]
//   s_i = h^{D−1}
//
// Attention reads s_{i-1} and the readout reads s_i, as before. (Nematus and Marian count the conditional
// GRU's two cells and attend between them; their base depth d is roughly D = d − 1 here.) Transitions are
// the model's cell kind, layer-normalized when the model is, and padded rows carry the state through each. Backward runs them
// in reverse before the first cell's; their weight gradients are GEMMs over all steps, as the first cell's.

/// Weights of transition k ≥ 1 (layout names "dec.transition.k.*").
public struct TransitionWeights: Sendable {
    public let u: TensorView               // [H, G·H]
    public let b: TensorView               // [G·H] its whole input pre-activation
    public let norm: LayerNormWeights?     // [G·H] γ, β (layer norm only)
}

/// Where transitions 1 … D−1 of decoder step i read and write, over R rows. Bases and strides, so that a
/// step allocates nothing; training keeps every step (`steps` = T), search only the current one (1).
struct TransitionSteps {
    /// [D−1, steps, R, H] h⁰ … h^{D−2} (rows of stride H), and the memories of cells that have one.
    var states: UnsafeMutablePointer<Float>, memory: UnsafeMutablePointer<Float>?
    /// [D−1, R, G·H] transition k's bias repeated over the rows, block k−1 (read only).
    var xp: UnsafePointer<Float>
    /// Saved parts and normalization statistics of transition k at step i: the buffers' step (k−1)·steps + i.
    var buffers: RecurrentBuffers
    var steps: Int, i: Int
    /// Training: keep x̂ and 1/σ, and where the weight gradients go; nil in search.
    var gradients: UnsafeMutablePointer<Float>?
    /// Backward only: [D−1, steps, R, G·H] dL/dxp of each transition (block k−1), and [4, R, H] scratch for the
    /// gradients carried from one transition to the one before.
    var dxp: UnsafeMutablePointer<Float>?, carry: UnsafeMutablePointer<Float>?

    /// hᵏ [R, H] and its memory cᵏ, for k < D−1 (the last transition writes the step's own outputs).
    @inline(__always) func state(_ k: Int, R: Int, H: Int) -> UnsafeMutablePointer<Float> { states + (k * steps + i) * R * H }
    @inline(__always) func memoryOf(_ k: Int, R: Int, H: Int) -> UnsafeMutablePointer<Float>? {
        memory.map { $0 + (k * steps + i) * R * H }
    }
}

extension Seq2Seq {
    /// The cell step of transition k ≥ 1 within decoder step `d` (whose hOut/cOut receive s_i from the last).
    func transitionCellStep(_ d: DecoderStep, _ t: TransitionSteps, k: Int) -> CellStep {
        let R = d.R, H = config.hidden, G = cell.gates * H, last = k == config.decoderDepth - 1
        let w = layout.decTransitions[k - 1], slot = (k - 1) * t.steps + t.i
        return CellStep(
            xp: t.xp + (k - 1) * R * G, u: params.value(w.u), hPrev: t.state(k - 1, R: R, H: H), ldH: H,
            cPrev: t.memoryOf(k - 1, R: R, H: H).map { UnsafePointer($0) },
            hOut: last ? d.hOut : t.state(k, R: R, H: H), ldOut: H, cOut: last ? d.cOut : t.memoryOf(k, R: R, H: H),
            mask: d.mask, saved: t.buffers.saved.pointer + slot * R * H, savedStride: t.buffers.stride,
            scratch: d.scratch, B: R, H: H,
            norm: normParameters(w.norm, gradients: t.gradients).map {
                CellNorm($0, xhat: t.gradients == nil ? nil : t.buffers.normXhat(t: slot, B: R, width: G),
                         rstd: t.gradients == nil ? nil : t.buffers.normRstd(t: slot, B: R, gates: cell.gates), gates: cell.gates)
            })
    }

    /// Fills `xp` [D−1, R, G·H] with each transition's bias on every row.
    func transitionInputs(_ xp: UnsafeMutablePointer<Float>, R: Int) {
        let G = cell.gates * config.hidden
        for (k, w) in layout.decTransitions.enumerated() {
            let b = params.value(w.b)
            for r in 0..<R { (xp + (k * R + r) * G).update(from: b, count: G) }
        }
    }

    /// Transitions 1 … D−1 after the first cell has written h⁰.
    func transitionsForward(_ d: DecoderStep, _ t: TransitionSteps) {
        for k in 1..<config.decoderDepth { cell.stepForward(transitionCellStep(d, t, k: k)) }
    }

    /// Backward of `transitionsForward`: from g = dL/ds_i (and gc = dL/dc_i) to dL/dh⁰ (and dL/dc⁰), which
    /// it returns (pointers into t.carry). Writes each transition's dxp.
    func transitionsBackward(_ d: DecoderStep, _ t: TransitionSteps, g: UnsafePointer<Float>, gc: UnsafePointer<Float>?)
        -> (g: UnsafePointer<Float>, gc: UnsafePointer<Float>?)
    {
        let R = d.R, H = config.hidden, G = cell.gates * H
        var g = g, gc = gc
        for k in stride(from: config.decoderDepth - 1, through: 1, by: -1) {
            // A step's backward must not write dL/dh_{k-1} over the g it reads: transitions alternate between
            // the two halves of the carry ([2, 2, R, H]: g and gc each), the next reading what this one wrote.
            let out = t.carry! + (k % 2) * 2 * R * H
            cell.stepBackward(transitionCellStep(d, t, k: k), CellStepGradients(
                g: g, gc: gc, dxp: t.dxp! + ((k - 1) * t.steps + t.i) * R * G, dhPrev: out,
                dcPrev: cell.hasMemory ? out + R * H : nil))
            g = UnsafePointer(out)
            gc = cell.hasMemory ? UnsafePointer(out + R * H) : nil
        }
        return (g, gc)
    }

    /// The transitions' weight gradients over all `rows` = T·B rows of a batch, after the step loop:
    /// dU_k[:, direct] += Σ hᵏ⁻¹ᵀ · dxp_k (+ the cell's gated part), db_k += Σ_rows dxp_k.
    func transitionWeightGradients(_ t: TransitionSteps, ones: UnsafePointer<Float>, rows: Int) {
        let H = config.hidden, G = cell.gates * H, gradients = t.gradients!
        for (j, w) in layout.decTransitions.enumerated() {
            let dxp = t.dxp! + j * rows * G, du = gradients + w.u.offset
            BLAS.gemm(transA: true, m: H, n: cell.directGates * H, k: rows, a: t.states + j * rows * H, lda: H,
                      b: dxp, ldb: G, beta: 1, c: du, ldc: G)
            cell.addGatedRecurrentGradient(
                saved: t.buffers.saved.pointer + j * rows * H, savedStride: t.buffers.stride, dxp: dxp, du: du, rows: rows, H: H)
            columnSums(dxp, ld: G, rows: rows, cols: G, into: gradients + w.b.offset, ones: ones)
        }
    }
}
