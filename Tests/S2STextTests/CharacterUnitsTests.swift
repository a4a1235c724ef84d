// Character units (`--units char`): ICU grapheme clusters of the normalised line as the vocabulary's
// units, "▁" between words, so any line round-trips through ids as it does with words.
import XCTest
@testable import S2SText

final class CharacterUnitsTests: XCTestCase {
    func testGraphemeClustersAreUserPerceivedCharacters() {
        XCTAssertEqual(Graphemes.split("chat"), ["c", "h", "a", "t"])
        XCTAssertEqual(Graphemes.split(""), [])
        // A letter with a combining accent, a flag, a family (ZWJ sequence), a skin-tone emoji: one unit each.
        XCTAssertEqual(Graphemes.split("e\u{301}t\u{E9}"), ["e\u{301}", "t", "\u{E9}"])
        XCTAssertEqual(Graphemes.split("🇫🇷👨‍👩‍👧👍🏽!"), ["🇫🇷", "👨‍👩‍👧", "👍🏽", "!"])
        // Devanagari: a consonant with its vowel sign is one cluster.
        XCTAssertEqual(Graphemes.split("नमस्ते").count, 3)
        XCTAssertEqual(Graphemes.split("नमस्ते").joined(), "नमस्ते")
        // Long text: more clusters than the first guess of room for them.
        let long = String(repeating: "ab", count: 500)
        XCTAssertEqual(Graphemes.split(long).count, 1000)
    }

    func testPiecesAndLinesSplitIntoCharacters() {
        let units = Subwords.characters
        XCTAssertEqual(units.segment("été"), ["é", "t", "é"])
        XCTAssertEqual(units.segment("￭."), ["."])
        XCTAssertEqual(units.segment("￭ce￭"), ["c", "e"])
        XCTAssertEqual(units.units, .char)
        XCTAssertEqual(Subwords.characters(ofLine: "Il a 🇫🇷."), ["I", "l", "▁", "a", "▁", "🇫🇷", "."])
    }

    func testLinesRoundTripThroughCharacterIds() throws {
        var settings = VocabularySettings()
        settings.characters = true
        settings.bpeMerges = 100  // ignored: characters exclude BPE
        let english = ["I don't know.", "The cat sleeps!", "We're here, aren't we?"]
        let french = ["Je ne sais pas.", "Le chat dort !", "Nous sommes là, n'est-ce pas ?"]
        let set = try VocabularyBuilder.build(sources: english, targets: french, settings: settings)
        XCTAssertTrue(set.characters)
        XCTAssertNil(set.bpe)
        XCTAssertLessThan(set.target.count, 40, "a character vocabulary is tiny")
        let codecs = try set.makeCodecs()
        // Unseen words in a seen alphabet are still known: no <unk>.
        for (codec, line) in [(codecs.source, "The cat doesn't sleep."), (codecs.target, "Le chat ne dort pas.")] {
            let (ids, pieces) = codec.encode(line)
            XCTAssertFalse(ids.contains(Vocabulary.unk), "\(pieces)")
            XCTAssertEqual(pieces.count, ids.count)
            XCTAssertEqual(ids.count, line.count, "one id per character, spaces included")
            XCTAssertEqual(codec.decode(ids), line)
        }
        // The choice survives the vocabulary directory and the model metadata.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try set.save(toDirectory: directory)
        let reread = try VocabularySet(directory: directory)
        XCTAssertEqual(reread, set)
        XCTAssertTrue(reread.characters)
        XCTAssertEqual(reread.manifest.units, .char)
        XCTAssertTrue(try VocabularySet(metadata: try set.metadata()).characters)
    }

    /// vocab.json files from before `units` existed read as BPE or words, as they were written.
    func testOldManifestsWithoutUnits() throws {
        let json = """
            {"bpeMerges": null, "format": "s2s-vocab v1", "source": {"language": "en", "lowercase": false},
             "sourceSize": 5, "target": {"language": "fr", "lowercase": false}, "targetSize": 5}
            """
        let manifest = try VocabularySet.decodeManifest(Data(json.utf8), origin: "vocab.json")
        XCTAssertNil(manifest.units)
    }
}
