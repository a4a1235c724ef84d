// The training recipe's options through the built binary: a model trained with tied embeddings, word
// dropout, warm-up with inverse-sqrt decay and exponential smoothing says so, stores the tie in its file
// (with the output layer equal to the embedding's transpose, so the file alone translates), and learns the
// tiny corpus, as does a layer-normalized, deep-transition one; `s2s average` writes the mean of two
// files and refuses what cannot be averaged.
import Foundation
import S2SNet
import XCTest

final class RecipeTests: XCTestCase {
    typealias T = TrainTranslateTests

    func testTiedSmoothedModelLearnsAndAverages() throws {
        let model = T.path("recipe.s2s")
        let r = try S2SCommand.run(["train", T.path("train.en"), T.path("train.fr"), "--dev-src", T.path("train.en"),
                                    "--dev-tgt", T.path("train.fr"), "--epochs", "40", "--valid-every", "1000",
                                    "--model", model, "--overwrite", "--tied-embeddings", "--word-dropout", "0.05",
                                    "--lr-schedule", "inverse-sqrt", "--warmup-steps", "20", "--exponential-smoothing", "0.01"]
                                   + T.tinyModel, timeout: 600)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("tied embeddings"), r.stderr)
        let (loaded, _) = try ModelFile.load(model)
        XCTAssertTrue(loaded.config.tiedEmbeddings)
        XCTAssertEqual(loaded.config.readout, 16, "tied: the readout takes the embedding's size")
        let out = loaded.params.value(loaded.layout.outW), emb = loaded.params.value(loaded.layout.tgtEmbedding)
        let V = loaded.config.targetVocabSize, E = loaded.config.embed
        for v in 0..<V { for e in 0..<E { XCTAssertEqual(out[e * V + v], emb[v * E + e]) } }

        let (src, tgt) = T.corpus()
        let t = try S2SCommand.run(["translate", "--model", model, "--threads", "1"], stdin: src.joined(separator: "\n") + "\n")
        XCTAssertEqual(t.status, 0, t.stderr)
        let right = zip(t.stdout.split(separator: "\n").map(String.init), tgt).filter { $0 == $1 }.count
        XCTAssertGreaterThan(right, tgt.count / 2, "the tied model should learn most of its training set")

        // The best model (smoothed) and the last checkpoint (raw parameters) differ; their mean is the mean.
        let averaged = T.path("recipe-avg.s2s")
        let a = try S2SCommand.run(["average", model, model + ".ckpt", "--output", averaged, "--overwrite"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let (ckpt, _) = try ModelFile.load(model + ".ckpt")
        let (mean, meta) = try ModelFile.load(averaged)
        XCTAssertNil(meta["s2s.training.state"], "the mean is a model, not a checkpoint to resume")
        var differ = 0
        for i in 0..<mean.params.count {
            let x = Double(loaded.params.values[i]), y = Double(ckpt.params.values[i])
            if x != y { differ += 1 }
            XCTAssertEqual(Double(mean.params.values[i]), (x + y) / 2, accuracy: 1e-6)
        }
        XCTAssertGreaterThan(differ, 0)
        let ta = try S2SCommand.run(["translate", "--model", averaged, "--threads", "1"], stdin: src[0] + "\n")
        XCTAssertEqual(ta.status, 0, ta.stderr)

        let untied = try S2SCommand.run(["train", T.path("train.en"), T.path("train.fr"), "--dev-src", T.path("train.en"),
                                         "--dev-tgt", T.path("train.fr"), "--epochs", "1", "--no-tied-embeddings",
                                         "--model", T.path("untied.s2s"), "--overwrite"] + T.tinyModel)
        XCTAssertEqual(untied.status, 0, untied.stderr)
        XCTAssertFalse(try ModelFile.load(T.path("untied.s2s")).model.config.tiedEmbeddings)
        let other = try S2SCommand.run(["average", model, T.path("untied.s2s"), "--output", T.path("x.s2s"), "--overwrite"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("another architecture"), other.stderr)
        let one = try S2SCommand.run(["average", model, "--output", T.path("x.s2s")])
        XCTAssertNotEqual(one.status, 0)
        XCTAssertTrue(one.stderr.contains("two or more"), one.stderr)
    }

    /// --layer-norm and --decoder-depth: the run says so, the file carries the normalization's γ and β and
    /// the transition's weights, and the model learns.
    func testLayerNormDeepTransitionModelLearns() throws {
        let model = T.path("layernorm.s2s")
        let r = try S2SCommand.run(["train", T.path("train.en"), T.path("train.fr"), "--dev-src", T.path("train.en"),
                                    "--dev-tgt", T.path("train.fr"), "--epochs", "40", "--valid-every", "1000",
                                    "--model", model, "--overwrite", "--layer-norm", "--decoder-depth", "2"] + T.tinyModel,
                                   timeout: 600)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("layer norm, decoder depth 2"), r.stderr)
        let (loaded, _) = try ModelFile.load(model)
        XCTAssertTrue(loaded.config.layerNorm)
        XCTAssertEqual(loaded.config.decoderDepth, 2)
        XCTAssertTrue(loaded.layout.views.contains { $0.name == "readout.ln.gain" })
        XCTAssertTrue(loaded.layout.views.contains { $0.name == "dec.transition.1.u" })
        let (src, tgt) = T.corpus()
        let t = try S2SCommand.run(["translate", "--model", model, "--threads", "1"], stdin: src.joined(separator: "\n") + "\n")
        XCTAssertEqual(t.status, 0, t.stderr)
        let right = zip(t.stdout.split(separator: "\n").map(String.init), tgt).filter { $0 == $1 }.count
        XCTAssertGreaterThan(right, tgt.count / 2, "the model should learn most of its training set")
    }

    func testRecipeOptionErrors() throws {
        for (args, says) in [(["--word-dropout", "1"], "--word-dropout"),
                             (["--lr-schedule", "inverse-sqrt", "--warmup-steps", "0"], "--warmup-steps"),
                             (["--exponential-smoothing=-0.1"], "--exponential-smoothing must be"),
                             (["--size", "huge"], "'huge' is invalid"),
                             (["--decoder-depth", "9"], "--decoder-depth must be between 1 and 8")] {
            let r = try S2SCommand.run(["train"] + args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.stderr.contains(says), "\(args): \(r.stderr)")
        }
    }
}
