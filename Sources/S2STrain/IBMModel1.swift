// IBM Model 1 (Brown et al. 1993) over BPE pieces, to learn the lexical shortlist (S2SDecode's Shortlist).
// The model explains each target piece e of a pair as a translation of one source piece f (or of NULL),
// chosen uniformly, with probability t(e | f). Expectation–maximisation from a uniform start:
//   E: for each target piece e_j of a pair, the posterior that f_i produced it is
//        t(e_j | f_i) / Σ_i' t(e_j | f_i')                    (i over the source pieces and NULL)
//      and that posterior is added to count(f_i, e_j);
//   M: t(e | f) = count(f, e) / Σ_e' count(f, e').
// The shortlist of f is its K most probable e. Model 1 needs no trained network, so the shortlist is
// learned from the data alone, in seconds, before training starts.
//
// t is stored sparsely: only pairs (f, e) that co-occur in some sentence pair can ever get a count, so
// the table holds those, row by row (CSR: row f's target ids ascending in cols[rowStart[f] ..< rowStart[f+1]]).
import S2SDecode
import S2SNet

public enum IBMModel1 {
    public struct Settings: Sendable, Equatable, Codable {
        /// Target pieces kept per source piece (K).
        public var pieces = 50
        /// Most frequent target pieces always scored (N).
        public var frequent = 100
        /// EM iterations; the lists change little after the first few.
        public var iterations = 5
        public init(pieces: Int = 50, frequent: Int = 100, iterations: Int = 5) {
            self.pieces = pieces
            self.frequent = frequent
            self.iterations = iterations
        }
    }

    /// The shortlist of `pairs` (ids without specials), for vocabularies of the given sizes.
    public static func shortlist(
        pairs: [IdPair], sourceVocabSize: Int, targetVocabSize: Int, settings: Settings = Settings()
    ) -> Shortlist {
        let table = Table(pairs: pairs, rows: sourceVocabSize + 1)   // row sourceVocabSize is NULL
        // Counts in Double: a frequent source piece gathers millions, beside which Float would drop
        // posteriors below a few hundredths.
        var t = [Float](repeating: 1, count: table.cols.count)
        var counts = [Double](repeating: 0, count: table.cols.count)
        let null = Int32(sourceVocabSize)
        var positions: [Int] = []
        for _ in 0..<settings.iterations {
            for i in counts.indices { counts[i] = 0 }
            var sources: [Int32] = []
            for pair in pairs {
                sources.removeAll(keepingCapacity: true)
                sources += pair.source
                sources.append(null)
                for e in pair.target {
                    positions.removeAll(keepingCapacity: true)
                    var total: Float = 0
                    for f in sources {
                        let p = table.position(row: Int(f), column: e)
                        positions.append(p)
                        total += t[p]
                    }
                    for p in positions { counts[p] += Double(t[p] / total) }
                }
            }
            for row in 0..<table.rows {
                let range = table.rowStart[row]..<table.rowStart[row + 1]
                let sum = range.reduce(0.0) { $0 + counts[$1] }
                for p in range { t[p] = sum > 0 ? Float(counts[p] / sum) : 0 }
            }
        }
        let lists = (0..<sourceVocabSize).map { row -> [Int32] in
            let range = table.rowStart[row]..<table.rowStart[row + 1]
            let ranked = range.filter { t[$0] > 0 }.sorted { (t[$0], -$0) > (t[$1], -$1) }
            return ranked.prefix(settings.pieces).map { table.cols[$0] }
        }
        var frequency = [Int](repeating: 0, count: targetVocabSize)
        for pair in pairs { for e in pair.target where Int(e) < targetVocabSize { frequency[Int(e)] += 1 } }
        let frequent = frequency.indices.filter { frequency[$0] > 0 }
            .sorted { (frequency[$0], -$0) > (frequency[$1], -$1) }
            .prefix(settings.frequent).map { Int32($0) }
        return Shortlist(lists: lists, frequent: Array(frequent), pieces: settings.pieces)
    }

    /// The co-occurring (source, target) pairs, in CSR form.
    struct Table {
        let rows: Int
        var rowStart: [Int]      // [rows + 1]
        var cols: [Int32]        // target ids, ascending within each row

        init(pairs: [IdPair], rows: Int) {
            self.rows = rows
            // Keys f << 32 | e, sorted and made unique every few million so memory stays near the table's.
            var keys: [UInt64] = []
            var limit = 1 << 22
            func compact() {
                keys.sort()
                var w = 0
                for k in keys where w == 0 || keys[w - 1] != k { keys[w] = k; w += 1 }
                keys.removeLast(keys.count - w)
            }
            let null = UInt64(rows - 1)
            for pair in pairs {
                let targets = Set(pair.target)
                for f in Set(pair.source.map { UInt64($0) } + [null]) {
                    for e in targets { keys.append(f << 32 | UInt64(UInt32(bitPattern: e))) }
                }
                if keys.count > limit {
                    compact()
                    limit = max(limit, 2 * keys.count)
                }
            }
            compact()
            rowStart = [Int](repeating: 0, count: rows + 1)
            cols = keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
            for k in keys { rowStart[Int(k >> 32) + 1] += 1 }
            for r in 0..<rows { rowStart[r + 1] += rowStart[r] }
        }

        /// The index of (row, column) in `cols`; the pair must co-occur (every pair of a sentence does).
        func position(row: Int, column: Int32) -> Int {
            var lo = rowStart[row], hi = rowStart[row + 1]
            while lo < hi {
                let mid = (lo + hi) / 2
                if cols[mid] < column { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }
}
