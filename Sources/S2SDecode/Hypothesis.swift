// What a search returns and how long it may search: a finished hypothesis (target ids, log-probability,
// attention) and the length limit. Shared by greedy search, beam search and the Translator.

/// A finished translation in target ids (no specials), with its model score.
public struct Hypothesis: Sendable, Equatable {
    public var tokens: [Int32]
    public var logProb: Float               // Σ log p over the emitted tokens, </s> included when emitted
    public var attention: [[Float]]         // [len(tokens) + 1 or len(tokens), S] when requested, else []
    public init(tokens: [Int32], logProb: Float, attention: [[Float]] = []) {
        self.tokens = tokens
        self.logProb = logProb
        self.attention = attention
    }
}

/// How long a translation may get: at most ratio · source length + offset tokens.
public struct LengthLimit: Sendable, Equatable {
    public var ratio: Float = 2
    public var offset: Int = 10
    public init(ratio: Float = 2, offset: Int = 10) {
        self.ratio = ratio
        self.offset = offset
    }
    public func maxTokens(sourceLength: Int) -> Int { Int(ratio * Float(sourceLength)) + offset }
}
