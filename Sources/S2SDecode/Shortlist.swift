// The lexical shortlist: for each source piece, the target pieces it most likely translates to (learned
// from the training data by IBM Model 1, see S2STrain's IBMModel1), plus the most frequent target pieces.
// A batch's search scores only the union of its source pieces' lists and the frequent ones (see
// OutputColumns), which shrinks the output layer — the largest product of a search step — to a few
// hundred columns for one sentence and a few thousand for a batch of 64.
//
// It travels in the model file's metadata ("s2s.shortlist"), so a model stays one self-contained file:
//   line 1:     "s2s-shortlist v1 <pieces> <frequent>"
//   line 2:     the frequent target ids, most frequent first, separated by spaces
//   line 3 + f: the target ids of source id f, most likely first (may be empty)
import S2SNet
import S2SText

public struct Shortlist: Sendable, Equatable {
    public static let metadataKey = "s2s.shortlist"
    static let magic = "s2s-shortlist v1"

    /// Target ids per source id, most likely first: lists[f] has at most `pieces` entries.
    public var lists: [[Int32]]
    /// The most frequent target ids, most frequent first.
    public var frequent: [Int32]
    /// How many target pieces each source piece contributes (K) and how many frequent ones (N).
    public var pieces: Int
    public var frequentCount: Int { frequent.count }

    public init(lists: [[Int32]], frequent: [Int32], pieces: Int) {
        self.lists = lists
        self.frequent = frequent
        self.pieces = pieces
    }

    /// The target ids a batch of sources may produce: their pieces' lists, the frequent pieces, </s> and
    /// <unk> (which the Translator replaces with a source word). Unordered; may repeat.
    public func targets(for sources: [[Int32]]) -> [Int32] {
        var seen = [Bool](repeating: false, count: lists.count)
        var out = frequent + [SpecialIds.eos, SpecialIds.unk]
        for source in sources {
            for f in source where f >= 0 && Int(f) < lists.count && !seen[Int(f)] {
                seen[Int(f)] = true
                out += lists[Int(f)]
            }
        }
        return out
    }

    /// The metadata text (format in the header).
    public func encoded() -> String {
        var text = "\(Self.magic) \(pieces) \(frequent.count)\n"
        text.reserveCapacity(lists.reduce(frequent.count) { $0 + $1.count } * 6 + lists.count)
        text += frequent.map(String.init).joined(separator: " ") + "\n"
        for list in lists { text += list.map(String.init).joined(separator: " ") + "\n" }
        return text
    }

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the metadata text, checking every id against the vocabulary sizes.
    public init(encoded text: String, sourceVocabSize: Int, targetVocabSize: Int) throws {
        var lines: [[Int32]] = []
        var header = ""
        var lineNumber = 0
        var current: [Int32] = []
        var number: Int64 = -1
        func fail(_ why: String) -> FormatError { FormatError(description: "shortlist line \(lineNumber + 1): \(why)") }
        var utf8 = text.utf8.makeIterator()
        // Line 1 as text; the rest as numbers, parsed byte by byte (hundreds of thousands of ids).
        while let byte = utf8.next(), byte != UInt8(ascii: "\n") { header.unicodeScalars.append(Unicode.Scalar(byte)) }
        let fields = header.split(separator: " ")
        guard header.hasPrefix(Self.magic), fields.count == 4, let k = Int(fields[2]), let n = Int(fields[3]), k >= 0, n >= 0 else {
            throw fail("expected \"\(Self.magic) <pieces> <frequent>\", found \"\(header.prefix(60))\"")
        }
        lineNumber = 1
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number = max(number, 0) * 10 + Int64(byte - UInt8(ascii: "0"))
                if number >= Int64(targetVocabSize) { throw fail("target id \(number)… is outside the vocabulary of \(targetVocabSize)") }
            case UInt8(ascii: " "), UInt8(ascii: "\n"):
                if number >= 0 { current.append(Int32(number)) }
                number = -1
                if byte == UInt8(ascii: "\n") {
                    lines.append(current)
                    current = []
                    lineNumber += 1
                }
            default:
                throw fail("unexpected byte \(byte)")
            }
        }
        guard number < 0 && current.isEmpty else { throw fail("the text does not end with a newline") }
        guard lines.count == sourceVocabSize + 1 else {
            throw FormatError(description: "shortlist has \(max(0, lines.count - 1)) source lists but the model's source vocabulary has \(sourceVocabSize) entries")
        }
        guard lines[0].count == n else { throw FormatError(description: "shortlist line 2 holds \(lines[0].count) frequent ids, its header says \(n)") }
        if let long = lines.dropFirst().firstIndex(where: { $0.count > k }) {
            throw FormatError(description: "shortlist line \(long + 2) holds \(lines[long].count) ids, its header allows \(k)")
        }
        frequent = lines[0]
        self.lists = Array(lines.dropFirst())
        pieces = k
    }

    /// The model file's shortlist, if it has one.
    public init?(metadata: [String: String], config: ModelConfig) throws {
        guard let text = metadata[Self.metadataKey] else { return nil }
        try self.init(encoded: text, sourceVocabSize: config.sourceVocabSize, targetVocabSize: config.targetVocabSize)
    }
}
