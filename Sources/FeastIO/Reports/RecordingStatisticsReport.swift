import FeastCore
import FeastEvents
import Foundation

/// What `feast info` prints: per-recording statistics and their total, as
/// an aligned table or one JSON object.
public struct RecordingStatisticsReport: Sendable {
    /// One recording's line: its statistics and the sensor its header (or
    /// --geometry, or the .bin/CSV default) gives.
    public struct Row: Sendable {
        public var file: String
        public var stats: EventStatistics
        public var geometry: SensorGeometry
        /// Vendor words skipped by kind (camera formats).
        public var skipped: [String: Int]

        public init(file: String, stats: EventStatistics, geometry: SensorGeometry, skipped: [String: Int]) {
            self.file = file
            self.stats = stats
            self.geometry = geometry
            self.skipped = skipped
        }
    }


    public var rows: [Row]
    public var total: EventStatistics

    public init(rows: [Row], total: EventStatistics) {
        self.rows = rows
        self.total = total
    }

    /// The aligned text table, one line per recording and a total line for several.
    public var table: String {
        let header = ["file", "sensor", "events", "on", "off", "t_first_us", "t_last_us", "duration_us", "x", "y", "overflow", "backwards", "duplicates"]
        func cells(_ name: String, _ sensor: String, _ s: EventStatistics) -> [String] {
            func range(_ a: Int?, _ b: Int?) -> String { a.map { "\($0)..\(b!)" } ?? "-" }
            return [name, sensor, "\(s.events)", "\(s.onEvents)", "\(s.offEvents)", s.tFirst.map(String.init) ?? "-",
                    s.tLast.map(String.init) ?? "-", "\(s.duration)", range(s.xMin, s.xMax), range(s.yMin, s.yMax),
                    "\(s.overflowMarkers)", "\(s.backwardsTimestamps)", "\(s.duplicates)"]
        }
        var lines = [header] + rows.map { cells($0.file, $0.geometry.description, $0.stats) }
        if rows.count > 1 { lines.append(cells("total (\(rows.count) recordings)", Set(rows.map(\.geometry)).count == 1 ? rows[0].geometry.description : "mixed", total)) }
        var widths = [Int](repeating: 0, count: header.count)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for line in lines {
            let padded = line.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }
            out += padded.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// One JSON object: `recordings` (one object each) and `total`.
    public var json: String {
        func object(_ s: EventStatistics, file: String?, geometry: SensorGeometry?, skipped: [String: Int]?) -> String {
            func value(_ v: Int64?) -> String { v.map(String.init) ?? "null" }
            func value(_ v: Int?) -> String { v.map(String.init) ?? "null" }
            var fields = [String]()
            if let file { fields.append("\"file\": \(FeastJSON.quoted(file))") }
            // Per recording from its header; in the total only when all agree.
            fields += ["\"width\": \(value(geometry?.width))", "\"height\": \(value(geometry?.height))"]
            if let skipped {
                let entries = skipped.sorted { $0.key < $1.key }.map { "\(FeastJSON.quoted($0.key)): \($0.value)" }
                fields.append("\"skipped_vendor_events\": {" + entries.joined(separator: ", ") + "}")
            }
            fields += [
                "\"events\": \(s.events)", "\"on_events\": \(s.onEvents)", "\"off_events\": \(s.offEvents)",
                "\"t_first_us\": \(value(s.tFirst))", "\"t_last_us\": \(value(s.tLast))", "\"duration_us\": \(s.duration)",
                "\"overflow_markers\": \(s.overflowMarkers)", "\"backwards_timestamps\": \(s.backwardsTimestamps)",
                "\"duplicates\": \(s.duplicates)",
                "\"x_min\": \(value(s.xMin))", "\"x_max\": \(value(s.xMax))", "\"y_min\": \(value(s.yMin))", "\"y_max\": \(value(s.yMax))",
            ]
            return "{" + fields.joined(separator: ", ") + "}"
        }
        let recordings = rows.map { "    " + object($0.stats, file: $0.file, geometry: $0.geometry, skipped: $0.skipped) }.joined(separator: ",\n")
        let common = Set(rows.map(\.geometry)).count == 1 ? rows.first?.geometry : nil
        return "{\n  \"recordings\": [\n\(recordings)\n  ],\n  \"total\": \(object(total, file: nil, geometry: common, skipped: nil))\n}"
    }
}
