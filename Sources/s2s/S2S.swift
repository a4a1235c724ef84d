// The `s2s` command: the root of the CLI. Each subcommand lives in its own file.
import ArgumentParser
import Foundation
import S2SNet

@main
struct S2S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s2s",
        abstract: "Train and run a small neural machine translator (recurrent encoder–decoder with attention).",
        discussion: """
            A typical session:
              s2s vocab Corpora/bundled/train.en Corpora/bundled/train.fr --out vocab
              s2s train                      # bundled corpus; writes model.s2s
              s2s translate "I speak French"

            Without --model, translate and evaluate use $S2S_MODEL, else ./model.s2s, else your \
            default model (`make demo` installs one; `s2s models` shows where it looks). A path of - \
            means standard input (or output) wherever a command reads or writes a text file.

            Matrix products run on OpenBLAS. If OPENBLAS_CORETYPE forces a kernel older than this CPU \
            supports, s2s restarts itself without it (set S2S_KEEP_OPENBLAS_CORETYPE=1 to keep your \
            choice); `s2s --version` shows the kernel in use.
            """,
        version: "s2s \(s2sVersion) (OpenBLAS \(BLAS.coreName) kernels)",
        subcommands: [
            // One line per subcommand, in the order a user meets them.
            Vocab.self,
            Train.self,
            Translate.self,
            Evaluate.self,
            Score.self,
            ShortlistCommand.self,
            Average.self,
            Serve.self,
            Plot.self,
            Models.self,
        ]
    )

    static func main() {
        // Before anything else: the kernel choice can only change by starting again (OpenBLASKernel.swift).
        OpenBLASKernel.reloadIfForcedToWeakerKernel()
        // The test that keeps every example in --help and the README working parses each one without
        // running it: S2S_CHECK_ARGUMENTS=1 stops after parsing and validation.
        if ProcessInfo.processInfo.environment["S2S_CHECK_ARGUMENTS"] == "1" {
            do { _ = try parseAsRoot() } catch { exit(withError: error) }
            return
        }
        main(nil)
    }
}

let s2sVersion = "0.1.0"
