// `s2s plot`: training curves from the logs `s2s train` writes, as one SVG picture.
import ArgumentParser
import Foundation
import S2SPictures

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw training loss and dev BLEU against minutes and steps, from training logs, as SVG.",
        discussion: """
            `s2s train` logs its progress to MODEL.log.jsonl (model.s2s.log.jsonl by default). Give one \
            log, or several to overlay their runs (each named by its file, or by --name, once per \
            log in order):
              s2s plot model.s2s.log.jsonl -o curves.svg
              s2s plot gru.s2s.log.jsonl lstm.s2s.log.jsonl -o cells.svg
            The picture opens in any browser; hover a dev BLEU point to read its value.
            """
    )

    @Argument(help: ArgumentHelp("Training logs (JSON lines written by `s2s train`).", valueName: "log.jsonl"))
    var logs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The SVG file to write (- is standard output).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("A legend name for each log, in order (default: the file name).", valueName: "name"))
    var name: [String] = []

    func validate() throws {
        if logs.isEmpty { throw ValidationError("give at least one training log (MODEL.log.jsonl)") }
        if !name.isEmpty && name.count != logs.count {
            throw ValidationError("give one --name per log (\(logs.count)), or none")
        }
    }

    func run() throws {
        var runs: [TrainingLog] = []
        for (k, path) in logs.enumerated() {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw PlotError(description: "\(path): cannot read: \((error as NSError).localizedDescription)")
            }
            let label = k < name.count ? name[k] : URL(fileURLWithPath: path).lastPathComponent
                .replacingOccurrences(of: ".log.jsonl", with: "")
            runs.append(try TrainingLog.parse(text, name: label, file: path))
        }
        let sink = try OutputSink(path: output)
        try sink.write(TrainingCurves.render(runs))
        try sink.finish()
    }
}
