// The Elman RNN, the plain recurrent cell of the course notes: its equation, fused step kernel, and the
// step's forward/backward pair.
//
//   h_t = tanh(W x_t + U h_{t-1} + b)
// On a padded step (m_t = 0) the state is carried: h_t = h_{t-1} + m·(tanh(…) − h_{t-1}).
//
// One gate block (G = 1). A step is one GEMM, h·U, and a tanh (of the normalized sum with layer
// normalization, whose x̂ and 1/σ the caller keeps). Nothing else is saved: where m = 1 the output
// h_t is the tanh, and where m = 0 no gradient flows into the step's inputs.
// The notes' worked example (one-hot "h", "e" through a 3-unit cell) is a test of this file.

public enum ElmanCell: RecurrentCell {
    public static let gates = 1
    public static let hasMemory = false
    public static let savedParts = 0
    public static let directGates = 1

    public static func stepForward(_ s: CellStep) {
        let B = s.B, H = s.H
        let a = s.scratch
        copyColumns(s.xp, ldXP: H, column: 0, width: H, into: a, B: B)
        BLAS.gemm(m: B, n: H, k: H, a: s.hPrev, lda: s.ldH, b: s.u, ldb: H, beta: 1, c: a, ldc: H)
        s.norm?.forward(a, ld: H, blocks: 0..<1, B: B, H: H)
        for b in 0..<B {
            let ab = a + b * H, h = s.hPrev + b * s.ldH, out = s.hOut + b * s.ldOut
            let m = s.mask[b]
            for k in 0..<H { out[k] = h[k] + m * (fastTanh(ab[k]) - h[k]) }
        }
    }

    public static func stepBackward(_ s: CellStep, _ d: CellStepGradients) {
        let B = s.B, H = s.H
        for b in 0..<B {
            let gb = d.g + b * H, y = s.hOut + b * s.ldOut, dx = d.dxp + b * H, dh = d.dhPrev + b * H
            let m = s.mask[b]
            for k in 0..<H {
                let gm = gb[k] * m
                dx[k] = gm * (1 - y[k] * y[k])
                dh[k] = gb[k] - gm
            }
        }
        s.norm?.backward(d.dxp, ld: H, blocks: 0..<1, B: B, H: H)
        BLAS.gemm(transB: true, m: B, n: H, k: H, a: d.dxp, lda: H, b: s.u, ldb: H, beta: 1, c: d.dhPrev, ldc: H)
    }
}
