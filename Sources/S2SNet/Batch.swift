// A minibatch of id sequences in the time-major layout the layers use.

/// Sentences padded to a common length and stored time-major: element (t, b) is at t·B + b.
public struct Batch: Sendable {
    public let B: Int
    public let S: Int  // source length incl. </s>
    public let T: Int  // target length incl. </s> (targetIn starts with <s>)
    public var source: [Int32]     // [S, B]  x_1 … x_n </s>, then <pad>
    public var targetIn: [Int32]   // [T, B]  <s> y_1 … y_m, then <pad>
    public var targetOut: [Int32]  // [T, B]  y_1 … y_m </s>, then <pad>

    /// Builds a batch from unpadded id sequences (no specials); appends </s> and prepends <s> itself.
    public init(sources: [[Int32]], targets: [[Int32]]) {
        precondition(sources.count == targets.count && !sources.isEmpty, "a batch needs matching, non-empty sides")
        B = sources.count
        S = (sources.map(\.count).max() ?? 0) + 1
        T = (targets.map(\.count).max() ?? 0) + 1
        source = [Int32](repeating: SpecialIds.pad, count: S * B)
        targetIn = [Int32](repeating: SpecialIds.pad, count: T * B)
        targetOut = [Int32](repeating: SpecialIds.pad, count: T * B)
        for b in 0..<B {
            for (t, id) in sources[b].enumerated() { source[t * B + b] = id }
            source[sources[b].count * B + b] = SpecialIds.eos
            targetIn[b] = SpecialIds.bos
            for (t, id) in targets[b].enumerated() {
                targetOut[t * B + b] = id
                targetIn[(t + 1) * B + b] = id
            }
            targetOut[targets[b].count * B + b] = SpecialIds.eos
        }
    }

    /// Real (non-pad) target tokens, i.e. the positions that carry loss.
    public var targetTokens: Int { targetOut.reduce(0) { $0 + ($1 != SpecialIds.pad ? 1 : 0) } }
    public var sourceTokens: Int { source.reduce(0) { $0 + ($1 != SpecialIds.pad ? 1 : 0) } }
}
