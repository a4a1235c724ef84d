// Finite-difference checks of each layer's backward on its own (attention, linear, embedding, loss,
// dropout), attention's invariants, Adam's update rule, and teacher forcing below 1.
// Float32 layers at h = 1e-2 with central differences: tolerance atol 5e-5 + rtol 1e-2 throughout.
import XCTest
@testable import S2SNet

/// Central-difference gradient of f with respect to x[i], perturbing x in place.
func numericGradient(_ x: inout [Float], _ i: Int, h: Float = 1e-2, _ f: ([Float]) -> Double) -> Double {
    let old = x[i]
    x[i] = old + h
    let lp = f(x)
    x[i] = old - h
    let lm = f(x)
    x[i] = old
    return (lp - lm) / Double(2 * h)
}

func assertGradient(_ analytic: [Float], _ x: inout [Float], _ what: String, _ f: ([Float]) -> Double,
                    file: StaticString = #filePath, line: UInt = #line) {
    for i in 0..<x.count {
        let g = numericGradient(&x, i, f)
        XCTAssertTrue(close(Double(analytic[i]), g, atol: 5e-5, rtol: 1e-2),
                      "\(what)[\(i)]: analytic \(analytic[i]) vs numeric \(g)", file: file, line: line)
    }
}

final class LayerGradientTests: XCTestCase {
    let S = 4, B = 3, A = 5, C = 6
    let srcMask: [Float] = [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0]  // lengths 4, 3, 2

    func runAttention(q: [Float], keys: [Float], ann: [Float], v: [Float], alpha: inout [Float], tAtt: inout [Float]) -> [Float] {
        var ctx = [Float](repeating: 0, count: B * C)
        attentionForward(q: q, ldQ: A, sentence: nil, keys: keys, ann: ann, srcMask: srcMask, v: v, tAtt: &tAtt,
                         alpha: &alpha, ctx: &ctx, ldCtx: C, R: B, S: S, B: B, A: A, C: C)
        return ctx
    }

    func testAttentionGradientsAndInvariants() {
        var rng = Rng(seed: 4)
        var q = randomArray(B * A, &rng), keys = randomArray(S * B * A, &rng), ann = randomArray(S * B * C, &rng)
        var v = randomArray(A, &rng)
        let w = randomArray(B * C, &rng)
        var alpha = [Float](repeating: 0, count: S * B), tAtt = [Float](repeating: 0, count: S * B * A)
        let ctx = runAttention(q: q, keys: keys, ann: ann, v: v, alpha: &alpha, tAtt: &tAtt)
        // Weights (row b: alpha[b·S + j]) sum to 1 over real positions and padding gets exactly 0.
        for b in 0..<B {
            var sum: Float = 0
            for j in 0..<S {
                if srcMask[j * B + b] == 0 { XCTAssertEqual(alpha[b * S + j], 0) }
                sum += alpha[b * S + j]
            }
            XCTAssertEqual(sum, 1, accuracy: 1e-6)
        }
        // Context is the α-weighted sum of annotations.
        for b in 0..<B {
            for c in 0..<C {
                var s: Float = 0
                for j in 0..<S { s += alpha[b * S + j] * ann[(j * B + b) * C + c] }
                XCTAssertEqual(ctx[b * C + c], s, accuracy: 1e-6)
            }
        }
        // Search's form: rows naming their sentence (here in reverse, one repeated), nothing kept for
        // backward. Each row gets exactly the weights and context of its sentence.
        let picks: [Int32] = [2, 0, 0]
        var qPicked: [Float] = []
        for p in picks { qPicked += q[(Int(p) * A)..<(Int(p) * A + A)] }
        var alpha2 = [Float](repeating: 0, count: picks.count * S), ctx2 = [Float](repeating: 0, count: picks.count * C)
        attentionForward(q: qPicked, ldQ: A, sentence: picks, keys: keys, ann: ann, srcMask: srcMask, v: v, tAtt: nil,
                         alpha: &alpha2, ctx: &ctx2, ldCtx: C, R: picks.count, S: S, B: B, A: A, C: C)
        for (r, p) in picks.enumerated() {
            XCTAssertEqual(Array(alpha2[(r * S)..<(r * S + S)]), Array(alpha[(Int(p) * S)..<(Int(p) * S + S)]))
            XCTAssertEqual(Array(ctx2[(r * C)..<(r * C + C)]), Array(ctx[(Int(p) * C)..<(Int(p) * C + C)]))
        }
        var dAnn = [Float](repeating: 0, count: S * B * C), dKeys = [Float](repeating: 0, count: S * B * A)
        var dv = [Float](repeating: 0, count: A), dq = [Float](repeating: 0, count: B * A)
        var scratch = [Float](repeating: 0, count: S)
        attentionBackward(dCtx: w, ldDCtx: C, ann: ann, v: v, tAtt: tAtt, alpha: alpha, dAnn: &dAnn, dKeys: &dKeys,
                          dv: &dv, dq: &dq, ldDQ: A, scratch: &scratch, R: B, S: S, B: B, A: A, C: C)
        func loss(_ q: [Float], _ k: [Float], _ h: [Float], _ v: [Float]) -> Double {
            var a = [Float](repeating: 0, count: S * B), t = [Float](repeating: 0, count: S * B * A)
            let c = runAttention(q: q, keys: k, ann: h, v: v, alpha: &a, tAtt: &t)
            return zip(c, w).map { Double($0 * $1) }.reduce(0, +)
        }
        assertGradient(dq, &q, "dq") { loss($0, keys, ann, v) }
        assertGradient(dKeys, &keys, "dKeys") { loss(q, $0, ann, v) }
        assertGradient(dAnn, &ann, "dAnn") { loss(q, keys, $0, v) }
        assertGradient(dv, &v, "dv") { loss(q, keys, ann, $0) }
        // Padded annotations and keys receive no gradient.
        for j in 0..<S {
            for b in 0..<B where srcMask[j * B + b] == 0 {
                for c in 0..<C { XCTAssertEqual(dAnn[(j * B + b) * C + c], 0) }
                for a in 0..<A { XCTAssertEqual(dKeys[(j * B + b) * A + a], 0) }
            }
        }
    }

