// The LSTM with a forget gate (Hochreiter & Schmidhuber 1997; Gers et al. 2000): its equations, fused
// step kernels, and the step's forward/backward pair.
//
//   i_t = σ(W_i x_t + U_i h_{t-1} + b_i)          input gate
//   f_t = σ(W_f x_t + U_f h_{t-1} + b_f)          forget gate (b_f starts at 1 — β_f with layer norm — so
//                                                  memory is kept early on)
//   g_t = tanh(W_g x_t + U_g h_{t-1} + b_g)       candidate memory
//   o_t = σ(W_o x_t + U_o h_{t-1} + b_o)          output gate
//   c_t = f_t ∗ c_{t-1} + i_t ∗ g_t
//   h_t = o_t ∗ tanh(c_t)
// On a padded step (m_t = 0) both h and c are carried through: c_t = c_{t-1} + m·(f c + i g − c_{t-1}),
// h_t = h_{t-1} + m·(o tanh c_t − h_{t-1}).
//
// Gate blocks i | f | g | o (G = 4). A step does one GEMM, h·U, for all four gates (with layer
// normalization each block's sum is normalized; the memory c_t is not). Saved per step: i, f, g, o and
// tanh(c_t), and the normalization's x̂ and 1/σ, kept by the caller; c_t itself is the cell's memory,
// kept by the caller like h_t.

public enum LSTMCell: RecurrentCell {
    public static let gates = 4
    public static let hasMemory = true
    public static let savedParts = 5    // i, f, g, o, tanh(c)
    public static let directGates = 4   // every block of U reads h_{t-1}

    public static func stepForward(_ s: CellStep) {
        let B = s.B, H = s.H, G = 4 * H
        let a = s.scratch
        copyColumns(s.xp, ldXP: G, column: 0, width: G, into: a, B: B)
        BLAS.gemm(m: B, n: G, k: H, a: s.hPrev, lda: s.ldH, b: s.u, ldb: G, beta: 1, c: a, ldc: G)
        s.norm?.forward(a, ld: G, blocks: 0..<4, B: B, H: H)
        let cPrev = s.cPrev!, cOut = s.cOut!
        let iS = s.part(0), fS = s.part(1), gS = s.part(2), oS = s.part(3), tcS = s.part(4)
        for b in 0..<B {
            let ab = a + b * G, h = s.hPrev + b * s.ldH, c = cPrev + b * H
            let out = s.hOut + b * s.ldOut, cb = cOut + b * H, m = s.mask[b], o = b * H
            for k in 0..<H {
                let iv = fastSigmoid(ab[k])
                let fv = fastSigmoid(ab[H + k])
                let gv = fastTanh(ab[2 * H + k])
                let ov = fastSigmoid(ab[3 * H + k])
                let cv = c[k] + m * (fv * c[k] + iv * gv - c[k])
                let tc = fastTanh(cv)
                iS[o + k] = iv; fS[o + k] = fv; gS[o + k] = gv; oS[o + k] = ov; tcS[o + k] = tc
                cb[k] = cv
                out[k] = h[k] + m * (ov * tc - h[k])
            }
        }
    }

    public static func stepBackward(_ s: CellStep, _ d: CellStepGradients) {
        let B = s.B, H = s.H, G = 4 * H
        let cPrev = s.cPrev!, gc = d.gc!, dcPrev = d.dcPrev!
        let iS = s.part(0), fS = s.part(1), gS = s.part(2), oS = s.part(3), tcS = s.part(4)
        for b in 0..<B {
            let gb = d.g + b * H, gcb = gc + b * H, c = cPrev + b * H, dx = d.dxp + b * G
            let dh = d.dhPrev + b * H, dc = dcPrev + b * H, m = s.mask[b], o = b * H
            for k in 0..<H {
                let iv = iS[o + k], fv = fS[o + k], gv = gS[o + k], ov = oS[o + k], tc = tcS[o + k]
                let gm = gb[k] * m
                let dcTotal = gcb[k] + gm * ov * (1 - tc * tc)
                let dcIn = m * dcTotal   // gradient reaching f c + i g
                dx[k] = dcIn * gv * iv * (1 - iv)
                dx[H + k] = dcIn * c[k] * fv * (1 - fv)
                dx[2 * H + k] = dcIn * iv * (1 - gv * gv)
                dx[3 * H + k] = gm * tc * ov * (1 - ov)
                dc[k] = dcTotal * (1 - m + m * fv)
                dh[k] = gb[k] - gm   // the carried path of a padded step
            }
        }
        s.norm?.backward(d.dxp, ld: G, blocks: 0..<4, B: B, H: H)
        // dh_{t-1} += dA · Uᵀ
        BLAS.gemm(transB: true, m: B, n: H, k: G, a: d.dxp, lda: G, b: s.u, ldb: G, beta: 1, c: d.dhPrev, ldc: H)
    }

    public static func initializeBias(_ b: UnsafeMutablePointer<Float>, H: Int) {
        b.update(repeating: 0, count: 4 * H)
        (b + H).update(repeating: 1, count: H)
    }
}
