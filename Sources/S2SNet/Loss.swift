// Cross-entropy with optional label smoothing, over the non-pad target positions only.
//   loss = (1 − ε) · (−log p_y) + ε · mean_v(−log p_v)
// Forward and backward are one pass: the logits are overwritten with dL/dlogits, since nothing else needs them.
import Foundation

public struct LossSums: Sendable, Equatable {
    public var loss: Double = 0     // Σ smoothed loss over tokens
    public var nll: Double = 0      // Σ −log p(y) over tokens (for perplexity)
    public var tokens: Int = 0
    public init(loss: Double = 0, nll: Double = 0, tokens: Int = 0) {
        self.loss = loss
        self.nll = nll
        self.tokens = tokens
    }
}

/// logits [N, V] → dL/dlogits · scale, in place. targets [N]. Returns the summed (unscaled) losses.
/// Rows are split across cores; each row is three passes: max and sum, exp and sum, gradient.
public func crossEntropyForwardBackward(
    logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, N: Int, V: Int,
    smoothing eps: Float, scale: Float, threads: Int = Parallel.workers
) -> LossSums {
    let totals = Parallel.sum(N, minimumPerWorker: 8, workers: threads) { start, end in
        var loss = 0.0, nll = 0.0
        for i in start..<end {
            let r = crossEntropyRow(logits + i * V, target: Int(targets[i]), V: V, eps: eps, scale: scale)
            loss += r.loss
            nll += r.nll
        }
        return SIMD2(loss, nll)
    }
    var sums = LossSums(tokens: N)
    sums.loss = totals[0]
    sums.nll = totals[1]
    return sums
}

/// One row: returns its smoothed loss and nll, and overwrites it with the scaled gradient
/// (p_v − ε/V − (1 − ε)·[v = y]) · scale.
@inline(__always)
func crossEntropyRow(_ row: UnsafeMutablePointer<Float>, target y: Int, V: Int, eps: Float, scale: Float)
    -> (loss: Double, nll: Double)
{
    let ly = row[y]
    let m = vectorMax(row, V)
    let sumLogits = eps > 0 ? vectorSum(row, V) : 0
    for v in 0..<V { row[v] = fastExp(row[v] - m) }
    let z = vectorSum(row, V)
    let lse = m + logf(z)
    let nll = lse - ly
    let loss = (1 - eps) * nll + eps * (lse - sumLogits / Float(V))
    let k = scale / z, shift = eps / Float(V) * scale
    for v in 0..<V { row[v] = row[v] * k - shift }
    row[y] -= (1 - eps) * scale
    return (Double(loss), Double(nll))
}
