import Foundation
import ArgumentParser
import FeastEvents

/// Event filter flags of every command that reads events (part of
/// ``EventInputOptions``; the reader applies them, ``EventFilterSpec``):
/// `--crop x0,y0,x1,y1 --polarity on|off --time-window a,b --refractory US
/// --denoise US --dedup`. Applied in the order time window, crop,
/// polarity, dedup, refractory, denoise.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Keep x0 ≤ x < x1, y0 ≤ y < y1 (addresses unchanged).", valueName: "x0,y0,x1,y1"))
    var crop: String?

    @Option(help: ArgumentHelp("Keep one polarity.", valueName: "on|off"))
    var polarity: String?

    @Option(name: .customLong("time-window"), help: ArgumentHelp("Keep a ≤ t < b (µs).", valueName: "a,b"))
    var timeWindow: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Per-pixel refractory period: drop events within US µs of the pixel's last kept event.", valueName: "US"))
    var refractory: Int64?

    @Option(parsing: .unconditional, help: ArgumentHelp("Background-activity denoise: keep an event only if a neighbour fired within US µs.", valueName: "US"))
    var denoise: Int64?

    @Flag(help: "Drop exact duplicate events (same t, x, y, p as an earlier event).")
    var dedup = false

    func validate() throws {
        _ = try spec()
    }

    /// The filters the flags name; messages name the flag.
    func spec() throws -> EventFilterSpec {
        let p = try parsed()
        var spec = EventFilterSpec()
        spec.timeWindow = p.window.map { EventFilterSpec.ClosedOpenWindow(start: $0.0, end: $0.1) }
        spec.crop = p.crop.map { EventFilterSpec.CropRectangle(x0: $0[0], y0: $0[1], x1: $0[2], y1: $0[3]) }
        spec.polarity = p.polarity
        spec.dedup = dedup
        spec.refractory = refractory
        spec.denoise = denoise
        return spec
    }

    private func parsed() throws -> (crop: [Int]?, polarity: UInt8?, window: (Int64, Int64)?) {
        var cropValues: [Int]?
        if let crop {
            let values = crop.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 4, values[0] >= 0, values[1] >= 0, values[0] <= values[2], values[1] <= values[3] else {
                throw ValidationError("--crop '\(crop)': expected x0,y0,x1,y1 with 0 ≤ x0 ≤ x1 and 0 ≤ y0 ≤ y1")
            }
            cropValues = values
        }
        var polarityValue: UInt8?
        if let polarity {
            switch polarity.lowercased() {
            case "on", "1", "+": polarityValue = 1
            case "off", "0", "-": polarityValue = 0
            default: throw ValidationError("--polarity '\(polarity)': expected on or off")
            }
        }
        var window: (Int64, Int64)?
        if let timeWindow {
            let values = timeWindow.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 2, values[0] <= values[1] else {
                throw ValidationError("--time-window '\(timeWindow)': expected a,b in µs with a ≤ b")
            }
            window = (values[0], values[1])
        }
        if let refractory, refractory < 0 { throw ValidationError("--refractory must be ≥ 0 µs") }
        if let denoise, denoise < 0 { throw ValidationError("--denoise must be ≥ 0 µs") }
        return (cropValues, polarityValue, window)
    }
}
