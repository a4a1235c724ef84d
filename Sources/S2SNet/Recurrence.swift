// A recurrent layer over a whole time-major sequence, forward and backward, for any cell: the encoder runs
// each direction of each layer through these two functions. The input projections W_x x_t + b of all steps
// are one GEMM done by the caller (`xp`, [S, B, G·H]); here each step adds the cell's recurrent part.
// In backward the gradient of U is one GEMM over all steps after the loop instead of one per step.

/// What one direction keeps for backward: the cell's saved parts [parts, S, B, H], for cells with
/// memory c_t [S, B, H], and with layer normalization each step's x̂ [S, B, G·H] then 1/σ [S, B, G].
final class RecurrentBuffers: @unchecked Sendable {
    let saved = FloatBuffer(), memory = FloatBuffer(), norm = FloatBuffer()
    private(set) var stride = 0
    private var normRstdStart = 0

    func reserve(_ cell: any RecurrentCell.Type, steps: Int, B: Int, H: Int, layerNorm: Bool = false) {
        stride = steps * B * H
        saved.reserve(max(1, cell.savedParts) * stride)
        if cell.hasMemory { memory.reserve(stride) }
        if layerNorm {
            normRstdStart = steps * B * cell.gates * H
            norm.reserve(normRstdStart + steps * B * cell.gates)
        }
    }

    /// Step t's x̂ [B, width] and 1/σ [B, gates].
    func normXhat(t: Int, B: Int, width: Int) -> UnsafeMutablePointer<Float> { norm.pointer + t * B * width }
    func normRstd(t: Int, B: Int, gates: Int) -> UnsafeMutablePointer<Float> { norm.pointer + normRstdStart + t * B * gates }
}

/// Scratch floats `recurrentSequenceForward`/`Backward` need for B rows.
func recurrentScratchCount(_ cell: any RecurrentCell.Type, B: Int, H: Int) -> Int { (cell.gates + 5) * B * H }

/// The step at position t of a sequence, reading its predecessor (t ∓ 1, or `zeros` at the first step).
@inline(__always)
private func sequenceStep(
    _ cell: any RecurrentCell.Type, t: Int, first: Bool, reverse: Bool, xp: UnsafePointer<Float>, u: UnsafePointer<Float>,
    norm: NormParameters?, mask: UnsafePointer<Float>, zeros: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, ldOut: Int,
    buffers: RecurrentBuffers, scratch: UnsafeMutablePointer<Float>, B: Int, H: Int
) -> CellStep {
    let prev = reverse ? t + 1 : t - 1
    let memory = buffers.memory.pointer
    return CellStep(
        xp: xp + t * B * cell.gates * H, u: u,
        hPrev: first ? zeros : UnsafePointer(out + prev * B * ldOut), ldH: first ? H : ldOut,
        cPrev: cell.hasMemory ? (first ? zeros : UnsafePointer(memory + prev * B * H)) : nil,
        hOut: out + t * B * ldOut, ldOut: ldOut, cOut: cell.hasMemory ? memory + t * B * H : nil,
        mask: mask + t * B, saved: buffers.saved.pointer + t * B * H, savedStride: buffers.stride,
        scratch: scratch, B: B, H: H,
        norm: norm.map {
            CellNorm($0, xhat: buffers.normXhat(t: t, B: B, width: cell.gates * H),
                     rstd: buffers.normRstd(t: t, B: B, gates: cell.gates), gates: cell.gates)
        })
}

/// One direction over S steps from a zero state.
/// xp [S, B, G·H] input projections incl. bias; mask [S, B]; zeros [B, H] all 0; u [H, G·H]; norm: γ, β [G·H]
/// with layer normalization;
/// out [S, B, ldOut] receives h_t in its first H columns; buffers sized for S·B rows;
/// scratch: `recurrentScratchCount` floats.
func recurrentSequenceForward(
    _ cell: any RecurrentCell.Type, xp: UnsafePointer<Float>, mask: UnsafePointer<Float>, zeros: UnsafePointer<Float>,
    u: UnsafePointer<Float>, norm: NormParameters? = nil, out: UnsafeMutablePointer<Float>, ldOut: Int, buffers: RecurrentBuffers,
    scratch: UnsafeMutablePointer<Float>, S: Int, B: Int, H: Int, reverse: Bool
) {
    for step in 0..<S {
        let t = reverse ? S - 1 - step : step
        cell.stepForward(sequenceStep(
            cell, t: t, first: step == 0, reverse: reverse, xp: xp, u: u, norm: norm, mask: mask, zeros: zeros, out: out,
            ldOut: ldOut, buffers: buffers, scratch: scratch + 4 * B * H, B: B, H: H))
    }
}

/// Backward of `recurrentSequenceForward`. dOut [S, B, ldDOut]: dL/dh_t from above (read only).
/// Writes dxp [S, B, G·H]; adds into du [H, G·H] (and norm's dγ, dβ). The initial state is constant, so it
/// gets no gradient.
func recurrentSequenceBackward(
    _ cell: any RecurrentCell.Type, dOut: UnsafePointer<Float>, ldDOut: Int, xp: UnsafePointer<Float>,
    mask: UnsafePointer<Float>, zeros: UnsafePointer<Float>, u: UnsafePointer<Float>, norm: NormParameters? = nil,
    out: UnsafeMutablePointer<Float>, ldOut: Int, buffers: RecurrentBuffers,
    dxp: UnsafeMutablePointer<Float>, du: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, S: Int, B: Int, H: Int, reverse: Bool
) {
    let G = cell.gates * H
    // The carried gradients dL/dh and dL/dc, and where a step writes them for its predecessor.
    let g = scratch, gc = scratch + B * H, dhPrev = scratch + 2 * B * H, dcPrev = scratch + 3 * B * H
    g.update(repeating: 0, count: 2 * B * H)
    for step in stride(from: S - 1, through: 0, by: -1) {
        let t = reverse ? S - 1 - step : step
        let d = dOut + t * B * ldDOut
        for b in 0..<B { addInPlace(d + b * ldDOut, g + b * H, H) }
        let s = sequenceStep(
            cell, t: t, first: step == 0, reverse: reverse, xp: xp, u: u, norm: norm, mask: mask, zeros: zeros, out: out,
            ldOut: ldOut, buffers: buffers, scratch: scratch + 4 * B * H, B: B, H: H)
        cell.stepBackward(s, CellStepGradients(
            g: g, gc: cell.hasMemory ? gc : nil, dxp: dxp + t * B * G, dhPrev: dhPrev,
            dcPrev: cell.hasMemory ? dcPrev : nil))
        g.update(from: dhPrev, count: B * H)
        if cell.hasMemory { gc.update(from: dcPrev, count: B * H) }
    }
    // dU[:, direct] += Σ_t h_{t-1}ᵀ · dxp_t. The first step reads the zero state and adds nothing; the others
    // read the neighbouring outputs, which are evenly strided: one GEMM.
    if S > 1 {
        let prevRows = UnsafePointer(reverse ? out + B * ldOut : out)
        let gradRows: UnsafePointer<Float> = reverse ? UnsafePointer(dxp) : UnsafePointer(dxp + B * G)
        BLAS.gemm(transA: true, m: H, n: cell.directGates * H, k: (S - 1) * B, a: prevRows, lda: ldOut,
                  b: gradRows, ldb: G, beta: 1, c: du, ldc: G)
    }
    cell.addGatedRecurrentGradient(saved: buffers.saved.pointer, savedStride: buffers.stride, dxp: dxp, du: du, rows: S * B, H: H)
}
