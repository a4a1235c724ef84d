// The `s2s` command: the root of the CLI. Each subcommand lives in its own file.
import ArgumentParser
import S2SNet

@main
struct S2S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s2s",
        abstract: "Train and run a small neural machine translator (GRU encoder–decoder with attention).",
        discussion: """
            A typical session:
              s2s vocab Corpora/bundled/train.en Corpora/bundled/train.fr --out vocab
              s2s train                      # trains on the bundled corpus, writes model.s2s
              s2s translate "I speak French"

            Matrix products run on OpenBLAS. If OPENBLAS_CORETYPE forces a kernel older than this CPU
            supports, s2s restarts itself without it (set S2S_KEEP_OPENBLAS_CORETYPE=1 to keep your
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
        ]
    )

    static func main() {
        // Before anything else: the kernel choice can only change by starting again (OpenBLASKernel.swift).
        OpenBLASKernel.reloadIfForcedToWeakerKernel()
        main(nil)
    }
}

let s2sVersion = "0.1.0"
