// Additive (Bahdanau) attention for one decoder step, forward and backward.
//
//   e_j = vᵀ tanh(q + k_j),   q = W_q s_{i-1} [B, A],  k_j = W_k h_j [S, B, A] (projected once per batch)
//   α = softmax over the real (unmasked) source positions; padding gets exactly 0
//   c = Σ_j α_j h_j  [B, 2H]
//
// Layouts are time-major like the encoder: keys [S, B, A], annotations [S, B, 2H], α [S, B].

/// Forward for one step. q [B, A] (row stride ldQ); keys [S, B, A]; ann [S, B, C] with C = 2H;
/// srcMask [S, B]; v [A]. Saves tAtt [S, B, A] = tanh(q + k) and alpha [S, B]; writes ctx [B, C] (ldCtx).
public func attentionForward(
    q: UnsafePointer<Float>, ldQ: Int, keys: UnsafePointer<Float>, ann: UnsafePointer<Float>,
    srcMask: UnsafePointer<Float>, v: UnsafePointer<Float>,
    tAtt: UnsafeMutablePointer<Float>, alpha: UnsafeMutablePointer<Float>,
    ctx: UnsafeMutablePointer<Float>, ldCtx: Int, S: Int, B: Int, A: Int, C: Int
) {
    for j in 0..<S {
        for b in 0..<B {
            let row = (j * B + b) * A
            let k = keys + row, t = tAtt + row, qb = q + b * ldQ
            for a in 0..<A { t[a] = fastTanh(qb[a] + k[a]) }
        }
    }
    // e = tAtt · v, one gemv over all S·B rows, into alpha's storage.
    BLAS.gemv(m: S * B, n: A, a: tAtt, lda: A, x: v, beta: 0, y: alpha)
    maskedSoftmaxColumns(alpha, mask: srcMask, S: S, B: B)
    for b in 0..<B {
        BLAS.gemv(
            trans: true, m: S, n: C, a: ann + b * C, lda: B * C, x: alpha + b, incX: B, beta: 0, y: ctx + b * ldCtx)
    }
}

/// Softmax over j of x[j, b] for each b, in place; masked positions become exactly 0.
@inline(__always)
func maskedSoftmaxColumns(_ x: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, S: Int, B: Int) {
    for b in 0..<B {
        var m = -Float.greatestFiniteMagnitude
        for j in 0..<S where mask[j * B + b] != 0 { m = max(m, x[j * B + b]) }
        var sum: Float = 0
        for j in 0..<S {
            let i = j * B + b
            let e: Float = mask[i] != 0 ? fastExp(x[i] - m) : 0
            x[i] = e
            sum += e
        }
        let inv: Float = sum > 0 ? 1 / sum : 0
        for j in 0..<S { x[j * B + b] *= inv }
    }
}

/// Backward for one step. dCtx [B, C] (ldDCtx) is dL/dc. Adds into dAnn [S, B, C], dKeys [S, B, A], dv [A];
/// writes dq [B, A] (row stride ldDQ). scratch: 2·S·B floats.
public func attentionBackward(
    dCtx: UnsafePointer<Float>, ldDCtx: Int, ann: UnsafePointer<Float>, v: UnsafePointer<Float>,
    tAtt: UnsafePointer<Float>, alpha: UnsafePointer<Float>,
    dAnn: UnsafeMutablePointer<Float>, dKeys: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dq: UnsafeMutablePointer<Float>, ldDQ: Int, scratch: UnsafeMutablePointer<Float>,
    S: Int, B: Int, A: Int, C: Int
) {
    let dAlpha = scratch, de = scratch + S * B
    for b in 0..<B {
        let dc = dCtx + b * ldDCtx
        // dα_j = h_j · dc ; dh_j += α_j dc
        BLAS.gemv(m: S, n: C, a: ann + b * C, lda: B * C, x: dc, beta: 0, y: dAlpha + b, incY: B)
        BLAS.ger(m: S, n: C, x: alpha + b, incX: B, y: dc, a: dAnn + b * C, lda: B * C)
    }
    // Softmax backward: de_j = α_j (dα_j − Σ_k α_k dα_k). Masked positions have α = 0, so de = 0.
    for b in 0..<B {
        var s: Float = 0
        for j in 0..<S { s += alpha[j * B + b] * dAlpha[j * B + b] }
        for j in 0..<S {
            let i = j * B + b
            de[i] = alpha[i] * (dAlpha[i] - s)
        }
    }
    BLAS.gemv(trans: true, m: S * B, n: A, a: tAtt, lda: A, x: de, beta: 1, y: dv)
    for b in 0..<B { (dq + b * ldDQ).update(repeating: 0, count: A) }
    for j in 0..<S {
        for b in 0..<B {
            let row = (j * B + b) * A
            let g = de[j * B + b]
            if g == 0 { continue }
            let t = tAtt + row, dk = dKeys + row, dqb = dq + b * ldDQ
            for a in 0..<A {
                let d = g * v[a] * (1 - t[a] * t[a])
                dk[a] += d
                dqb[a] += d
            }
        }
    }
}
