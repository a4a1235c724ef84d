// Training progress on the terminal: a live status line when stderr is a terminal, plain log lines
// otherwise (so logs and CI output stay readable).
import Foundation
import S2STrain

final class ProgressDisplay {
    let interactive: Bool
    private var lineOpen = false
    private var lastPlain = Date.distantPast

    init(interactive: Bool) { self.interactive = interactive }

    func message(_ text: String) {
        closeLine()
        write(text + "\n")
    }

    func show(_ event: TrainingEvent) {
        switch event {
        case .progress(let p):
            let eta = p.eta.map { " eta " + clock($0) } ?? ""
            let text = String(format: "epoch %d (%3.0f%%) step %d  loss %.3f  ppl %.1f  %.0f tok/s  lr %.1e  %@%@",
                              p.epoch, p.epochFraction * 100, p.step, p.loss, p.perplexity, p.tokensPerSecond,
                              Double(p.learningRate), clock(p.elapsed), eta)
            if interactive {
                write("\r\u{1B}[K" + text)
                lineOpen = true
            } else if Date().timeIntervalSince(lastPlain) >= 10 {
                write(text + "\n")
                lastPlain = Date()
            }
        case .validated(let v, let step, let improved, let lr):
            message(String(format: "validation at step %d: dev loss %.3f  ppl %.2f  BLEU %.2f  chrF %.2f%@", step, v.loss,
                           exp(v.loss), v.bleu, v.chrf ?? 0,
                           improved ? "  (best so far, saved)" : String(format: "  (no better; lr now %.1e)", Double(lr))))
        case .checkpointed(let seconds):
            if !interactive { message(String(format: "checkpoint written in %.2f s", seconds)) }
        case .skippedBatch(let step, let reason):
            message("warning: step \(step) skipped: \(reason)")
        case .saveFailed(let step, let reason):
            message("warning: at step \(step), could not save: \(reason); training goes on")
        }
    }

    func finish() { closeLine() }

    private func closeLine() {
        if lineOpen {
            write("\n")
            lineOpen = false
        }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
