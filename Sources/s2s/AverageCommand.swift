// `s2s average`: one model whose parameters are the mean of several models' (checkpoint averaging). The
// models must share the architecture and the vocabularies; the first one's vocabularies, shortlist and
// configuration go into the result, which is a model to translate with, not a checkpoint to resume.
import ArgumentParser
import Foundation
import S2SNet
import S2SText
import S2STrain

struct Average: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Average the parameters of several models of one architecture (e.g. a run's last checkpoints).",
        discussion: """
            Reads every model (final models or checkpoints), checks that they share the architecture \
            and the vocabularies, and writes the element-wise mean of their parameters:
              s2s average step-20k.s2s step-25k.s2s model.s2s.ckpt --output averaged.s2s

            A checkpoint contributes its raw parameters (those `s2s translate --model CKPT` would \
            use), not its smoothed copy. Averaging the last few checkpoints of a run smooths out the \
            jitter of the last steps. The exponential smoothing that `s2s train` applies by default \
            (--exponential-smoothing) does the same continuously; the README measures both.
            """
    )

    @Argument(help: ArgumentHelp("Model files or checkpoints to average (two or more).", valueName: "model"))
    var models: [String]

    @Option(help: ArgumentHelp("Where to write the averaged model.", valueName: "path"))
    var output: String

    @Flag(help: "Replace --output if it exists.") var overwrite = false

    func validate() throws {
        if models.count < 2 { throw ValidationError("give two or more models to average") }
        if models.contains(output) { throw ValidationError("--output \(output) is one of the models being averaged; write the mean elsewhere") }
    }

    func run() throws {
        if !overwrite && FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) already exists; choose another --output or add --overwrite")
        }
        var loaded: [Seq2Seq] = []
        var first: [String: String] = [:]
        let vocabularyKeys = [VocabularySet.MetadataKey.manifest, VocabularySet.MetadataKey.source,
                              VocabularySet.MetadataKey.target, VocabularySet.MetadataKey.merges]
        for path in models {
            let (model, metadata) = try ModelFile.load(path)
            if loaded.isEmpty {
                first = metadata
            } else {
                // Seq2Seq.average checks this too, but cannot name the files.
                if model.config != loaded[0].config {
                    throw ValidationError("\(path): another architecture or vocabulary size than \(models[0]) (\(model.config.architecture) vs \(loaded[0].config.architecture)); only models of one run can be averaged")
                }
                for key in vocabularyKeys where metadata[key] != first[key] {
                    throw ValidationError("\(path): its vocabularies differ from those of \(models[0]) (\(key)); only models of one run can be averaged")
                }
            }
            loaded.append(model)
        }
        let mean = try Seq2Seq.average(loaded)
        var metadata = first
        // What made sense for one of the inputs (its training state, its optimizer step) does not for the mean.
        for key in [Checkpoint.Key.state, Checkpoint.Key.data, Checkpoint.Key.summary, ModelFile.Key.adamStep] {
            metadata[key] = nil
        }
        metadata["s2s.averaged"] = models.joined(separator: "\n")
        try ModelFile.save(mean, metadata: metadata, to: output)
        FileHandle.standardError.write(Data("averaged \(models.count) models (\(mean.trainableParameterCount) parameters each); written to \(output)\n".utf8))
    }
}