    func testLinearAndEmbeddingGradients() {
        var rng = Rng(seed: 5)
        let N = 4, I = 3, O = 5
        var x = randomArray(N * I, &rng), wt = randomArray(I * O, &rng), b = randomArray(O, &rng)
        let w = randomArray(N * O, &rng)
        let ones = [Float](repeating: 1, count: N)
        func loss(_ x: [Float], _ wt: [Float], _ b: [Float]) -> Double {
            var y = [Float](repeating: 0, count: N * O)
            linearForward(x: x, ldX: I, w: wt, b: b, y: &y, ldY: O, N: N, inDim: I, outDim: O)
            return zip(y, w).map { Double(tanh($0) * $1) }.reduce(0, +)
        }
        var y = [Float](repeating: 0, count: N * O)
        linearForward(x: x, ldX: I, w: wt, b: b, y: &y, ldY: O, N: N, inDim: I, outDim: O)
        let dy = (0..<(N * O)).map { w[$0] * (1 - tanh(y[$0]) * tanh(y[$0])) }
        var dw = [Float](repeating: 0, count: I * O), db = [Float](repeating: 0, count: O)
        var dx = [Float](repeating: 0, count: N * I)
        linearBackward(dy: dy, ldDY: O, x: x, ldX: I, w: wt, dw: &dw, db: &db, dx: &dx, ldDX: I, accumulateDX: false,
                       ones: ones, N: N, inDim: I, outDim: O)
        assertGradient(dx, &x, "dx") { loss($0, wt, b) }
        assertGradient(dw, &wt, "dw") { loss(x, $0, b) }
        assertGradient(db, &b, "db") { loss(x, wt, $0) }

        // Embedding: repeated ids accumulate, the padding id gets nothing.
        let ids: [Int32] = [2, 0, 2, 3]
        let dOut = randomArray(ids.count * 2, &rng)
        var dTable = [Float](repeating: 0, count: 4 * 2)
        embeddingBackward(ids: ids, dOut: dOut, dTable: &dTable, N: ids.count, E: 2, padId: 0)
        XCTAssertEqual(dTable[0], 0); XCTAssertEqual(dTable[1], 0)
        XCTAssertEqual(dTable[4], dOut[0] + dOut[4], accuracy: 1e-7)
        XCTAssertEqual(dTable[7], dOut[7], accuracy: 1e-7)
    }

    func testCrossEntropyGradientWithSmoothing() {
        var rng = Rng(seed: 6)
        let N = 3, V = 7
        var logits = randomArray(N * V, &rng, scale: 3)
        let targets: [Int32] = [1, 6, 0]
        for eps: Float in [0, 0.1] {
            var g = logits
            let sums = crossEntropyForwardBackward(logits: &g, targets: targets, N: N, V: V, smoothing: eps, scale: 1)
            func loss(_ l: [Float]) -> Double {
                var total = 0.0
                for i in 0..<N {
                    let row = l[(i * V)..<((i + 1) * V)].map(Double.init)
                    let lse = log(row.map { exp($0) }.reduce(0, +))
                    let nll = lse - row[Int(targets[i])]
                    let smooth = lse - row.reduce(0, +) / Double(V)
                    total += (1 - Double(eps)) * nll + Double(eps) * smooth
                }
                return total
            }
            XCTAssertEqual(sums.loss, loss(logits), accuracy: 1e-5)
            assertGradient(g, &logits, "dlogits eps \(eps)") { loss($0) }
        }
    }

    func testDropoutMaskAndBackward() {
        var rng = Rng(seed: 7)
        let n = 10_000
        var x = [Float](repeating: 1, count: n), mask = [Float](repeating: 0, count: n)
        dropoutForward(&x, mask: &mask, count: n, rate: 0.25, rng: &rng)
        let dropped = mask.filter { $0 == 0 }.count
        XCTAssertEqual(Double(dropped) / Double(n), 0.25, accuracy: 0.02)
        XCTAssertTrue(mask.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
        XCTAssertEqual(x, mask)  // x was all ones
        var d = [Float](repeating: 2, count: n)
        dropoutBackward(&d, mask: mask, count: n)
        XCTAssertEqual(d, mask.map { $0 * 2 })
        var y = [Float](repeating: 3, count: 5), m2 = [Float](repeating: 0, count: 5)
        dropoutForward(&y, mask: &m2, count: 5, rate: 0, rng: &rng)
        XCTAssertEqual(y, [3, 3, 3, 3, 3])
    }
}
