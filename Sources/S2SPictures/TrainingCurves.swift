// `s2s plot LOG.jsonl … -o curves.svg`: training loss and dev BLEU from the logs `s2s train` writes
// (MODEL.log.jsonl), against minutes of training and against steps, four panels in one standalone SVG.
// Several runs are overlaid in different colours with a legend, so recipes compare at a glance.
import Foundation

/// The curves of one training run, read from its JSON-lines log.
public struct TrainingLog: Equatable {
    public struct Point: Equatable {
        public var minutes: Double
        public var step: Double
        public var value: Double
    }
    public var name: String
    /// Training loss (per target token) as the run reported it.
    public var loss: [Point] = []
    /// Dev BLEU at each validation.
    public var bleu: [Point] = []

    public init(name: String) { self.name = name }

    /// Reads a log's text; a line that is not a JSON object is an error naming `file` and its line.
    /// Rows of other types (checkpoints, the summary) are skipped.
    public static func parse(_ text: String, name: String, file: String) throws -> TrainingLog {
        var log = TrainingLog(name: name)
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let row = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw PlotError(description: "\(file):\(k + 1): not a JSON object (is this a training log, MODEL.log.jsonl?)")
            }
            func number(_ key: String) -> Double? { (row[key] as? NSNumber)?.doubleValue }
            guard let seconds = number("train_seconds"), let step = number("step") else { continue }
            switch row["type"] as? String {
            case "progress": if let v = number("loss") { log.loss.append(Point(minutes: seconds / 60, step: step, value: v)) }
            case "validation": if let v = number("dev_bleu") { log.bleu.append(Point(minutes: seconds / 60, step: step, value: v)) }
            default: break
            }
        }
        if log.loss.isEmpty && log.bleu.isEmpty {
            throw PlotError(description: "\(file): no progress or validation rows (is this a training log, MODEL.log.jsonl?)")
        }
        return log
    }
}

public struct PlotError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

public enum TrainingCurves {
    /// Colours that stay apart for the first several runs (and in grey print).
    static let palette = ["#2a5bd7", "#d7462a", "#1f9e55", "#9a3fd0", "#e09a12", "#15a0b5", "#555555", "#c2408f"]
    static let panelWidth = 420.0, panelHeight = 260.0, pad = 56.0

    public static func render(_ runs: [TrainingLog]) -> String {
        let legendHeight = 24.0 * Double((runs.count + 2) / 3) + 12
        let width = pad + 2 * (panelWidth + pad), height = legendHeight + 2 * (panelHeight + pad + 24) + 8
        var out = SVG.header(width: width, height: height)
        for (k, run) in runs.enumerated() {
            let x = pad + Double(k % 3) * 280, y = 20 + 24 * Double(k / 3)
            let colour = palette[k % palette.count]
            out += "<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(y - 4))\" x2=\"\(SVG.n(x + 24))\" y2=\"\(SVG.n(y - 4))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            out += "<text x=\"\(SVG.n(x + 30))\" y=\"\(SVG.n(y))\">\(SVG.escape(run.name))</text>\n"
        }
        let series: [(String, KeyPath<TrainingLog, [TrainingLog.Point]>)] = [("training loss", \.loss), ("dev BLEU", \.bleu)]
        for (row, (title, values)) in series.enumerated() {
            for (column, axis) in [("minutes", \TrainingLog.Point.minutes), ("steps", \TrainingLog.Point.step)].enumerated() {
                let left = pad + Double(column) * (panelWidth + pad)
                let top = legendHeight + 24 + Double(row) * (panelHeight + pad + 24)
                let lines = runs.map { run in thinned(run[keyPath: values].map { ($0[keyPath: axis.1], $0.value) }) }
                out += panel(title: "\(title) against \(axis.0)", xLabel: axis.0, lines: lines,
                             frame: (left, top, panelWidth, panelHeight), points: row == 1)
            }
        }
        return out + "</svg>\n"
    }

    /// At most `limit` points, each the mean of a run of neighbours: a 30-minute log has ~1,800 loss rows,
    /// more than a panel has pixels, and their noise hides the trend.
    static func thinned(_ points: [(Double, Double)], limit: Int = 300) -> [(Double, Double)] {
        guard points.count > limit else { return points }
        let group = (points.count + limit - 1) / limit
        return stride(from: 0, to: points.count, by: group).map { start in
            let slice = points[start..<min(points.count, start + group)]
            let n = Double(slice.count)
            return (slice.reduce(0) { $0 + $1.0 } / n, slice.reduce(0) { $0 + $1.1 } / n)
        }
    }

    /// One panel: axes with round ticks, a grid, and one polyline per run (with dots for sparse series).
    static func panel(title: String, xLabel: String, lines: [[(Double, Double)]], frame: (Double, Double, Double, Double),
                      points: Bool) -> String {
        let (left, top, width, height) = frame
        let all = lines.flatMap { $0 }
        var out = "<text x=\"\(SVG.n(left))\" y=\"\(SVG.n(top - 10))\" font-size=\"14\" font-weight=\"bold\">\(SVG.escape(title))</text>\n"
        out += "<rect x=\"\(SVG.n(left))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(width))\" height=\"\(SVG.n(height))\" fill=\"none\" stroke=\"#999\"/>\n"
        guard !all.isEmpty else {
            return out + "<text x=\"\(SVG.n(left + 12))\" y=\"\(SVG.n(top + 24))\" fill=\"#888\">no data</text>\n"
        }
        let x0 = min(0, all.map(\.0).min()!), x1 = max(all.map(\.0).max()!, x0 + 1e-9)
        var y0 = all.map(\.1).min()!, y1 = all.map(\.1).max()!
        if y1 - y0 < 1e-9 { y0 -= 1; y1 += 1 }
        let margin = (y1 - y0) * 0.05
        y0 -= margin; y1 += margin
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * width }
        func py(_ y: Double) -> Double { top + height - (y - y0) / (y1 - y0) * height }
        for t in SVG.ticks(x0, x1) {
            out += "<line x1=\"\(SVG.n(px(t)))\" y1=\"\(SVG.n(top))\" x2=\"\(SVG.n(px(t)))\" y2=\"\(SVG.n(top + height))\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(SVG.n(px(t)))\" y=\"\(SVG.n(top + height + 16))\" text-anchor=\"middle\" fill=\"#444\">\(SVG.label(t))</text>\n"
        }
        for t in SVG.ticks(y0, y1) {
            out += "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(py(t)))\" x2=\"\(SVG.n(left + width))\" y2=\"\(SVG.n(py(t)))\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(SVG.n(left - 6))\" y=\"\(SVG.n(py(t) + 4))\" text-anchor=\"end\" fill=\"#444\">\(SVG.label(t))</text>\n"
        }
        out += "<text x=\"\(SVG.n(left + width / 2))\" y=\"\(SVG.n(top + height + 34))\" text-anchor=\"middle\" fill=\"#444\">\(SVG.escape(xLabel))</text>\n"
        for (k, line) in lines.enumerated() where !line.isEmpty {
            let colour = palette[k % palette.count]
            let coordinates = line.map { "\(SVG.n(px($0.0))),\(SVG.n(py($0.1)))" }.joined(separator: " ")
            out += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\" stroke-linejoin=\"round\"/>\n"
            if points {
                for (x, y) in line {
                    out += "<circle cx=\"\(SVG.n(px(x)))\" cy=\"\(SVG.n(py(y)))\" r=\"2.5\" fill=\"\(colour)\"><title>\(SVG.label(x)) \(SVG.escape(xLabel)): \(String(format: "%.2f", y))</title></circle>\n"
                }
            }
        }
        return out
    }
}
