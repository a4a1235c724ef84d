// `s2s models`: where s2s looks for a model when --model is not given, which one it would use, and
// making a model the default.
import ArgumentParser
import Foundation

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Show which model translate and evaluate use without --model, or set the default model.",
        discussion: """
            Without --model, `s2s translate` and `s2s evaluate` use the first of: the file named by \
            $S2S_MODEL; model.s2s in the current directory; your default model, \
            $XDG_DATA_HOME/s2s/default.s2s (or ~/.local/share/s2s/default.s2s). `make demo` installs its \
            model as your default; `s2s train --set-default` does the same for a model you train.

            Examples:
              s2s models                               # where s2s looks, and what it finds
              s2s models --set-default en-fr.s2s       # make en-fr.s2s the default model
            """
    )

    @Option(help: ArgumentHelp("Copy this model file to the default location (it is checked first).", valueName: "path"))
    var setDefault: String?

    func run() throws {
        if let setDefault {
            print("default model: \(try ModelLocation.setDefault(setDefault)) (from \(setDefault))")
            return
        }
        var missing: Error?
        var chosen: String?
        do { chosen = try ModelLocation.resolve(nil) } catch { missing = error }
        for (place, path) in ModelLocation.candidates {
            let state: String
            if let path {
                state = path == chosen ? "used" : FileManager.default.fileExists(atPath: path) ? "found" : "missing"
            } else {
                state = "not set"
            }
            print("\(place): \(path ?? "-") (\(state))")
        }
        if let missing { throw missing }
    }
}
