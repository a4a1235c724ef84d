// `s2s translate --attention-svg FILE`: each sentence's attention as a heat map, source pieces across,
// target pieces down, one square per weight (darker is more), the value in percent on hover. Sentences
// are stacked in one standalone SVG file, each under its source and translation.
import Foundation
import S2SDecode

public enum AttentionSVG {
    /// One sentence: its source text, its translation, and the alignment search produced.
    public struct Sentence {
        public var source: String
        public var translation: String
        public var alignment: Alignment
        public init(source: String, translation: String, alignment: Alignment) {
            self.source = source
            self.translation = translation
            self.alignment = alignment
        }
    }

    static let cell = 24.0, charWidth = 7.0, gap = 28.0, margin = 16.0

    /// A piece as shown: BPE's joiner mark (U+FFED) is missing from common fonts, a middle dot is not.
    static func shown(_ piece: String) -> String { piece.replacingOccurrences(of: "\u{FFED}", with: "·") }

    public static func render(_ sentences: [Sentence]) -> String {
        var body = ""
        var y = margin, width = 320.0
        for sentence in sentences {
            let (block, w, h) = heatmap(sentence, top: y)
            body += block
            width = max(width, w)
            y += h + gap
        }
        return SVG.header(width: width + margin, height: max(y - gap + margin, 40)) + body + "</svg>\n"
    }

    /// One sentence's block starting at `top`: its SVG, width and height.
    static func heatmap(_ s: Sentence, top: Double) -> (String, Double, Double) {
        var a = s.alignment
        a.sourcePieces = a.sourcePieces.map(shown)
        a.targetPieces = a.targetPieces.map(shown)
        let left = margin + 10 + charWidth * Double(a.targetPieces.map(\.count).max() ?? 3)
        let labels = 10 + charWidth * 0.75 * Double(a.sourcePieces.map(\.count).max() ?? 3)
        let gridTop = top + 40 + labels
        var out = "<g>\n"
        out += "<text x=\"\(SVG.n(margin))\" y=\"\(SVG.n(top + 12))\" fill=\"#555\">\(SVG.escape(s.source))</text>\n"
        out += "<text x=\"\(SVG.n(margin))\" y=\"\(SVG.n(top + 30))\" font-size=\"14\">\(SVG.escape(s.translation))</text>\n"
        for (j, piece) in a.sourcePieces.enumerated() {
            let x = left + cell * Double(j) + cell / 2, y = gridTop - 6
            out += "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" transform=\"rotate(-45 \(SVG.n(x)) \(SVG.n(y)))\">\(SVG.escape(piece))</text>\n"
        }
        for (i, piece) in a.targetPieces.enumerated() {
            let y = gridTop + cell * Double(i)
            out += "<text x=\"\(SVG.n(left - 6))\" y=\"\(SVG.n(y + cell * 0.65))\" text-anchor=\"end\">\(SVG.escape(piece))</text>\n"
            for (j, w) in a.weights[i].enumerated() where j < a.sourcePieces.count {
                let shade = String(format: "%.3f", max(Double(w), 0.02))
                let tip = "\(piece) ← \(a.sourcePieces[j]): \(String(format: "%.1f", Double(w) * 100))%"
                out += "<rect x=\"\(SVG.n(left + cell * Double(j)))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(cell - 1))\" height=\"\(SVG.n(cell - 1))\" fill=\"#2a5bd7\" fill-opacity=\"\(shade)\"><title>\(SVG.escape(tip))</title></rect>\n"
            }
        }
        out += "</g>\n"
        let overhang = charWidth * 0.75 * Double(a.sourcePieces.last?.count ?? 0)  // the last label leans right
        let width = max(left + cell * Double(a.sourcePieces.count) + overhang, charWidth * Double(max(s.source.count, s.translation.count)) + margin)
        return (out, width, gridTop - top + cell * Double(a.targetPieces.count))
    }
}
