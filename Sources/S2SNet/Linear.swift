// Affine layers over rows, Y[N, out] = X[N, in] · W[in, out] + b, and the embedding lookup.
// Weights are stored [in, out] so the forward product needs no transpose. Bias gradients are column sums,
// done as a BLAS gemv against a vector of ones.

/// Y[N, out] (ldY) = X[N, in] (ldX) · W[in, out] + b[out]; b may be nil.
public func linearForward(
    x: UnsafePointer<Float>, ldX: Int, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
    y: UnsafeMutablePointer<Float>, ldY: Int, N: Int, inDim: Int, outDim: Int
) {
    if let b {
        for i in 0..<N { (y + i * ldY).update(from: b, count: outDim) }
    }
    BLAS.gemm(m: N, n: outDim, k: inDim, a: x, lda: ldX, b: w, ldb: outDim, beta: b == nil ? 0 : 1, c: y, ldc: ldY)
}

/// Backward of `linearForward`: dW += Xᵀ·dY, db += Σ_rows dY, dX (+)= dY·Wᵀ (added when `accumulateDX`).
/// ones [N] must hold 1s. dx may be nil when the input needs no gradient.
public func linearBackward(
    dy: UnsafePointer<Float>, ldDY: Int, x: UnsafePointer<Float>, ldX: Int, w: UnsafePointer<Float>,
    dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?,
    ldDX: Int, accumulateDX: Bool, ones: UnsafePointer<Float>, N: Int, inDim: Int, outDim: Int
) {
    BLAS.gemm(transA: true, m: inDim, n: outDim, k: N, a: x, lda: ldX, b: dy, ldb: ldDY, beta: 1, c: dw, ldc: outDim)
    if let db { columnSums(dy, ld: ldDY, rows: N, cols: outDim, into: db, ones: ones) }
    if let dx {
        BLAS.gemm(
            transB: true, m: N, n: inDim, k: outDim, a: dy, lda: ldDY, b: w, ldb: outDim,
            beta: accumulateDX ? 1 : 0, c: dx, ldc: ldDX)
    }
}

/// out[cols] += Σ_rows M[rows, cols] (ld), via gemv with ones [rows].
@inline(__always)
public func columnSums(
    _ m: UnsafePointer<Float>, ld: Int, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>,
    ones: UnsafePointer<Float>
) {
    BLAS.gemv(trans: true, m: rows, n: cols, a: m, lda: ld, x: ones, beta: 1, y: out)
}

/// out[N, E] = table[ids[i], :] for each of the N ids.
public func embeddingForward(
    ids: UnsafePointer<Int32>, table: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, N: Int, E: Int
) {
    for i in 0..<N { (out + i * E).update(from: table + Int(ids[i]) * E, count: E) }
}

/// dTable[ids[i], :] += dOut[i, :]. Rows of the padding id are skipped: padding gets no gradient.
public func embeddingBackward(
    ids: UnsafePointer<Int32>, dOut: UnsafePointer<Float>, dTable: UnsafeMutablePointer<Float>,
    N: Int, E: Int, padId: Int32
) {
    for i in 0..<N where ids[i] != padId { addInPlace(dOut + i * E, dTable + Int(ids[i]) * E, E) }
}

/// Inverted dropout: x ∗= mask where mask holds 0 or 1/keep, drawn here. rate 0 fills the mask with 1.
public func dropoutForward(
    _ x: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, count: Int, rate: Float, rng: inout Rng
) {
    if rate <= 0 {
        mask.update(repeating: 1, count: count)
        return
    }
    let keep = 1 - rate, scale = 1 / keep
    for i in 0..<count {
        let m: Float = rng.uniform() < keep ? scale : 0
        mask[i] = m
        x[i] *= m
    }
}

/// dx ∗= mask (the same mask the forward pass drew).
public func dropoutBackward(_ dx: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { dx[i] *= mask[i] }
}
