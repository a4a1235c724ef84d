// Learning BPE merges from piece counts, incrementally: pair counts are kept up to date by
// touching only the words that contain the merged pair, and the best pair comes from a
// max-heap with lazy deletion (stale entries are skipped when popped). Cost per merge is
// proportional to the words it changes, not to the corpus.
//
// Ties: among pairs with the same count, the one whose left symbol, then right symbol, comes
// first in Unicode code point order (UTF-8 byte order) wins. With that rule the result does
// not depend on dictionary order, so learning is deterministic.

extension BPE {
    /// Learns up to `mergeCount` merges from pieces and their counts (e.g. every piece of both
    /// sides of the training text: joint BPE). Joiner markers are stripped first, so "￭." and
    /// "." pool their counts. Stops early when the best pair occurs fewer than `minFrequency`
    /// times.
    public static func learn(pieceCounts: [String: Int], merges mergeCount: Int, minFrequency: Int = 2) -> BPE {
        var learner = BPELearner()
        for (piece, count) in pieceCounts where count > 0 {
            learner.addWord(strippingMarkers(piece), count: count)
        }
        return BPE(merges: learner.learn(mergeCount: mergeCount, minFrequency: max(1, minFrequency)))
    }

    static func strippingMarkers(_ piece: String) -> Substring {
        var core = Substring(piece).unicodeScalars
        if core.count > 1, core.first == "\u{FFED}" { core = core.dropFirst() }
        if core.count > 1, core.last == "\u{FFED}" { core = core.dropLast() }
        return Substring(core)
    }
}

struct BPELearner {
    private var symbols: [String] = []
    private var symbolBytes: [[UInt8]] = []
    private var symbolIDs: [String: Int32] = [:]
    private var words: [[Int32]] = []
    private var wordCounts: [Int] = []
    private var wordIndex: [Substring: Int] = [:]

    private var pairCounts: [UInt64: Int] = [:]
    /// Words that contained the pair when it was recorded; may hold stale or repeated entries.
    private var wordsWithPair: [UInt64: [Int32]] = [:]
    private var heap: [HeapEntry] = []

    private struct HeapEntry {
        var count: Int
        var pair: UInt64
    }

    mutating func addWord(_ core: Substring, count: Int) {
        guard !core.isEmpty else { return }
        if let w = wordIndex[core] {
            wordCounts[w] += count
            return
        }
        var word = core.map { intern(String($0)) }
        word[word.count - 1] = intern(symbols[Int(word[word.count - 1])] + BPE.endOfWord)
        wordIndex[core] = words.count
        words.append(word)
        wordCounts.append(count)
    }

    mutating func learn(mergeCount: Int, minFrequency: Int) -> [BPE.Merge] {
        for (w, word) in words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let pair = Self.key(word[i], word[i + 1])
                pairCounts[pair, default: 0] += wordCounts[w]
                let list = wordsWithPair[pair]
                if list?.last != Int32(w) { wordsWithPair[pair, default: []].append(Int32(w)) }
            }
        }
        heap = pairCounts.map { HeapEntry(count: $0.value, pair: $0.key) }
        heapify()

        var merges: [BPE.Merge] = []
        merges.reserveCapacity(mergeCount)
        var delta: [UInt64: Int] = [:]
        while merges.count < mergeCount, let top = popValid(), top.count >= minFrequency {
            let a = Int32(truncatingIfNeeded: top.pair >> 32), b = Int32(truncatingIfNeeded: top.pair)
            merges.append(BPE.Merge(symbols[Int(a)], symbols[Int(b)]))
            let merged = intern(symbols[Int(a)] + symbols[Int(b)])
            delta.removeAll(keepingCapacity: true)
            let candidates = wordsWithPair.removeValue(forKey: top.pair) ?? []
            for w32 in candidates {
                let w = Int(w32)
                let word = words[w]
                guard Self.contains(word, a, b) else { continue }  // stale entry
                let count = wordCounts[w]
                for i in 0..<(word.count - 1) { delta[Self.key(word[i], word[i + 1]), default: 0] -= count }
                var newWord: [Int32] = []
                newWord.reserveCapacity(word.count - 1)
                var i = 0
                while i < word.count {
                    if i + 1 < word.count, word[i] == a, word[i + 1] == b {
                        newWord.append(merged)
                        i += 2
                    } else {
                        newWord.append(word[i])
                        i += 1
                    }
                }
                for i in 0..<(newWord.count - 1) where newWord.count > 1 {
                    let pair = Self.key(newWord[i], newWord[i + 1])
                    delta[pair, default: 0] += count
                    if newWord[i] == merged || newWord[i + 1] == merged, wordsWithPair[pair]?.last != w32 {
                        wordsWithPair[pair, default: []].append(w32)
                    }
                }
                words[w] = newWord
            }
            for (pair, change) in delta where change != 0 {
                let now = pairCounts[pair, default: 0] + change
                if now > 0 {
                    pairCounts[pair] = now
                    push(HeapEntry(count: now, pair: pair))
                } else {
                    pairCounts[pair] = nil
                }
            }
        }
        return merges
    }

    // MARK: - Symbols

    private mutating func intern(_ symbol: String) -> Int32 {
        if let id = symbolIDs[symbol] { return id }
        let id = Int32(symbols.count)
        symbols.append(symbol)
        symbolBytes.append(Array(symbol.utf8))
        symbolIDs[symbol] = id
        return id
    }

    private static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    private static func contains(_ word: [Int32], _ a: Int32, _ b: Int32) -> Bool {
        guard word.count > 1 else { return false }
        for i in 0..<(word.count - 1) where word[i] == a && word[i + 1] == b { return true }
        return false
    }

    // MARK: - Max-heap with lazy deletion

    /// Whether x should be merged before y: higher count, then smaller left, then smaller right.
    private func before(_ x: HeapEntry, _ y: HeapEntry) -> Bool {
        if x.count != y.count { return x.count > y.count }
        if x.pair == y.pair { return false }
        let xl = Int(x.pair >> 32), yl = Int(y.pair >> 32)
        if xl != yl { return symbolBytes[xl].lexicographicallyPrecedes(symbolBytes[yl]) }
        return symbolBytes[Int(x.pair & 0xFFFF_FFFF)].lexicographicallyPrecedes(symbolBytes[Int(y.pair & 0xFFFF_FFFF)])
    }

    /// Pops entries until one matches the pair's current count; nil when the heap is empty.
    private mutating func popValid() -> HeapEntry? {
        while let top = heap.first {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
            if pairCounts[top.pair] == top.count { return top }
        }
        return nil
    }

    private mutating func push(_ entry: HeapEntry) {
        heap.append(entry)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func heapify() {
        guard heap.count > 1 else { return }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n, before(heap[l], heap[best]) { best = l }
            if r < n, before(heap[r], heap[best]) { best = r }
            if best == i { return }
            heap.swapAt(i, best)
            i = best
        }
    }
}
