// The GRU (Cho et al. 2014): its equations, fused step kernels, and the step's forward/backward pair.
//
//   z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
//   r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
//   n_t = tanh(W x_t + U (r_t ∗ h_{t-1}) + b)        ← the reset gate acts on h before the product
//   h_t = h_{t-1} + m_t · z_t ∗ (n_t − h_{t-1})       (= (1 − z) h + z n where m_t = 1; padding keeps h)
//
// Gate blocks z | r | n (G = 3). A step does two GEMMs: h·U_zr, then (r∗h)·U_n; with layer normalization
// each block's sum (W x + U h + b, and W x + U (r∗h) + b for n) is normalized before its σ or tanh.
// Saved per step: z, r, n and r∗h (and the normalization's x̂ and 1/σ, kept by the caller). The weight
// gradient of U_n reads r∗h, so it is this cell's `addGatedRecurrentGradient`.

/// Per-step gates: z, r from the summed (and, with layer norm, normalized) pre-activations, and rh = r ∗ h_prev.
/// a [B, 2H] = xp_zr + h_prev·U_zr, hPrev [B, H] (ldH) → z, r, rh [B, H].
@inline(__always)
func gruGatesForward(
    a: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, ldH: Int,
    z: UnsafeMutablePointer<Float>, r: UnsafeMutablePointer<Float>, rh: UnsafeMutablePointer<Float>,
    B: Int, H: Int
) {
    for b in 0..<B {
        let x = a + b * 2 * H, h = hPrev + b * ldH
        let zb = z + b * H, rb = r + b * H, rhb = rh + b * H
        for k in 0..<H {
            zb[k] = fastSigmoid(x[k])
            let rv = fastSigmoid(x[H + k])
            rb[k] = rv
            rhb[k] = rv * h[k]
        }
    }
}

/// Candidate and new state: n = tanh(a_n), h = h_prev + m·z∗(n − h_prev).
/// a [B, H] = xp_n + rh·U_n (normalized with layer norm), mask [B] → n [B, H], hOut [B, H] (ldOut).
@inline(__always)
func gruCandidateForward(
    a: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, ldH: Int, z: UnsafePointer<Float>, mask: UnsafePointer<Float>,
    n: UnsafeMutablePointer<Float>, hOut: UnsafeMutablePointer<Float>, ldOut: Int, B: Int, H: Int
) {
    for b in 0..<B {
        let x = a + b * H, h = hPrev + b * ldH
        let zb = z + b * H, nb = n + b * H, o = hOut + b * ldOut
        let m = mask[b]
        for k in 0..<H {
            let nv = fastTanh(x[k])
            nb[k] = nv
            o[k] = h[k] + m * zb[k] * (nv - h[k])
        }
    }
}

/// First half of a step's backward: from g = dL/dh_t to the z and n pre-activation gradients.
/// Writes dxp[:, 0:H] (z) and dxp[:, 2H:3H] (n), and dhPrev = g ∗ (1 − m z) (the direct path).
@inline(__always)
func gruCandidateBackward(
    g: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, ldH: Int,
    z: UnsafePointer<Float>, n: UnsafePointer<Float>, mask: UnsafePointer<Float>,
    dxp: UnsafeMutablePointer<Float>, ldDXP: Int, dhPrev: UnsafeMutablePointer<Float>, B: Int, H: Int
) {
    for b in 0..<B {
        let gb = g + b * H, h = hPrev + b * ldH, zb = z + b * H, nb = n + b * H
        let d = dxp + b * ldDXP, dh = dhPrev + b * H
        let m = mask[b]
        for k in 0..<H {
            let gm = gb[k] * m
            let zv = zb[k], nv = nb[k]
            let dz = gm * (nv - h[k])
            let dn = gm * zv
            d[k] = dz * zv * (1 - zv)
            d[2 * H + k] = dn * (1 - nv * nv)
            dh[k] = gb[k] - gm * zv
        }
    }
}

