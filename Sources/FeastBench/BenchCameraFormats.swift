import FeastEvents
import FeastIO
import Foundation

/// The camera-format rows of `feast bench decode`: one 1280×720 recording
/// (the same number of events as the other rows, random pixels, ~1 µs
/// apart) in every format feast reads, decoded through `EventFileOpener`
/// as the commands do. EVT 3.0, EVT 2.0 and Event Stream come from feast's
/// writers, AEDAT 2.0 and 3.1 from their specifications (below; no common
/// tool writes them; folded onto a DAVIS640's 640×480, the largest sensor
/// of their address layouts), DAT and AEDAT 4 (LZ4) from faery when it is
/// installed; faery's own decode of the same files is measured too
/// (scripts/bench-faery.py, its Python API as a user calls it).
extension DecodeBenchmark {
    public static let camera = SensorGeometry(width: 1280, height: 720)

    /// Measures the camera rows; returns faery's decode rate (events/s) per
    /// row it read (key `format<TAB>input`), empty without faery. A second
    /// EVT 3.0 row holds what a camera writes for moving edges (runs of
    /// neighbouring pixels with one timestamp, which EVT 3.0 packs into
    /// vector words), written by faery's encoder.
    public func measureCameraFormats(folder: String, console: BenchConsole, measure: (String, String, String, () throws -> any EventSource) throws -> Void) throws -> [String: Double] {
        var generator = SplitMix64(seed: seed &+ 1)
        var t: Int64 = 0
        var chunk = ContiguousArray<Event>()
        let paths = ["evt3": folder + "/cam.raw", "evt2": folder + "/cam2.raw", "es": folder + "/cam.es",
                     "aedat2": folder + "/cam2.aedat", "aedat3": folder + "/cam3.aedat"]
        var sinks: [any EventSink] = [
            EVT3Writer(output: try ByteOutput(path: paths["evt3"]!), geometry: Self.camera),
            EVT2Writer(output: try ByteOutput(path: paths["evt2"]!), geometry: Self.camera),
            try EventStreamWriter(path: paths["es"]!, geometry: Self.camera),
        ]
        let aedat2 = try ByteOutput(path: paths["aedat2"]!)
        try aedat2.write("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS640\r\n")
        let aedat3 = try ByteOutput(path: paths["aedat3"]!)
        try aedat3.write("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DAVIS640\r\n#!END-HEADER\r\n")
        var remaining = events
        while remaining > 0 {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<min(remaining, EventChunk.defaultCapacity) {
                let r = generator.next()
                t += Int64(r & 3)  // ~1.5 µs apart: a busy camera
                chunk.append(Event(t: t, x: UInt16((r >> 8) % 1280), y: UInt16((r >> 24) % 720), polarity: UInt8((r >> 40) & 1)))
            }
            for i in sinks.indices { try sinks[i].write(chunk) }
            try Self.writeAEDAT2(chunk, to: aedat2)
            try Self.writeAEDAT3(chunk, to: aedat3)
            remaining -= chunk.count
        }
        for i in sinks.indices { try sinks[i].finish() }
        let edgesES = folder + "/edges.es"
        try Self.writeEdges(count: events, to: edgesES)
        try aedat2.finish()
        try aedat3.finish()

        // DAT and AEDAT 4 exist only through faery (feast does not write them).
        let script = Self.faeryScript
        var withFaery = ["evt3", "evt2", "es"]
        if let script, Self.python([script, "--convert", paths["es"]!, folder + "/cam.dat", folder + "/cam.aedat4"]) != nil,
           Self.python([script, "--convert", edgesES, folder + "/edges.raw"]) != nil {
            withFaery += ["dat", "aedat4", "evt3 edges"]
        } else {
            console.log("note: faery not installed (pip install faery==0.7.1): no DAT or AEDAT 4 rows, no faery column")
        }
        var all = paths
        all["dat"] = folder + "/cam.dat"
        all["aedat4"] = folder + "/cam.aedat4"
        all["evt3 edges"] = folder + "/edges.raw"
        func input(_ key: String) -> String {
            key == "evt3 edges" ? "file 1280×720 edges" : key.hasPrefix("aedat") && key != "aedat4" ? "file 640×480" : "file 1280×720"
        }
        func format(_ key: String) -> String { key == "evt3 edges" ? "evt3" : key }
        for key in ["evt3", "evt3 edges", "evt2", "dat", "aedat4", "aedat3", "aedat2", "es"] {
            guard let path = all[key], FileManager.default.fileExists(atPath: path) else { continue }
            try measure(format(key), input(key), path) { try EventFileOpener.openSource(path: path) }
        }
        var rates = [String: Double]()
        if let script, withFaery.count > 3, let output = Self.python([script, "--repeats", "\(repeats)"] + withFaery.map { all[$0]! }) {
            for line in output.split(separator: "\n") {
                let cells = line.split(separator: "\t")
                guard cells.count == 3, let n = Double(cells[1]), let s = Double(cells[2]), n == Double(events),
                      let key = withFaery.first(where: { all[$0] == String(cells[0]) }) else { continue }
                rates[format(key) + "\t" + input(key)] = n / s
            }
        }
        return rates
    }

