// Bucketed, shuffled minibatches over a corpus of id pairs. Pairs of similar length are batched together
// so batches carry little padding; the order is a pure function of (seed, epoch), so a resumed run can
// rebuild an epoch's batches and continue at the same position.
import S2SNet

/// A training pair in ids, without specials.
public struct IdPair: Sendable, Equatable {
    public var source: [Int32]
    public var target: [Int32]
    public init(source: [Int32], target: [Int32]) {
        self.source = source
        self.target = target
    }
}

/// How big a batch is: a sentence count, or a budget of target tokens (padding included).
public enum BatchSize: Sendable, Equatable, Codable {
    case sentences(Int)
    case tokens(Int)
}

public struct Batcher: Sendable {
    public let pairs: [IdPair]
    public let size: BatchSize
    public let seed: UInt64
    /// Batches are formed inside pools of this many batches' worth of pairs, sorted by length.
    public let poolBatches = 100

    public init(pairs: [IdPair], size: BatchSize, seed: UInt64) {
        self.pairs = pairs
        self.size = size
        self.seed = seed
    }

    /// The batches of `epoch` (1-based), each a list of pair indices.
    public func batches(epoch: Int) -> [[Int]] {
        var rng = Rng(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9)
        var order = Array(pairs.indices)
        shuffle(&order, &rng)
        let poolSize: Int
        switch size {
        case .sentences(let n): poolSize = n * poolBatches
        case .tokens(let t): poolSize = max(1, t / 10) * poolBatches
        }
        var result: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = min(order.count, start + poolSize)
            let pool = order[start..<end].sorted {
                let a = pairs[$0], b = pairs[$1]
                return (a.source.count, a.target.count, $0) < (b.source.count, b.target.count, $1)
            }
            switch size {
            case .sentences(let n):
                var i = 0
                while i < pool.count {
                    result.append(Array(pool[i..<min(pool.count, i + n)]))
                    i += n
                }
            case .tokens(let budget):
                var current: [Int] = []
                var longest = 0
                for idx in pool {
                    let len = pairs[idx].target.count + 1
                    if !current.isEmpty && max(longest, len) * (current.count + 1) > budget {
                        result.append(current)
                        current = []
                        longest = 0
                    }
                    current.append(idx)
                    longest = max(longest, len)
                }
                if !current.isEmpty { result.append(current) }
            }
            start = end
        }
        shuffle(&result, &rng)
        return result
    }
}

/// Fisher–Yates with our own generator, so the order is the same on every platform.
func shuffle<T>(_ a: inout [T], _ rng: inout Rng) {
    if a.count < 2 { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
        let j = Int(rng.next() % UInt64(i + 1))
        a.swapAt(i, j)
    }
}
