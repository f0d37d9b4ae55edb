import Foundation

/// Tick placement and labelling for plot axes.
enum PlotAxis {
    /// A "nice" step (1, 2 or 5 × 10^k) giving about `target` intervals.
    static func niceStep(_ span: Double, target: Int = 5) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Extends `lo...hi` to multiples of a nice step; returns the range and
    /// the ticks inside it. A degenerate range is widened first.
    static func linear(_ lo: Double, _ hi: Double, target: Int = 5) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = lo, hi = hi
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-12 * max(1, abs(hi)) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let step = niceStep(hi - lo, target: target)
        let first = floor(lo / step + 1e-9) * step
        let last = ceil(hi / step - 1e-9) * step
        var ticks: [Double] = []
        var v = first
        while v <= last + step * 1e-6 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return (first, last, ticks)
    }

    /// Decades covering `lo...hi` (both > 0) and their ticks.
    static func logarithmic(_ lo: Double, _ hi: Double) -> (lo: Double, hi: Double, ticks: [Double]) {
        let a = floor(log10(max(lo, 1e-300)))
        var b = ceil(log10(max(hi, 1e-300)))
        if b <= a { b = a + 1 }
        let ticks = stride(from: a, through: b, by: 1).map { pow(10, $0) }
        return (pow(10, a), pow(10, b), ticks)
    }

    /// A short label: integers plainly (thousands as `k`, millions as `M`
    /// when round), fractions with as many decimals as `step` needs.
    static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        for (limit, unit, suffix) in [(1e6, 1e6, "M"), (1e4, 1e3, "k")] where magnitude >= limit {
            let v = value / unit
            if v.rounded() == v { return "\(Int(v))\(suffix)" }
            if (v * 10).rounded() == v * 10 { return String(format: "%.1f%@", v, suffix) }
        }
        if step >= 1, value.rounded() == value { return "\(Int(value))" }
        if magnitude < 1e-3 { return String(format: "%.0e", value) }
        let decimals = max(0, min(6, Int(ceil(-log10(step) - 1e-9))))
        return String(format: "%.\(decimals)f", value)
    }
}
