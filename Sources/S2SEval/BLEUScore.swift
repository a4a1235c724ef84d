// BLEU's sufficient statistics and the score computed from them, as sacreBLEU 2.x computes it.
//
// Corpus BLEU sums per-segment statistics first and computes one score from the sums
// (sacreBLEU's BLEU.compute_bleu with smooth_method "exp", effective_order off).
import Foundation

/// Summed BLEU statistics: lengths and per-order n-gram counts. Add segments with `+=`.
public struct BLEUStatistics: Equatable, Sendable {
    /// Hypothesis tokens.
    public var hypothesisLength: Int
    /// Reference tokens (for each segment, the reference length closest to the hypothesis's).
    public var referenceLength: Int
    /// `matches[n - 1]`: clipped n-gram matches of order n.
    public var matches: [Int]
    /// `totals[n - 1]`: hypothesis n-grams of order n.
    public var totals: [Int]

    public init(hypothesisLength: Int = 0, referenceLength: Int = 0, matches: [Int], totals: [Int]) {
        precondition(matches.count == totals.count && !matches.isEmpty, "one match and one total count per order")
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        self.matches = matches
        self.totals = totals
    }

    /// Empty statistics for n-gram orders 1...`maxOrder`.
    public init(maxOrder: Int = BLEU.maxOrder) {
        self.init(matches: Array(repeating: 0, count: maxOrder), totals: Array(repeating: 0, count: maxOrder))
    }

    public static func += (lhs: inout BLEUStatistics, rhs: BLEUStatistics) {
        precondition(lhs.matches.count == rhs.matches.count, "statistics of different n-gram orders")
        lhs.hypothesisLength += rhs.hypothesisLength
        lhs.referenceLength += rhs.referenceLength
        for n in lhs.matches.indices {
            lhs.matches[n] += rhs.matches[n]
            lhs.totals[n] += rhs.totals[n]
        }
    }

    /// The score, with sacreBLEU's "exp" smoothing: the k-th order with no match but some
    /// hypothesis n-grams gets precision 100 / (2^k · total). An order with no hypothesis n-grams at
    /// all ends the loop, leaving it and the higher orders at precision 0, which makes the score 0.
    public var score: BLEUScore {
        let order = matches.count
        let sys = hypothesisLength, ref = referenceLength
        let bp: Double
        if sys < ref {
            bp = sys > 0 ? exp(1 - Double(ref) / Double(sys)) : 0
        } else {
            bp = 1
        }
        var precisions = [Double](repeating: 0, count: order)
        var value = 0.0
        if matches.contains(where: { $0 != 0 }) {
            var smooth = 1.0
            for n in 0..<order {
                if totals[n] == 0 { break }
                if matches[n] == 0 {
                    smooth *= 2
                    precisions[n] = 100 / (smooth * Double(totals[n]))
                } else {
                    precisions[n] = 100 * Double(matches[n]) / Double(totals[n])
                }
            }
            // sacreBLEU's my_log: log(0) is floored to -9999999999, so exp(...) underflows to 0.
            var logSum = 0.0
            for p in precisions { logSum += p == 0 ? -9_999_999_999 : log(p) }
            value = bp * exp(logSum / Double(order))
        }
        return BLEUScore(
            score: value, precisions: precisions, matches: matches, totals: totals, brevityPenalty: bp,
            hypothesisLength: sys, referenceLength: ref)
    }
}

/// A corpus BLEU score. `description` prints like sacreBLEU's:
/// `BLEU = 33.21 62.0/39.1/27.5/19.6 (BP = 1.000 ratio = 1.012 hyp_len = 123 ref_len = 121)`.
public struct BLEUScore: Equatable, Sendable, CustomStringConvertible {
    /// BLEU on a 0–100 scale.
    public let score: Double
    /// Modified n-gram precisions (0–100) for orders 1...4, after smoothing.
    public let precisions: [Double]
    /// Clipped n-gram matches per order.
    public let matches: [Int]
    /// Hypothesis n-grams per order.
    public let totals: [Int]
    /// Brevity penalty: 1 when the hypotheses are at least as long as the references.
    public let brevityPenalty: Double
    /// Hypothesis tokens in the corpus.
    public let hypothesisLength: Int
    /// Reference tokens in the corpus.
    public let referenceLength: Int

    /// hypothesisLength / referenceLength (0 when there are no reference tokens).
    public var ratio: Double {
        referenceLength == 0 ? 0 : Double(hypothesisLength) / Double(referenceLength)
    }

    public var description: String {
        let precisionText = precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
        return String(format: "BLEU = %.2f ", score) + precisionText
            + String(format: " (BP = %.3f ratio = %.3f ", brevityPenalty, ratio)
            + "hyp_len = \(hypothesisLength) ref_len = \(referenceLength))"
    }
}
