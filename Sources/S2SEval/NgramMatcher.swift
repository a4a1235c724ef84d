// Clipped n-gram matching between one hypothesis and its references, shared by BLEU (over token
// ids) and chrF (over Unicode scalars).
//
// For each order n we need Σ over distinct n-grams g of min(count_hyp(g), max_r count_ref_r(g)).
// Rather than hashing whole n-grams, each order reuses the previous one: an n-gram is identified by
// (id of its (n-1)-gram prefix, its last symbol), one UInt64 key, and gets a dense id for order n.
// References insert their n-grams; the hypothesis only looks them up, and a hypothesis position
// whose prefix was unknown to every reference stays "dead" for all longer orders. One hash table
// serves every order by bumping a generation stamp instead of clearing it.
//
// The buffers are raw memory owned by this class rather than arrays: this is the innermost loop of
// scoring, and array stores on a stored property pay a uniqueness check each (a fifth of the run
// time when measured). They only grow, so scoring a corpus allocates a few times in total.

final class NgramMatcher {
    /// Open-addressed table (linear probing): slot → key, dense id, and the generation that wrote it.
    private var table = ProbeTable(slots: 0)
    private var generation: UInt32 = 0

    /// Per dense id: hypothesis occurrences the references still allow (the clip), and the
    /// occurrences in the reference being read. Per reference position: the id of the n-gram
    /// starting there at the previous order. All three have `referenceCapacity` elements.
    private var available = UnsafeMutablePointer<Int32>.allocate(capacity: 0)
    private var current = UnsafeMutablePointer<Int32>.allocate(capacity: 0)
    private var referencePrefix = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private var referenceCapacity = 0

    /// Per hypothesis position: the id of the n-gram starting there at the previous order, or `dead`.
    private var hypothesisPrefix = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private var hypothesisCapacity = 0

    private static let dead = UInt32.max

    init() {}

    deinit {
        table.deallocate()
        available.deallocate()
        current.deallocate()
        referencePrefix.deallocate()
        hypothesisPrefix.deallocate()
    }

    /// Counts clipped matches for orders 1...`maxOrder`.
    /// - Parameters:
    ///   - hypothesis: the hypothesis symbols.
    ///   - references: the symbols of all references back to back; reference r ends at `referenceEnds[r]`.
    ///   - matches: on return, `matches[n - 1]` is the clipped match count of order n (resized to `maxOrder`).
    func countMatches(
        hypothesis: [UInt32], references: [UInt32], referenceEnds: [Int],
        maxOrder: Int, matches: inout [Int]
    ) {
        hypothesis.withUnsafeBufferPointer { hyp in
            references.withUnsafeBufferPointer { refs in
                countMatches(hypothesis: hyp, references: refs, referenceEnds: referenceEnds,
                             maxOrder: maxOrder, matches: &matches)
            }
        }
    }

    /// `countMatches` over raw buffers.
    func countMatches(
        hypothesis hyp: UnsafeBufferPointer<UInt32>, references refs: UnsafeBufferPointer<UInt32>,
        referenceEnds: [Int], maxOrder: Int, matches: inout [Int]
    ) {
        precondition(maxOrder >= 1, "n-gram order must be at least 1")
        if matches.count != maxOrder { matches = Array(repeating: 0, count: maxOrder) }
        reserve(references: refs.count, hypothesis: hyp.count)
        // Locals, so the loops below touch no class property.
        let table = self.table
        let available = self.available, current = self.current
        let referencePrefix = self.referencePrefix, hypothesisPrefix = self.hypothesisPrefix
        var generation = self.generation
        defer { self.generation = generation }

        for n in 1...maxOrder {
            if generation == UInt32.max {
                table.clearStamps()
                generation = 0
            }
            generation += 1
            var nextID: UInt32 = 0
            var start = 0
            for end in referenceEnds {
                let count = end - start - n + 1
                if count > 0 {
                    for i in start..<(start + count) {
                        let key = ProbeTable.key(n == 1 ? 0 : referencePrefix[i], refs[i + n - 1])
                        let (id, isNew) = table.insert(key, generation: generation, nextID: &nextID)
                        if isNew {
                            available[Int(id)] = 0
                            current[Int(id)] = 0
                        }
                        referencePrefix[i] = id
                        current[Int(id)] += 1
                    }
                    // Fold this reference's counts into the clip (max over references).
                    for i in start..<(start + count) {
                        let id = Int(referencePrefix[i])
                        let c = current[id]
                        if c > 0 {
                            if c > available[id] { available[id] = c }
                            current[id] = 0
                        }
                    }
                }
                start = end
            }

            var matched = 0
            let count = hyp.count - n + 1
            if count > 0 {
                for i in 0..<count {
                    let prefix = n == 1 ? 0 : hypothesisPrefix[i]
                    if prefix == Self.dead { continue }
                    let id = table.lookup(ProbeTable.key(prefix, hyp[i + n - 1]), generation: generation)
                    hypothesisPrefix[i] = id
                    if id != Self.dead && available[Int(id)] > 0 {
                        available[Int(id)] -= 1
                        matched += 1
                    }
                }
            }
            matches[n - 1] = matched
        }
    }