/// Second half: from drh = dL/d(r∗h_prev) to the r pre-activation gradient; adds drh ∗ r into dhPrev.
@inline(__always)
func gruGatesBackward(
    drh: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, ldH: Int, r: UnsafePointer<Float>,
    dxp: UnsafeMutablePointer<Float>, ldDXP: Int, dhPrev: UnsafeMutablePointer<Float>, B: Int, H: Int
) {
    for b in 0..<B {
        let db = drh + b * H, h = hPrev + b * ldH, rb = r + b * H
        let d = dxp + b * ldDXP + H, dh = dhPrev + b * H
        for k in 0..<H {
            let rv = rb[k]
            d[k] = db[k] * h[k] * rv * (1 - rv)
            dh[k] += db[k] * rv
        }
    }
}

/// The GRU as a `RecurrentCell`.
public enum GRUCell: RecurrentCell {
    public static let gates = 3
    public static let hasMemory = false
    public static let savedParts = 4    // z, r, n, r∗h
    public static let directGates = 2   // U_z, U_r read h; U_n reads r∗h

    public static func stepForward(_ s: CellStep) {
        let B = s.B, H = s.H, G = 3 * H
        let azr = s.scratch, an = s.scratch + 2 * B * H
        let z = s.part(0), r = s.part(1), n = s.part(2), rh = s.part(3)
        copyColumns(s.xp, ldXP: G, column: 0, width: 2 * H, into: azr, B: B)
        BLAS.gemm(m: B, n: 2 * H, k: H, a: s.hPrev, lda: s.ldH, b: s.u, ldb: G, beta: 1, c: azr, ldc: 2 * H)
        s.norm?.forward(azr, ld: 2 * H, blocks: 0..<2, B: B, H: H)
        gruGatesForward(a: azr, hPrev: s.hPrev, ldH: s.ldH, z: z, r: r, rh: rh, B: B, H: H)
        copyColumns(s.xp, ldXP: G, column: 2 * H, width: H, into: an, B: B)
        BLAS.gemm(m: B, n: H, k: H, a: rh, lda: H, b: s.u + 2 * H, ldb: G, beta: 1, c: an, ldc: H)
        s.norm?.forward(an, ld: H, blocks: 2..<3, B: B, H: H)
        gruCandidateForward(a: an, hPrev: s.hPrev, ldH: s.ldH, z: z, mask: s.mask, n: n, hOut: s.hOut, ldOut: s.ldOut, B: B, H: H)
    }

    public static func stepBackward(_ s: CellStep, _ d: CellStepGradients) {
        let B = s.B, H = s.H, G = 3 * H
        let drh = s.scratch
        gruCandidateBackward(
            g: d.g, hPrev: s.hPrev, ldH: s.ldH, z: s.part(0), n: s.part(2), mask: s.mask,
            dxp: d.dxp, ldDXP: G, dhPrev: d.dhPrev, B: B, H: H)
        s.norm?.backward(d.dxp + 2 * H, ld: G, blocks: 2..<3, B: B, H: H)
        // drh = dA_n · U_nᵀ
        BLAS.gemm(transB: true, m: B, n: H, k: H, a: d.dxp + 2 * H, lda: G, b: s.u + 2 * H, ldb: G, beta: 0, c: drh, ldc: H)
        gruGatesBackward(drh: drh, hPrev: s.hPrev, ldH: s.ldH, r: s.part(1), dxp: d.dxp, ldDXP: G, dhPrev: d.dhPrev, B: B, H: H)
        s.norm?.backward(d.dxp, ld: G, blocks: 0..<2, B: B, H: H)
        // dh_{t-1} += dA_zr · U_zrᵀ
        BLAS.gemm(transB: true, m: B, n: H, k: 2 * H, a: d.dxp, lda: G, b: s.u, ldb: G, beta: 1, c: d.dhPrev, ldc: H)
    }

    public static func addGatedRecurrentGradient(
        saved: UnsafePointer<Float>, savedStride: Int, dxp: UnsafePointer<Float>, du: UnsafeMutablePointer<Float>,
        rows: Int, H: Int
    ) {
        // dU_n += Σ (r∗h_{t-1})ᵀ · dA_n
        BLAS.gemm(transA: true, m: H, n: H, k: rows, a: saved + 3 * savedStride, lda: H, b: dxp + 2 * H, ldb: 3 * H,
                  beta: 1, c: du + 2 * H, ldc: 3 * H)
    }
}
