// TextCodec and VocabularySet: line ↔ ids for both sides, the directory and model-metadata
// round trips, and their errors.
import XCTest
@testable import S2SText

final class TextCodecTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws { directory = try makeTemporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// A small set built the way `s2s vocab` builds one.
    private func makeSet(bpeMerges: Int?) throws -> VocabularySet {
        let english = ["I don't know.", "We're happy, aren't we?", "The cat sleeps.", "I can't see the cat!"]
        let french = ["Je ne sais pas.", "Nous sommes heureux, n'est-ce pas ?", "Le chat dort.", "Je ne vois pas l'été !"]
        let en = try Tokenizer(language: "en"), fr = try Tokenizer(language: "fr")
        var sourceCounts: [String: Int] = [:], targetCounts: [String: Int] = [:]
        for line in english { for piece in en.pieces(line) { sourceCounts[piece, default: 0] += 1 } }
        for line in french { for piece in fr.pieces(line) { targetCounts[piece, default: 0] += 1 } }
        var bpe: BPE?
        if let bpeMerges {
            bpe = BPE.learn(pieceCounts: sourceCounts.merging(targetCounts, uniquingKeysWith: +), merges: bpeMerges, minFrequency: 1)
            sourceCounts = subwordCounts(sourceCounts, bpe!)
            targetCounts = subwordCounts(targetCounts, bpe!)
        }
        return VocabularySet(source: try Vocabulary(counts: sourceCounts), target: try Vocabulary(counts: targetCounts), bpe: bpe,
                             sourceOptions: TokenizerOptions(language: "en"), targetOptions: TokenizerOptions(language: "fr"))
    }

    private func subwordCounts(_ counts: [String: Int], _ bpe: BPE) -> [String: Int] {
        var out: [String: Int] = [:]
        for (piece, count) in counts { for subword in bpe.segment(piece) { out[subword, default: 0] += count } }
        return out
    }

    func testEncodeDecodeWithAndWithoutBPE() throws {
        for merges in [nil, 20] as [Int?] {
            let codecs = try makeSet(bpeMerges: merges).makeCodecs()
            for (codec, line) in [(codecs.source, "I don't see the cat."), (codecs.target, "Je ne sais pas l'été, n'est-ce pas ?")] {
                let (ids, pieces) = codec.encode(line)
                XCTAssertEqual(ids.count, pieces.count)
                XCTAssertFalse(ids.contains(Vocabulary.bos) || ids.contains(Vocabulary.eos), "no BOS/EOS")
                XCTAssertFalse(ids.contains(Vocabulary.unk), "\(pieces)")
                XCTAssertEqual(ids, codec.vocabulary.encode(pieces))
                XCTAssertEqual(codec.decode(ids), line)
                // Specials around and inside are dropped.
                XCTAssertEqual(codec.decode([Vocabulary.bos] + ids + [Vocabulary.eos, Vocabulary.pad, Vocabulary.pad]), line)
            }
            if merges != nil { XCTAssertTrue(codecs.target.encode("n'est-ce").pieces.count >= 3) }
        }
    }

    func testUnknownWordsAndEmptyLines() throws {
        let codecs = try makeSet(bpeMerges: nil).makeCodecs()
        let (ids, pieces) = codecs.source.encode("The dog sleeps.")
        XCTAssertEqual(pieces, ["The", "dog", "sleeps", "￭."])
        XCTAssertEqual(ids[1], Vocabulary.unk)
        XCTAssertEqual(codecs.source.decode(ids), "The sleeps.")
        XCTAssertEqual(codecs.source.decode(ids, unknown: "<unk>"), "The <unk> sleeps.")
        XCTAssertTrue(codecs.source.encode("").ids.isEmpty)
        XCTAssertTrue(codecs.source.encode(" \t ").pieces.isEmpty)
        XCTAssertEqual(codecs.source.decode([]), "")
        // Out-of-range ids from a confused model are unknown, not a crash.
        XCTAssertEqual(codecs.source.decode([-5, 100_000, codecs.source.vocabulary.id("cat")], unknown: "?"), "? ? cat")
    }

    func testDirectoryRoundTrip() throws {
        for merges in [20, nil] as [Int?] {  // BPE first, so the second save must remove bpe.merges
            let set = try makeSet(bpeMerges: merges)
            try set.save(toDirectory: directory)
            XCTAssertEqual(try VocabularySet(directory: directory), set)
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
            XCTAssertEqual(files, merges == nil ? ["src.vocab", "tgt.vocab", "vocab.json"] : ["src.vocab", "tgt.vocab", "bpe.merges", "vocab.json"])
            let manifest = try JSONDecoder().decode(VocabularyManifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/vocab.json")))
            XCTAssertEqual(manifest.bpeMerges, set.bpe?.merges.count)
            XCTAssertEqual(manifest.source.language, "en")
            XCTAssertEqual(manifest.target.language, "fr")
            XCTAssertEqual(manifest.sourceSize, set.source.count)
        }
    }

    func testMetadataRoundTrip() throws {
        let set = try makeSet(bpeMerges: 20)
        let metadata = try set.metadata()
        XCTAssertEqual(Set(metadata.keys), ["s2s.vocab.json", "s2s.src.vocab", "s2s.tgt.vocab", "s2s.bpe.merges"])
        XCTAssertEqual(try VocabularySet(metadata: metadata), set)
        var missing = metadata
        missing["s2s.tgt.vocab"] = nil
        assertTextError(.badFormat, contains: ["s2s.tgt.vocab"]) { _ = try VocabularySet(metadata: missing) }
    }

    func testDirectoryErrors() throws {
        assertTextError(.io, contains: ["vocab.json", "s2s vocab"]) { _ = try VocabularySet(directory: directory + "/none") }

        let set = try makeSet(bpeMerges: 20)
        try set.save(toDirectory: directory)
        try writeFile(directory, "vocab.json", "{\"format\": \"s2s-vocab v1\"}")
        assertTextError(.badFormat, contains: ["vocab.json", "missing"]) { _ = try VocabularySet(directory: directory) }
        try writeFile(directory, "vocab.json", "not json")
        assertTextError(.badFormat, contains: ["vocab.json", "not JSON"]) { _ = try VocabularySet(directory: directory) }

        try set.save(toDirectory: directory)
        try writeFile(directory, "bpe.merges", "#s2s-bpe v1\na b\n")
        assertTextError(.badFormat, contains: ["20 BPE merges", "1"]) { _ = try VocabularySet(directory: directory) }

        try set.save(toDirectory: directory)
        try writeFile(directory, "tgt.vocab", "<pad>\t0\n")
        assertTextError(.badFormat, contains: ["tgt.vocab"]) { _ = try VocabularySet(directory: directory) }
    }
}
