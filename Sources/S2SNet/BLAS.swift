// The BLAS wrapper: the only file that calls cblas. Row-major Float32 throughout.
// A naive reference matmul lives beside the fast one so tests can check one against the other.
import COpenBLAS

public enum BLAS {
    /// C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C[m, n]
    /// op(X) is X, or Xᵀ when the matching `trans` flag is set. Leading dimensions are row strides.
    @inline(__always)
    public static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {  // BLAS would leave C untouched only for beta == 1; keep the math exact.
            scaleRows(c, rows: m, cols: n, ld: ldc, by: beta)
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y[m or n] = alpha · op(A) · x + beta · y, with A[m, n] (lda) and strides incX, incY.
    @inline(__always)
    public static func gemv(
        trans: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incX: Int = 1, beta: Float, y: UnsafeMutablePointer<Float>, incY: Int = 1
    ) {
        if m == 0 || n == 0 { return }
        cblas_sgemv(
            CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
            x, Int32(incX), beta, y, Int32(incY))
    }

    /// A[m, n] += alpha · x[m] · y[n]ᵀ (rank-1 update), strides incX, incY.
    @inline(__always)
    public static func ger(
        m: Int, n: Int, alpha: Float = 1, x: UnsafePointer<Float>, incX: Int = 1,
        y: UnsafePointer<Float>, incY: Int = 1, a: UnsafeMutablePointer<Float>, lda: Int
    ) {
        if m == 0 || n == 0 { return }
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, Int32(incX), y, Int32(incY), a, Int32(lda))
    }

    /// The OpenBLAS kernel family picked at load time (e.g. "SkylakeX", "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses for one call.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    private static func scaleRows(_ c: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, by beta: Float) {
        for i in 0..<rows {
            let row = c + i * ld
            for j in 0..<cols { row[j] = beta == 0 ? 0 : row[j] * beta }
        }
    }
}

/// The plain triple loop with the same contract as `BLAS.gemm`, for tests only.
public func naiveGemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Double = 0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                sum += Double(av) * Double(bv)
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * Float(sum) + old
        }
    }
}
