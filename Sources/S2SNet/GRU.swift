// The GRU (Cho et al. 2014), forward and backward, for one direction over a time-major sequence.
//
//   z_t = σ(W_z x_t + U_z h_{t-1} + b_z)
//   r_t = σ(W_r x_t + U_r h_{t-1} + b_r)
//   n_t = tanh(W x_t + U (r_t ∗ h_{t-1}) + b)        ← the reset gate acts on h before the product
//   h_t = h_{t-1} + m_t · z_t ∗ (n_t − h_{t-1})       (= (1 − z) h + z n where m_t = 1; padding keeps h)
//
// The input projections W x_t + b of all steps are one GEMM done by the caller (`xp`, [S, B, 3H], gate
// columns ordered z | r | n). The recurrent weight U is [H, 3H] in the same column order. Each step then
// does two GEMMs: h·U_zr, and (r∗h)·U_n. In backward, the gradients of U are two GEMMs over all steps
// at the end instead of two per step.
//
// The gate math for one step is split out (`gruGates*`, `gruCandidate*`) because the decoder runs the
// same cell with attention in between steps.

/// Per-step gates: z, r from the summed pre-activations, and rh = r ∗ h_prev.
/// xp [B, 3H] (row stride ldXP), uh [B, 2H] = h_prev·U_zr, hPrev [B, H] (ldH) → z, r, rh [B, H].
@inline(__always)
func gruGatesForward(
    xp: UnsafePointer<Float>, ldXP: Int, uh: UnsafePointer<Float>, ldUH: Int,
    hPrev: UnsafePointer<Float>, ldH: Int,
    z: UnsafeMutablePointer<Float>, r: UnsafeMutablePointer<Float>, rh: UnsafeMutablePointer<Float>,
    B: Int, H: Int
) {
    for b in 0..<B {
        let x = xp + b * ldXP, u = uh + b * ldUH, h = hPrev + b * ldH
        let zb = z + b * H, rb = r + b * H, rhb = rh + b * H
        for k in 0..<H {
            zb[k] = fastSigmoid(x[k] + u[k])
            let rv = fastSigmoid(x[H + k] + u[H + k])
            rb[k] = rv
            rhb[k] = rv * h[k]
        }
    }
}

