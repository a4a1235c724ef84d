// The fast paths against plain references: BLAS against the naive matmul (all transpose combinations,
// strides, alpha/beta), and the vectorised exp/tanh/sigmoid/softmax against Foundation's functions.
import Foundation
import XCTest
@testable import S2SNet

final class KernelTests: XCTestCase {
    func testGemmMatchesNaiveForAllTransposesAndStrides() {
        var rng = Rng(seed: 1)
        let m = 7, n = 5, k = 9, pad = 3
        for transA in [false, true] {
            for transB in [false, true] {
                let lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad
                let a = randomArray((transA ? k : m) * lda, &rng), b = randomArray((transB ? n : k) * ldb, &rng)
                let c0 = randomArray(m * ldc, &rng)
                var fast = c0, slow = c0
                BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a, lda: lda, b: b, ldb: ldb,
                          beta: 0.3, c: &fast, ldc: ldc)
                naiveGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: a, lda: lda, b: b, ldb: ldb,
                          beta: 0.3, c: &slow, ldc: ldc)
                for i in 0..<(m * ldc) {
                    // Float32 sums of 9 products of values in ±1: 1e-5 covers rounding order differences.
                    XCTAssertEqual(fast[i], slow[i], accuracy: 1e-5, "transA \(transA) transB \(transB) at \(i)")
                }
            }
        }
    }

    func testGemvAndGerMatchPlainLoops() {
        var rng = Rng(seed: 2)
        let m = 6, n = 4, lda = 7
        let a = randomArray(m * lda, &rng), x = randomArray(m * 2, &rng), xn = randomArray(n, &rng)
        var y = [Float](repeating: 0, count: n)
        BLAS.gemv(trans: true, m: m, n: n, a: a, lda: lda, x: x, incX: 2, beta: 0, y: &y)
        for j in 0..<n {
            var s: Float = 0
            for i in 0..<m { s += a[i * lda + j] * x[2 * i] }
            XCTAssertEqual(y[j], s, accuracy: 1e-5)
        }
        var y2 = [Float](repeating: 1, count: m)
        BLAS.gemv(m: m, n: n, a: a, lda: lda, x: xn, beta: 1, y: &y2)
        for i in 0..<m {
            var s: Float = 1
            for j in 0..<n { s += a[i * lda + j] * xn[j] }
            XCTAssertEqual(y2[i], s, accuracy: 1e-5)
        }
        var g = a
        BLAS.ger(m: m, n: n, alpha: 0.5, x: x, incX: 2, y: xn, a: &g, lda: lda)
        for i in 0..<m {
            for j in 0..<n { XCTAssertEqual(g[i * lda + j], a[i * lda + j] + 0.5 * x[2 * i] * xn[j], accuracy: 1e-6) }
        }
    }

    func testFastExpTanhSigmoidAccuracy() {
        var worstExp: Float = 0, worstTanh: Float = 0, worstSig: Float = 0
        var x: Float = -80
        while x < 80 {
            worstExp = max(worstExp, abs(fastExp(x) - expf(x)) / expf(x))
            worstTanh = max(worstTanh, abs(fastTanh(x) - tanhf(x)))
            worstSig = max(worstSig, abs(fastSigmoid(x) - 1 / (1 + expf(-x))))
            x += 0.013
        }
        // Relative exp error near 1 ulp; tanh and sigmoid absolute errors near 1 ulp of 1.
        XCTAssertLessThan(worstExp, 5e-7)
        XCTAssertLessThan(worstTanh, 3e-7)
        XCTAssertLessThan(worstSig, 3e-7)
        var lanes = SIMD4<Float>(-3, 0, 0.5, 20)
        lanes = fastExp4(lanes)
        for (i, v) in [-3, 0, 0.5, 20].enumerated() { XCTAssertEqual(lanes[i], fastExp(Float(v))) }
        XCTAssertEqual(fastExp(-200), 0, accuracy: 1e-37)
        XCTAssertTrue(fastExp(200).isFinite)
        // fastTanh4 is fastTanh lane by lane, on both sides of the small-|x| series switch.
        for values in [[-3, -0.05, 0, 0.0624], [0.0626, 0.7, -9, 40]] as [[Float]] {
            let t = fastTanh4(SIMD4(values))
            for (i, v) in values.enumerated() { XCTAssertEqual(t[i], fastTanh(v), "x = \(v)") }
        }
    }

    func testTanhDotIsTheAttentionScore() {
        var rng = Rng(seed: 9)
        for n in [1, 3, 4, 5, 16, 255, 256] {
            let q = randomArray(n, &rng, scale: 2), k = randomArray(n, &rng, scale: 2), v = randomArray(n, &rng)
            var expected: Double = 0
            for i in 0..<n { expected += Double(v[i]) * tanh(Double(q[i]) + Double(k[i])) }
            XCTAssertEqual(Double(tanhDot(q, k, v, n)), expected, accuracy: 1e-5 * Double(n), "n = \(n)")
        }
    }

    func testReductionsAndSoftmax() {
        var rng = Rng(seed: 3)
        for n in [0, 1, 7, 8, 9, 100, 1001] {
            let x = randomArray(n, &rng, scale: 5)
            let y = randomArray(n, &rng)
            XCTAssertEqual(vectorSum(x, n), x.reduce(0, +), accuracy: 1e-3)
            XCTAssertEqual(vectorMax(x, n), x.max() ?? -Float.greatestFiniteMagnitude)
            XCTAssertEqual(dot(x, y, n), zip(x, y).map { $0 * $1 }.reduce(0, +), accuracy: 1e-3)
            if n == 0 { continue }
            var s = x
            let lse = softmaxInPlace(&s, n)
            let ref = log(x.map { exp(Double($0)) }.reduce(0, +))
            XCTAssertEqual(Double(lse), ref, accuracy: 1e-4)
            XCTAssertEqual(s.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(Double(sumExpShifted(x, n, shift: 1)), x.map { exp(Double($0) - 1) }.reduce(0, +),
                           accuracy: 1e-5 * exp(ref - 1))
        }
    }
}