    /// Grows the buffers so that `references` distinct n-grams fit in the table at most half full.
    private func reserve(references: Int, hypothesis: Int) {
        if table.slots < max(64, 2 * references) {
            table.deallocate()
            var slots = 64
            while slots < 2 * references { slots <<= 1 }
            table = ProbeTable(slots: slots)
            generation = 0
        }
        if referenceCapacity < references {
            referenceCapacity = max(references, 2 * referenceCapacity)
            available.deallocate()
            current.deallocate()
            referencePrefix.deallocate()
            available = .allocate(capacity: referenceCapacity)
            current = .allocate(capacity: referenceCapacity)
            referencePrefix = .allocate(capacity: referenceCapacity)
        }
        if hypothesisCapacity < hypothesis {
            hypothesisCapacity = max(hypothesis, 2 * hypothesisCapacity)
            hypothesisPrefix.deallocate()
            hypothesisPrefix = .allocate(capacity: hypothesisCapacity)
        }
    }
}

/// The hash table's storage: a view over three raw arrays of `slots` entries (a power of two).
/// Entries whose stamp differs from the current generation are empty.
private struct ProbeTable {
    let slots: Int
    private let shift: UInt64
    private let keys: UnsafeMutablePointer<UInt64>
    private let ids: UnsafeMutablePointer<UInt32>
    private let stamps: UnsafeMutablePointer<UInt32>

    init(slots: Int) {
        self.slots = slots
        shift = slots > 1 ? UInt64(64 - slots.trailingZeroBitCount) : 63
        keys = .allocate(capacity: slots)
        ids = .allocate(capacity: slots)
        stamps = .allocate(capacity: slots)
        stamps.initialize(repeating: 0, count: slots)
    }

    func deallocate() {
        keys.deallocate()
        ids.deallocate()
        stamps.deallocate()
    }

    func clearStamps() { stamps.update(repeating: 0, count: slots) }

    @inline(__always)
    static func key(_ prefix: UInt32, _ symbol: UInt32) -> UInt64 { UInt64(prefix) << 32 | UInt64(symbol) }

    /// Fibonacci hashing: the top bits of key × 2^64/φ.
    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The id of `key` in this generation, giving it `nextID` (and bumping that) if absent.
    @inline(__always)
    func insert(_ key: UInt64, generation: UInt32, nextID: inout UInt32) -> (id: UInt32, isNew: Bool) {
        let mask = slots - 1
        var s = slot(key)
        while stamps[s] == generation {
            if keys[s] == key { return (ids[s], false) }
            s = (s + 1) & mask
        }
        let id = nextID
        nextID += 1
        stamps[s] = generation
        keys[s] = key
        ids[s] = id
        return (id, true)
    }

    /// The id of `key` in this generation, or `UInt32.max`.
    @inline(__always)
    func lookup(_ key: UInt64, generation: UInt32) -> UInt32 {
        let mask = slots - 1
        var s = slot(key)
        while stamps[s] == generation {
            if keys[s] == key { return ids[s] }
            s = (s + 1) & mask
        }
        return UInt32.max
    }
}
