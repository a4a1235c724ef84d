// The course notes' worked example of the Elman RNN, run through s2s's own parts: the one-hot inputs
// through the Linear layer (the input projection every cell uses), the Elman cell over the sequence by
// the same `recurrentSequenceForward` the encoder runs, and the output Linear layer plus softmax. Every
// number the notes print is matched to 1e-5.
//
// The notes' names: U (3×4) maps the one-hot input to the 3 hidden units, W = 0.427043·I is the recurrent
// weight, b = 0.567001 on each unit, s_0 = 0, and V (4×3) maps the state to the 4 outputs. s2s stores
// weights [in, out], so its input weight is Uᵀ, its recurrent weight W, and its output weight Vᵀ.
import XCTest
@testable import S2SNet

final class ElmanWorkedExampleTests: XCTestCase {
    func testNotesWorkedExample() {
        let vocabulary = ["h", "e", "l", "o"]
        let U: [[Float]] = [
            [0.287027, 0.84606, 0.572392, 0.486813],
            [0.902874, 0.871522, 0.691079, 0.18998],
            [0.537524, 0.09224, 0.558159, 0.491528],
        ]
        let V: [[Float]] = [
            [0.37168, 0.974829459, 0.830034886],
            [0.39141, 0.282585823, 0.659835709],
            [0.64985, 0.09821557, 0.334287084],
            [0.91266, 0.32581642, 0.144630018],
        ]
        let H = 3, I = 4, S = 2, B = 1
        let wx = (0..<I).flatMap { i in (0..<H).map { k in U[k][i] } }      // [4, 3] = Uᵀ
        let bias = [Float](repeating: 0.567001, count: H)
        var w = [Float](repeating: 0, count: H * H)                           // [3, 3] = 0.427043·I
        for k in 0..<H { w[k * H + k] = 0.427043 }
        let wOut = (0..<H).flatMap { k in (0..<I).map { o in V[o][k] } }     // [3, 4] = Vᵀ

        // "h" then "e", one-hot, time-major [S, B, 4].
        var x = [Float](repeating: 0, count: S * B * I)
        for (t, letter) in ["h", "e"].enumerated() { x[t * I + vocabulary.firstIndex(of: letter)!] = 1 }
        var xp = [Float](repeating: 0, count: S * B * H)
        linearForward(x: x, ldX: I, w: wx, b: bias, y: &xp, ldY: H, N: S * B, inDim: I, outDim: H)

        let cell = CellKind.rnn.cell
        let buffers = RecurrentBuffers(); buffers.reserve(cell, steps: S, B: B, H: H)
        var states = [Float](repeating: 0, count: S * B * H)
        var scratch = [Float](repeating: 0, count: recurrentScratchCount(cell, B: B, H: H))
        let mask = [Float](repeating: 1, count: S * B), zeros = [Float](repeating: 0, count: B * H)
        recurrentSequenceForward(cell, xp: xp, mask: mask, zeros: zeros, u: w, out: &states, ldOut: H, buffers: buffers,
                                 scratch: &scratch, S: S, B: B, H: H, reverse: false)
        func assertClose(_ got: ArraySlice<Float>, _ expected: [Float], _ what: String) {
            XCTAssertEqual(got.count, expected.count, what)
            for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-5, "\(what): \(Array(got)) vs \(expected)") }
        }
        assertClose(states[0..<3], [0.693168, 0.899554, 0.802118], "s_1 after reading h")
        assertClose(states[3..<6], [0.936534, 0.949104, 0.762341], "s_2 after reading e")

        var y = [Float](repeating: 0, count: I)
        linearForward(x: Array(states[3..<6]), ldX: H, w: wOut, b: nil, y: &y, ldY: I, N: 1, inDim: H, outDim: I)
        assertClose(y[...], [1.906077, 1.137791, 0.956660, 1.274226], "y = V·s_2")
        _ = softmaxInPlace(&y, I)
        assertClose(y[...], [0.419748, 0.194682, 0.162429, 0.223141], "softmax(y)")
    }
}
