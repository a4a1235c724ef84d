// VocabularySet: everything needed to turn text into ids for both sides of a model — the
// source and target vocabularies, the optional joint BPE merges, and each side's tokenizer
// options — saved as a directory or as strings for a model file's metadata.
//
// Directory layout:
//   DIR/src.vocab     source vocabulary ("token<TAB>count" lines)
//   DIR/tgt.vocab     target vocabulary
//   DIR/bpe.merges    BPE merges ("#s2s-bpe v1" + "left right" lines), only when BPE is used
//   DIR/vocab.json    manifest: format, languages, lowercase, merge count, sizes
import Foundation

/// vocab.json: the settings that must match between vocabulary building, training and translation.
public struct VocabularyManifest: Codable, Equatable, Sendable {
    public static let currentFormat = "s2s-vocab v1"
    public var format: String
    public var source: TokenizerOptions
    public var target: TokenizerOptions
    /// Number of BPE merges, or nil without BPE.
    public var bpeMerges: Int?
    /// The kind of units; absent in files from before character units (then BPE or words, by bpeMerges).
    public var units: TextUnits?
    /// Vocabulary sizes including specials (informative; the .vocab files are authoritative).
    public var sourceSize: Int
    public var targetSize: Int
}

/// Source and target vocabularies, optional BPE, and tokenizer options per side.
public struct VocabularySet: Equatable, Sendable {
    public var source: Vocabulary
    public var target: Vocabulary
    public var bpe: BPE?
    public var sourceOptions: TokenizerOptions
    public var targetOptions: TokenizerOptions
    /// Character units (ICU grapheme clusters) instead of BPE subwords or words; `bpe` is then nil.
    public var characters: Bool

    public init(source: Vocabulary, target: Vocabulary, bpe: BPE?,
                sourceOptions: TokenizerOptions, targetOptions: TokenizerOptions, characters: Bool = false) {
        self.source = source
        self.target = target
        self.bpe = bpe
        self.sourceOptions = sourceOptions
        self.targetOptions = targetOptions
        self.characters = characters && bpe == nil
    }

    /// How both sides split pieces into units.
    public var subwords: Subwords { characters ? .characters : bpe.map { .bpe($0) } ?? .words }

    /// A codec for each side. Throws what `Tokenizer.init` throws.
    public func makeCodecs() throws -> (source: TextCodec, target: TextCodec) {
        (try TextCodec(options: sourceOptions, vocabulary: source, subwords: subwords),
         try TextCodec(options: targetOptions, vocabulary: target, subwords: subwords))
    }

    public var manifest: VocabularyManifest {
        VocabularyManifest(format: VocabularyManifest.currentFormat, source: sourceOptions, target: targetOptions,
                           bpeMerges: bpe?.merges.count, units: subwords.units, sourceSize: source.count,
                           targetSize: target.count)
    }

    // MARK: - Directory

    public static let sourceFile = "src.vocab"
    public static let targetFile = "tgt.vocab"
    public static let mergesFile = "bpe.merges"
    public static let manifestFile = "vocab.json"

    /// Writes the directory (created if needed); every file is written atomically. A stale
    /// bpe.merges from an earlier run is removed when this set has no BPE.
    public func save(toDirectory directory: String) throws {
        try createDirectories(directory)
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        try source.write(toFile: path(Self.sourceFile))
        try target.write(toFile: path(Self.targetFile))
        if let bpe {
            try bpe.write(toFile: path(Self.mergesFile))
        } else if FileManager.default.fileExists(atPath: path(Self.mergesFile)) {
            try? FileManager.default.removeItem(atPath: path(Self.mergesFile))
        }
        try writeFileAtomically(try Self.encodeManifest(manifest), to: path(Self.manifestFile))
    }

