// The `s2s` command: the root of the CLI. Each subcommand lives in its own file.
import ArgumentParser

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
            """,
        subcommands: [
            // One line per subcommand, in the order a user meets them.
            Vocab.self,
            Train.self,
            Translate.self,
            Evaluate.self,
            Score.self,
        ]
    )
}
