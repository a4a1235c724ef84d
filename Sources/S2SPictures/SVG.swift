// The little SVG both pictures are written with: escaping, number formatting and "nice" axis ticks.
// Every picture is one standalone file (inline styles, no scripts, no fonts fetched) that any browser
// opens.
import Foundation

enum SVG {
    /// Text made safe for SVG content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate or size, with at most one decimal.
    static func n(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    static func header(width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>

        """
    }

    /// About `count` round tick values covering lo…hi (steps of 1, 2 or 5 × a power of ten).
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(max(1, count))
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var v = ceil(lo / step) * step
        while v <= hi + step * 1e-9 && values.count < 100 {  // a step below the values' precision stops here
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return values
    }

    /// A tick label: no decimals for whole numbers, else as few as the step needs.
    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 {
            let i = Int(v)
            return abs(i) >= 10_000 ? "\(i / 1000)k" : "\(i)"
        }
        return String(format: abs(v) < 1 ? "%.2f" : "%.1f", v)
    }
}
