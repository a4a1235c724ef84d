// Additive (Bahdanau) attention for one decoder step over R query rows, forward and backward. Training
// (rows = the batch's sentences) and search (rows = hypotheses, each naming its sentence) run the same code.
//
//   e_j = vᵀ tanh(q + k_j),   q = W_q s_{i-1} [R, A],  k_j = W_k h_j [S, B, A] (projected once per batch)
//   α = softmax over the real (unmasked) source positions; padding gets exactly 0
//   c = Σ_j α_j h_j  [R, C], C = 2H
//
// Keys, annotations and the source mask are time-major like the encoder ([S, B, ·]); a row's own outputs
// are row-major: α [R, S], tanh(q + k) [R, S, A].

/// Forward for R rows; row r reads sentence `sentence[r]` of the batch (sentence r when nil).
/// q [R, A] (row stride ldQ); keys [S, B, A]; ann [S, B, C]; srcMask [S, B]; v [A].
/// Writes alpha [R, S] and ctx [R, C] (row stride ldCtx); tAtt [R, S, A] = tanh(q + k) when given.
/// Rows are split across `threads` workers.
public func attentionForward(
    q: UnsafePointer<Float>, ldQ: Int, sentence: UnsafePointer<Int32>?, keys: UnsafePointer<Float>,
    ann: UnsafePointer<Float>, srcMask: UnsafePointer<Float>, v: UnsafePointer<Float>,
    tAtt: UnsafeMutablePointer<Float>?, alpha: UnsafeMutablePointer<Float>,
    ctx: UnsafeMutablePointer<Float>, ldCtx: Int, R: Int, S: Int, B: Int, A: Int, C: Int, threads: Int = 1
) {
    Parallel.ranges(R, minimumPerWorker: 16, workers: threads) { start, end in
        for row in start..<end {
            let b = sentence.map { Int($0[row]) } ?? row
            let qr = q + row * ldQ, a = alpha + row * S
            for j in 0..<S where srcMask[j * B + b] != 0 {
                a[j] = tanhDot(qr, keys + (j * B + b) * A, v, A, keeping: tAtt.map { $0 + (row * S + j) * A })
            }
            maskedSoftmax(a, mask: srcMask + b, maskStride: B, S)
            // c = Σ_j α_j h_j: a weighted sum of at most S rows; a gemv would call into BLAS, whose thread pool
            // is not these workers' to share.
            let c = ctx + row * ldCtx
            c.update(repeating: 0, count: C)
            for j in 0..<S where a[j] != 0 { axpy(a[j], ann + (j * B + b) * C, c, C) }
        }
    }
}

/// Softmax of x[0..<S] over the positions whose mask (read with stride maskStride) is non-zero, in place;
/// masked positions become exactly 0 whatever they held.
@inline(__always)
func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, maskStride: Int, _ S: Int) {
    var m = -Float.greatestFiniteMagnitude
    for j in 0..<S where mask[j * maskStride] != 0 { m = max(m, x[j]) }
    var sum: Float = 0
    for j in 0..<S {
        let e: Float = mask[j * maskStride] != 0 ? fastExp(x[j] - m) : 0
        x[j] = e
        sum += e
    }
    let inv: Float = sum > 0 ? 1 / sum : 0
    for j in 0..<S { x[j] *= inv }
}

/// Backward for R rows (row r is sentence r). dCtx [R, C] (row stride ldDCtx) is dL/dc. Adds into
/// dAnn [S, B, C], dKeys [S, B, A] and dv [A]; writes dq [R, A] (row stride ldDQ). scratch: S floats.
public func attentionBackward(
    dCtx: UnsafePointer<Float>, ldDCtx: Int, ann: UnsafePointer<Float>, v: UnsafePointer<Float>,
    tAtt: UnsafePointer<Float>, alpha: UnsafePointer<Float>,
    dAnn: UnsafeMutablePointer<Float>, dKeys: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dq: UnsafeMutablePointer<Float>, ldDQ: Int, scratch: UnsafeMutablePointer<Float>,
    R: Int, S: Int, B: Int, A: Int, C: Int
) {
    let dAlpha = scratch
    for b in 0..<R {
        let dc = dCtx + b * ldDCtx, a = alpha + b * S, dqb = dq + b * ldDQ
        // dα_j = h_j · dc ; dh_j += α_j dc. Positions with α = 0 (padding) get nothing, and give nothing below.
        var s: Float = 0
        for j in 0..<S where a[j] != 0 {
            let h = (j * B + b) * C
            dAlpha[j] = dot(ann + h, dc, C)
            axpy(a[j], dc, dAnn + h, C)
            s += a[j] * dAlpha[j]
        }
        // Softmax backward: de_j = α_j (dα_j − Σ_k α_k dα_k); then through vᵀ tanh(q + k_j).
        dqb.update(repeating: 0, count: A)
        for j in 0..<S where a[j] != 0 {
            let de = a[j] * (dAlpha[j] - s)
            let t = tAtt + (b * S + j) * A, dk = dKeys + (j * B + b) * A
            axpy(de, t, dv, A)
            for k in 0..<A {
                let d = de * v[k] * (1 - t[k] * t[k])
                dk[k] += d
                dqb[k] += d
            }
        }
    }
}