/// Candidate and new state: n = tanh(xp_n + un), h = h_prev + m·z∗(n − h_prev).
/// xp [B, 3H] (ldXP; the n block starts at column 2H), un [B, H] = rh·U_n, mask [B] → n [B, H], hOut [B, H] (ldOut).
@inline(__always)
func gruCandidateForward(
    xp: UnsafePointer<Float>, ldXP: Int, un: UnsafePointer<Float>,
    hPrev: UnsafePointer<Float>, ldH: Int, z: UnsafePointer<Float>, mask: UnsafePointer<Float>,
    n: UnsafeMutablePointer<Float>, hOut: UnsafeMutablePointer<Float>, ldOut: Int, B: Int, H: Int
) {
    for b in 0..<B {
        let x = xp + b * ldXP + 2 * H, u = un + b * H, h = hPrev + b * ldH
        let zb = z + b * H, nb = n + b * H, o = hOut + b * ldOut
        let m = mask[b]
        for k in 0..<H {
            let nv = fastTanh(x[k] + u[k])
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

/// Activations of one GRU direction kept for backward. Each pointer is [S, B, H].
public struct GRUSaved {
    public var z: UnsafeMutablePointer<Float>
    public var r: UnsafeMutablePointer<Float>
    public var n: UnsafeMutablePointer<Float>
    public var rh: UnsafeMutablePointer<Float>
}

/// One direction over S steps.
/// xp [S, B, 3H] input projections incl. bias; mask [S, B]; h0 [B, H]; u [H, 3H];
/// out [S, B, ldOut] receives h_t in its first H columns; scratch [B, 2H] + [B, H] (3BH floats).
public func gruSequenceForward(
    xp: UnsafePointer<Float>, mask: UnsafePointer<Float>, h0: UnsafePointer<Float>, u: UnsafePointer<Float>,
    out: UnsafeMutablePointer<Float>, ldOut: Int, saved: GRUSaved, scratch: UnsafeMutablePointer<Float>,
    S: Int, B: Int, H: Int, reverse: Bool
) {
    let uh = scratch, un = scratch + 2 * B * H
    for step in 0..<S {
        let t = reverse ? S - 1 - step : step
        let hPrev: UnsafePointer<Float> = step == 0 ? h0 : UnsafePointer(out + (reverse ? t + 1 : t - 1) * B * ldOut)
        let ldH = step == 0 ? H : ldOut
        let xpt = xp + t * B * 3 * H, bh = t * B * H
        BLAS.gemm(m: B, n: 2 * H, k: H, a: hPrev, lda: ldH, b: u, ldb: 3 * H, beta: 0, c: uh, ldc: 2 * H)
        gruGatesForward(
            xp: xpt, ldXP: 3 * H, uh: uh, ldUH: 2 * H, hPrev: hPrev, ldH: ldH,
            z: saved.z + bh, r: saved.r + bh, rh: saved.rh + bh, B: B, H: H)
        BLAS.gemm(m: B, n: H, k: H, a: saved.rh + bh, lda: H, b: u + 2 * H, ldb: 3 * H, beta: 0, c: un, ldc: H)
        gruCandidateForward(
            xp: xpt, ldXP: 3 * H, un: un, hPrev: hPrev, ldH: ldH, z: saved.z + bh, mask: mask + t * B,
            n: saved.n + bh, hOut: out + t * B * ldOut, ldOut: ldOut, B: B, H: H)
    }
}

/// Backward of `gruSequenceForward`.
/// dOut [S, B, ldDOut]: dL/dh_t from above (read only). Writes dxp [S, B, 3H]; adds into du [H, 3H];
/// writes dh0 [B, H]. scratch: 3BH floats.
public func gruSequenceBackward(
    dOut: UnsafePointer<Float>, ldDOut: Int, out: UnsafePointer<Float>, ldOut: Int,
    mask: UnsafePointer<Float>, h0: UnsafePointer<Float>, u: UnsafePointer<Float>, saved: GRUSaved,
    dxp: UnsafeMutablePointer<Float>, du: UnsafeMutablePointer<Float>, dh0: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, S: Int, B: Int, H: Int, reverse: Bool
) {
    let g = scratch, dhPrev = scratch + B * H, drh = scratch + 2 * B * H
    g.update(repeating: 0, count: B * H)  // the carried gradient; starts at zero past the last step
    for step in stride(from: S - 1, through: 0, by: -1) {
        let t = reverse ? S - 1 - step : step
        let hPrev: UnsafePointer<Float> = step == 0 ? h0 : out + (reverse ? t + 1 : t - 1) * B * ldOut
        let ldH = step == 0 ? H : ldOut
        let bh = t * B * H
        let dxpt = dxp + t * B * 3 * H
        let d = dOut + t * B * ldDOut
        for b in 0..<B { addInPlace(d + b * ldDOut, g + b * H, H) }
        gruCandidateBackward(
            g: g, hPrev: hPrev, ldH: ldH, z: saved.z + bh, n: saved.n + bh, mask: mask + t * B,
            dxp: dxpt, ldDXP: 3 * H, dhPrev: dhPrev, B: B, H: H)
        // drh = dA_n · U_nᵀ
        BLAS.gemm(
            transB: true, m: B, n: H, k: H, a: dxpt + 2 * H, lda: 3 * H, b: u + 2 * H, ldb: 3 * H,
            beta: 0, c: drh, ldc: H)
        gruGatesBackward(
            drh: drh, hPrev: hPrev, ldH: ldH, r: saved.r + bh, dxp: dxpt, ldDXP: 3 * H, dhPrev: dhPrev, B: B, H: H)
        // dhPrev += dA_zr · U_zrᵀ
        BLAS.gemm(
            transB: true, m: B, n: H, k: 2 * H, a: dxpt, lda: 3 * H, b: u, ldb: 3 * H,
            beta: 1, c: dhPrev, ldc: H)
        g.update(from: dhPrev, count: B * H)
    }
    dh0.update(from: g, count: B * H)
    // dU_n += Σ_t (r∗h_prev)ᵀ · dA_n over all steps: one GEMM.
    BLAS.gemm(
        transA: true, m: H, n: H, k: S * B, a: saved.rh, lda: H, b: dxp + 2 * H, ldb: 3 * H,
        beta: 1, c: du + 2 * H, ldc: 3 * H)
    // dU_zr += Σ_t h_prevᵀ · dA_zr: the first step reads h0, the others read the neighbouring outputs.
    let first = reverse ? S - 1 : 0
    BLAS.gemm(
        transA: true, m: H, n: 2 * H, k: B, a: h0, lda: H, b: dxp + first * B * 3 * H, ldb: 3 * H,
        beta: 1, c: du, ldc: 3 * H)
    if S > 1 {
        let prevRows: UnsafePointer<Float> = reverse ? out + B * ldOut : out
        let gradRows: UnsafePointer<Float> = reverse ? UnsafePointer(dxp) : UnsafePointer(dxp + B * 3 * H)
        BLAS.gemm(
            transA: true, m: H, n: 2 * H, k: (S - 1) * B, a: prevRows, lda: ldOut, b: gradRows, ldb: 3 * H,
            beta: 1, c: du, ldc: 3 * H)
    }
}
