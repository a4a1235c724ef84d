// How text becomes vocabulary units, and back: pieces (words and punctuation marks with their joiner
// markers) kept whole (`--units word`), split by learned BPE merges (`bpe`, the default), or characters
// (`char`): the one-hot character inputs of the course notes, for any script.
//
// Characters are ICU grapheme clusters of the normalised line (NFC, whitespace runs folded to one space,
// as the tokenizer leaves it), so a letter with its accents or an emoji sequence stays one unit, and the
// space between words is a unit of its own, "▁" (U+2581, as in SentencePiece). Every character is then
// one vocabulary entry whatever its position, and the vocabulary holds a few hundred entries. Subword
// pieces keep BPE's conventions instead (BPE.swift: "@@" continuations, joiner markers on the ends).
import CICUShim

/// The kind of units a vocabulary holds. Stored in vocab.json ("units").
public enum TextUnits: String, Codable, CaseIterable, Sendable {
    case word, bpe, char
}

/// A side's way from pieces to units.
public enum Subwords: Equatable, Sendable {
    case words
    case bpe(BPE)
    case characters

    public var units: TextUnits {
        switch self {
        case .words: return .word
        case .bpe: return .bpe
        case .characters: return .char
        }
    }

    /// The unit between words in character units.
    public static let space = "\u{2581}"

    /// The units of one piece. With BPE, `isKnown` splits unknown subwords further (see `BPE.segment`).
    /// Characters: the piece's own characters, without joiner markers (the spaces between pieces are
    /// units of the line, see `TextCodec`).
    public func segment(_ piece: String, isKnown: ((String) -> Bool)? = nil) -> [String] {
        switch self {
        case .words: return [piece]
        case .bpe(let bpe): return bpe.segment(piece, isKnown: isKnown)
        case .characters:
            var out: [String] = []
            BPE.withCore(of: piece, whole: { out = Graphemes.split(piece) }) { core, _, _ in out = Graphemes.split(core) }
            return out
        }
    }

    /// The characters of a normalised line, "▁" for each space.
    public static func characters(ofLine text: String) -> [String] {
        Graphemes.split(text).map { $0 == " " ? space : $0 }
    }
}

/// ICU grapheme clusters (UBRK_CHARACTER).
public enum Graphemes {
    /// The grapheme clusters of `text`, in order. "" gives [].
    public static func split<S: StringProtocol>(_ text: S) -> [String] {
        icuSegments(String(text)) { s2s_grapheme_ends($0, $1, $2, $3) }
    }
}

/// Cuts `text` where an ICU break iterator says, given as `ends(utf8, length, ends, capacity)` (the
/// shim's convention): the pieces, in order, joined back give `text`.
func icuSegments(_ text: String, _ boundaries: (UnsafePointer<UInt8>?, Int32, UnsafeMutablePointer<Int32>, Int32) -> Int32) -> [String] {
    var text = text
    return text.withUTF8 { bytes in
        guard bytes.count > 0, bytes.count < Int(Int32.max) else { return bytes.isEmpty ? [] : [String(decoding: bytes, as: UTF8.self)] }
        var ends = [Int32](repeating: 0, count: min(bytes.count, 64))
        var count = Int(boundaries(bytes.baseAddress, Int32(bytes.count), &ends, Int32(ends.count)))
        if count > ends.count {
            ends = [Int32](repeating: 0, count: count)
            count = Int(boundaries(bytes.baseAddress, Int32(bytes.count), &ends, Int32(ends.count)))
        }
        // An ICU failure (out of memory) leaves the text whole rather than losing it.
        guard count > 0 else { return [String(decoding: bytes, as: UTF8.self)] }
        var out: [String] = []
        out.reserveCapacity(count)
        var start = 0
        for i in 0..<count {
            let end = Int(ends[i])
            out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            start = end
        }
        return out
    }
}
