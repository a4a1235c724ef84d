// The oneDNN products of search: int8 is exact where its inputs are representable (so offsets and scales are
// right), stays within its rounding bound elsewhere, and a decoder step over the quantized output layer
// scores as the float one does; the few-rows float product equals OpenBLAS's.
import XCTest
@testable import S2SNet

final class Int8ProductsTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(Int8Products.available, "this CPU has no VNNI instructions: int8 search is off here")
    }

    /// x in {-1, 0, 1} quantizes exactly (127·x + 128), and w whose columns are integer multiples of their
    /// own max/127 does too: the product must then be exact, biases and negative values included.
    func testRepresentableInputsGiveExactProducts() {
        let M = 3, K = 5, N = 4
        let x: [Float] = [1, -1, 0, 1, 1,  0, 0, 0, 0, 0,  -1, -1, 1, 0, -1]
        let steps: [Float] = [0.5, 0.01, 2, 1]
        var w = [Float](repeating: 0, count: K * N)
        let counts: [[Int]] = [[127, -3, 0, 5], [-127, 127, 64, -10], [1, 2, 3, 127], [0, -127, -5, 9], [7, 0, 127, -127]]
        for k in 0..<K { for c in 0..<N { w[k * N + c] = Float(counts[k][c]) * steps[c] } }
        let b: [Float] = [0.25, -1, 0, 3]
        let q = QuantizedColumns(w, rows: K, columns: N)
        var y = [Float](repeating: .nan, count: M * N)
        var xq = [UInt8](repeating: 0, count: M * K), acc = [Int32](repeating: 0, count: M * N)
        int8LinearForward(x: x, w: q, b: b, y: &y, M: M, xq: &xq, acc: &acc)
        for r in 0..<M {
            for c in 0..<N {
                var exact = Double(b[c])
                for k in 0..<K { exact += Double(x[r * K + k]) * Double(w[k * N + c]) }
                XCTAssertEqual(Double(y[r * N + c]), exact, accuracy: 1e-4 * max(1, abs(exact)), "row \(r) column \(c)")
            }
        }
    }

    /// Random inputs: each term is off by at most |x|·s_c/2 + |w|/254 (half a step of each quantizer), so the
    /// sum by at most K·(s_c/2 + max|w|/254); the typical error is far smaller, as the roundings cancel.
    func testRandomProductsStayWithinTheRoundingBound() {
        var rng = Rng(seed: 21)
        let M = 7, K = 256, N = 300
        let x = randomArray(M * K, &rng), w = randomArray(K * N, &rng, scale: 0.3), b = randomArray(N, &rng)
        let q = QuantizedColumns(w, rows: K, columns: N)
        var y = [Float](repeating: 0, count: M * N), reference = y
        var xq = [UInt8](repeating: 0, count: M * K), acc = [Int32](repeating: 0, count: M * N)
        int8LinearForward(x: x, w: q, b: b, y: &y, M: M, xq: &xq, acc: &acc)
        linearForward(x: x, ldX: K, w: w, b: b, y: &reference, ldY: N, N: M, inDim: K, outDim: N)
        var worst = 0.0, total = 0.0, size = 0.0
        for c in 0..<N {
            let largest = (0..<K).map { abs(Double(w[$0 * N + c])) }.max()!
            let bound = Double(K) * (largest / 127 / 2 + largest / 254)
            for r in 0..<M {
                let e = abs(Double(y[r * N + c] - reference[r * N + c]))
                XCTAssertLessThanOrEqual(e, bound)
                worst = max(worst, e); total += e; size += abs(Double(reference[r * N + c]))
            }
        }
        XCTAssertLessThan(total / size, 0.01, "mean error relative to the mean |y|")
        XCTAssertGreaterThan(worst, 0, "int8 that equals float32 exactly on random data did not quantize")
    }

    func testFewRowsProductEqualsOpenBLAS() {
        var rng = Rng(seed: 4)
        for (M, K, N) in [(1, 256, 3000), (5, 64, 2048), (16, 10, 4096)] {
            let x = randomArray(M * K, &rng), w = randomArray(K * N, &rng), b = randomArray(N, &rng)
            var y = [Float](repeating: .nan, count: M * N), reference = y
            fewRowsLinearForward(x: x, w: w, b: b, y: &y, M: M, K: K, N: N)
            linearForward(x: x, ldX: K, w: w, b: b, y: &reference, ldY: N, N: M, inDim: K, outDim: N)
            for i in 0..<(M * N) { XCTAssertTrue(close(Double(y[i]), Double(reference[i]), atol: 1e-4, rtol: 1e-4), "\(M)×\(N) at \(i)") }
        }
        XCTAssertTrue(prefersFewRowsProduct(M: 5, N: 8000))
        XCTAssertFalse(prefersFewRowsProduct(M: 5, N: 300))
        XCTAssertFalse(prefersFewRowsProduct(M: 320, N: 8000))
    }

    /// A decoder step over the whole output layer quantized: every logit within 2% of the float step's
    /// range, the same best token per row, and logZ still the log-sum-exp of its own logits.
    func testQuantizedStepScoresLikeTheFloatStep() throws {
        let config = ModelConfig(sourceVocabSize: 30, targetVocabSize: 40, embed: 8, hidden: 16, attention: 8, readout: 16)
        let model = try Seq2Seq(config: config)
        model.initialize(seed: 8)
        let encoded = model.encode([[4, 5, 6, 7], [8, 9]])
        let sentence: [Int32] = [0, 1, 1], previous: [Int32] = [SpecialIds.bos, 12, 9]
        let state = encoded.initialState.gathered([0, 1, 1])
        let ids = (0..<Int32(40)).map { $0 }
        let float = StepWorkspace(config: config), int8 = StepWorkspace(config: config)
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: float,
                         columns: model.outputColumns(ids))
        let quantized = model.outputColumns(ids, precision: .int8)
        XCTAssertTrue(quantized.isQuantized)
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: int8, columns: quantized)
        for r in 0..<3 {
            let a = (0..<40).map { float.logits[r * 40 + $0] }, b = (0..<40).map { int8.logits[r * 40 + $0] }
            let range = Double(a.max()! - a.min()!)
            for v in 0..<40 { XCTAssertEqual(Double(b[v]), Double(a[v]), accuracy: 0.02 * range) }
            XCTAssertEqual(a.indices.max { a[$0] < a[$1] }, b.indices.max { b[$0] < b[$1] })
            let m = Double(b.max()!)
            XCTAssertEqual(Double(int8.logZ[r]), m + log(b.map { exp(Double($0) - m) }.reduce(0, +)), accuracy: 1e-4)
        }
    }
}
