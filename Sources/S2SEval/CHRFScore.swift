// chrF's sufficient statistics and the score computed from them, as sacreBLEU 2.x computes it.
//
// sacreBLEU's default (eps_smoothing=False) averages precision and recall over the "effective"
// orders only, those where both the hypothesis and the reference side have n-grams, and only then
// takes the F-beta of the two averages. An order missing on either side is skipped rather than
// counted as zero, and with no effective order at all the score is 0.
import Foundation

/// Summed chrF statistics: per character n-gram order, hypothesis n-grams, reference n-grams, matches.
public struct CHRFStatistics: Equatable, Sendable {
    /// `hypothesisCounts[n - 1]`: hypothesis n-grams of order n (sacreBLEU counts 0 for a segment
    /// whose reference has no n-gram of that order).
    public var hypothesisCounts: [Int]
    /// `referenceCounts[n - 1]`: reference n-grams of order n.
    public var referenceCounts: [Int]
    /// `matches[n - 1]`: clipped matches of order n.
    public var matches: [Int]
    /// Weight of recall against precision (2: recall counts twice as much).
    public var beta: Int

    public init(hypothesisCounts: [Int], referenceCounts: [Int], matches: [Int], beta: Int = CHRF.beta) {
        precondition(
            hypothesisCounts.count == referenceCounts.count && referenceCounts.count == matches.count
                && !matches.isEmpty, "one hypothesis, reference and match count per order")
        self.hypothesisCounts = hypothesisCounts
        self.referenceCounts = referenceCounts
        self.matches = matches
        self.beta = beta
    }

    /// Empty statistics for orders 1...`charOrder`.
    public init(charOrder: Int = CHRF.charOrder, beta: Int = CHRF.beta) {
        let zeros = [Int](repeating: 0, count: charOrder)
        self.init(hypothesisCounts: zeros, referenceCounts: zeros, matches: zeros, beta: beta)
    }

    public static func += (lhs: inout CHRFStatistics, rhs: CHRFStatistics) {
        precondition(lhs.matches.count == rhs.matches.count, "statistics of different n-gram orders")
        for n in lhs.matches.indices {
            lhs.hypothesisCounts[n] += rhs.hypothesisCounts[n]
            lhs.referenceCounts[n] += rhs.referenceCounts[n]
            lhs.matches[n] += rhs.matches[n]
        }
    }

    /// The F-beta score on a 0–100 scale.
    public var fScore: Double {
        let factor = Double(beta * beta)
        var averagePrecision = 0.0, averageRecall = 0.0
        var effectiveOrder = 0
        for n in matches.indices where hypothesisCounts[n] > 0 && referenceCounts[n] > 0 {
            averagePrecision += Double(matches[n]) / Double(hypothesisCounts[n])
            averageRecall += Double(matches[n]) / Double(referenceCounts[n])
            effectiveOrder += 1
        }
        if effectiveOrder > 0 {
            averagePrecision /= Double(effectiveOrder)
            averageRecall /= Double(effectiveOrder)
        }
        guard averagePrecision + averageRecall != 0 else { return 0 }
        var score = (1 + factor) * averagePrecision * averageRecall
        score /= factor * averagePrecision + averageRecall
        return 100 * score
    }

    public var score: CHRFScore {
        CHRFScore(score: fScore, charOrder: matches.count, beta: beta, statistics: self)
    }
}

/// A corpus chrF score. `description` prints like sacreBLEU's: `chrF2 = 55.12`.
public struct CHRFScore: Equatable, Sendable, CustomStringConvertible {
    /// chrF on a 0–100 scale.
    public let score: Double
    /// Character n-gram order (6).
    public let charOrder: Int
    /// Recall weight (2, hence the name chrF2).
    public let beta: Int
    /// The summed statistics the score came from.
    public let statistics: CHRFStatistics

    public var description: String { "chrF\(beta) = " + String(format: "%.2f", score) }
}