    /// Reads a directory written by `save(toDirectory:)`.
    public init(directory: String) throws {
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        let manifestPath = path(Self.manifestFile)
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw TextError(.io, "\(manifestPath) not found; build a vocabulary directory with `s2s vocab SRC TGT --out \(directory)`")
        }
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw TextError(.io, "cannot read \(manifestPath)")
        }
        let manifest = try Self.decodeManifest(data, origin: manifestPath)
        let bpe = manifest.bpeMerges == nil ? nil : try BPE(contentsOfFile: path(Self.mergesFile))
        try self.init(manifest: manifest,
                      source: try Vocabulary(contentsOfFile: path(Self.sourceFile)),
                      target: try Vocabulary(contentsOfFile: path(Self.targetFile)),
                      bpe: bpe, origin: directory)
    }

    // MARK: - Model-file metadata

    /// Metadata keys used by `metadata` / `init(metadata:)`.
    public enum MetadataKey {
        public static let manifest = "s2s.vocab.json"
        public static let source = "s2s.src.vocab"
        public static let target = "s2s.tgt.vocab"
        public static let merges = "s2s.bpe.merges"
    }

    /// The whole set as strings (file contents by key), for a safetensors `__metadata__`.
    public func metadata() throws -> [String: String] {
        var out = [MetadataKey.manifest: try Self.encodeManifest(manifest),
                   MetadataKey.source: source.fileContents,
                   MetadataKey.target: target.fileContents]
        if let bpe { out[MetadataKey.merges] = bpe.fileContents }
        return out
    }

    /// Reads what `metadata()` wrote; errors name the metadata key.
    public init(metadata: [String: String]) throws {
        func value(_ key: String) throws -> String {
            guard let v = metadata[key] else {
                throw TextError(.badFormat, "model metadata has no '\(key)'; the model file is incomplete or from another tool")
            }
            return v
        }
        let manifest = try Self.decodeManifest(Data(try value(MetadataKey.manifest).utf8), origin: MetadataKey.manifest)
        let bpe = manifest.bpeMerges == nil ? nil : try BPE(fileContents: try value(MetadataKey.merges), origin: MetadataKey.merges)
        try self.init(manifest: manifest,
                      source: try Vocabulary(fileContents: try value(MetadataKey.source), origin: MetadataKey.source),
                      target: try Vocabulary(fileContents: try value(MetadataKey.target), origin: MetadataKey.target),
                      bpe: bpe, origin: "model metadata")
    }

    private init(manifest: VocabularyManifest, source: Vocabulary, target: Vocabulary, bpe: BPE?, origin: String) throws {
        if let expected = manifest.bpeMerges, let bpe, bpe.merges.count != expected {
            throw TextError(.badFormat, "\(origin): vocab.json says \(expected) BPE merges but the merges file has \(bpe.merges.count); rebuild the vocabulary")
        }
        if manifest.units == .char && bpe != nil {
            throw TextError(.badFormat, "\(origin): vocab.json says character units but also names BPE merges; rebuild the vocabulary")
        }
        self.init(source: source, target: target, bpe: bpe, sourceOptions: manifest.source, targetOptions: manifest.target,
                  characters: manifest.units == .char)
    }

    /// A one-line reason for a JSON decoding failure.
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        let path = { (codingPath: [CodingKey]) in codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong value at '\(path(context.codingPath))'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at '\(path(context.codingPath))'"
        @unknown default:
            return "unreadable"
        }
    }

    static func encodeManifest(_ manifest: VocabularyManifest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n"
    }

    static func decodeManifest(_ data: Data, origin: String) throws -> VocabularyManifest {
        let manifest: VocabularyManifest
        do {
            manifest = try JSONDecoder().decode(VocabularyManifest.self, from: data)
        } catch {
            throw TextError(.badFormat, "\(origin): not a valid vocabulary manifest (\(describe(error))); rebuild it with `s2s vocab`")
        }
        guard manifest.format == VocabularyManifest.currentFormat else {
            throw TextError(.badFormat, "\(origin): format '\(manifest.format)' is not '\(VocabularyManifest.currentFormat)'; rebuild the vocabulary with this s2s")
        }
        return manifest
    }
}
