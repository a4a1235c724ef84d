// Token interning for BLEU: maps each distinct token (a run of Unicode scalars) to a small integer.
//
// Once tokens are integers, n-gram matching compares and hashes fixed-size keys instead of
// strings. The table is open-addressed (linear probing) over a flat scalar arena, so interning a
// token already seen allocates nothing.

struct TokenInterner {
    /// Slot → token id + 1 (0 marks an empty slot). Capacity is a power of two, at most half full.
    private var slots: [UInt32]
    /// Per token id: its hash, and where its scalars live in `arena`.
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var arena: [UInt32] = []

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    /// Number of distinct tokens seen so far.
    var count: Int { hashes.count }

    /// The id of `scalars[range]`, adding it if new.
    mutating func intern(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt32 {
        let hash = Self.hash(scalars, range)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash && equals(id, scalars, range) { return UInt32(id) }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        starts.append(arena.count)
        arena.append(contentsOf: scalars[range])
        ends.append(arena.count)
        slots[slot] = UInt32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    private func equals(_ id: Int, _ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Bool {
        let start = starts[id]
        guard ends[id] - start == range.count else { return false }
        var j = start
        for i in range {
            if arena[j] != scalars[i] { return false }
            j += 1
        }
        return true
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = UInt32(id + 1)
        }
        slots = bigger
    }

    /// FNV-1a over the scalars, then a final avalanche so the low bits (the slot) depend on all input.
    @inline(__always)
    private static func hash(_ scalars: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in range {
            h = (h ^ UInt64(scalars[i])) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