    /// Moving edges as a camera sees them: `count` events in rows of 32
    /// neighbouring pixels sharing a timestamp (a vertical bar sweeping
    /// across the sensor), as an Event Stream file for faery to re-encode.
    public static func writeEdges(count: Int, to path: String) throws {
        var writer = try EventStreamWriter(path: path, geometry: camera)
        var chunk = ContiguousArray<Event>()
        var written = 0, step = 0
        while written < count {
            chunk.removeAll(keepingCapacity: true)
            while chunk.count < EventChunk.defaultCapacity && written + chunk.count < count {
                let t = Int64(step) * 20, y = UInt16(step % 720), x0 = (step / 720 * 7) % (1280 - 32)
                for k in 0..<min(32, count - written - chunk.count) {
                    chunk.append(Event(t: t, x: UInt16(x0 + k), y: y, polarity: UInt8(step & 1)))
                }
                step += 1
            }
            try writer.write(chunk)
            written += chunk.count
        }
        try writer.finish()
    }

    /// jAER DAVIS addresses, big-endian (AEDAT 2.0 specification).
    public static func writeAEDAT2(_ events: ContiguousArray<Event>, to output: ByteOutput) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(events.count * 8)
        for e in events {
            let address = UInt32(e.y % 480) << 22 | UInt32(e.x % 640) << 12 | UInt32(e.polarity) << 11
            withUnsafeBytes(of: address.bigEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: e.t).bigEndian) { bytes += $0 }
        }
        try bytes.withUnsafeBytes { try output.write($0) }
    }

    /// One polarity packet per chunk (AEDAT 3.1 specification).
    public static func writeAEDAT3(_ events: ContiguousArray<Event>, to output: ByteOutput) throws {
        var bytes = [UInt8]()
        let overflow = Int32(truncatingIfNeeded: (events.first?.t ?? 0) >> 31)
        let n = Int32(events.count)
        withUnsafeBytes(of: Int16(1).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: Int16(1).littleEndian) { bytes += $0 }
        for v in [Int32(8), 4, overflow, n, n, n] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        for e in events {
            let data = UInt32(e.x % 640) << 17 | UInt32(e.y % 480) << 2 | UInt32(e.polarity) << 1 | 1
            withUnsafeBytes(of: data.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: Int32(truncatingIfNeeded: e.t & 0x7FFF_FFFF).littleEndian) { bytes += $0 }
        }
        try bytes.withUnsafeBytes { try output.write($0) }
    }

    public static var faeryScript: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("scripts/bench-faery.py").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    public static var faeryVersion: String? {
        python(["-c", "import faery; console.out(faery.__version__)"])?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs python3 with `arguments`; its stdout, or nil when it failed.
    public static func python(_ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}

private extension Result {
    var error: Failure? { if case let .failure(e) = self { e } else { nil } }
}
