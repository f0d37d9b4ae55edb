/// The `#` text header of jAER AEDAT 2.0 and AEDAT 3.1 files, and the
/// sensor its chip or source line names.
///
/// AEDAT 2.0: lines starting with `#` (the first `#!AER-DAT2.0`), each ended
/// by `\r\n`; the events start at the first line that does not start with
/// `#`. AEDAT 3.1: the same lines up to and including `#!END-HEADER\r\n`.
public struct AEDATHeader: Sendable, Equatable {
    /// The lines, without `#` and line endings.
    public var lines: [String]

    /// Longest header accepted (protects memory on a garbage file).
    public static let maximumBytes = 1 << 20

    /// Reads and consumes the header from `input`. `endMarker` (AEDAT 3.1's
    /// `!END-HEADER`) must end it when given.
    public static func read(from input: ByteInput, format: EventFormat, endMarker: String?) throws -> AEDATHeader {
        var lines = [String]()
        var total = 0
        while true {
            _ = try input.fill(atLeast: 1)
            guard input.available > 0 else {
                if let endMarker {
                    throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: format,
                                                     reason: "the header ends without its '#\(endMarker)' line")
                }
                break
            }
            guard input.bytes.load(as: UInt8.self) == UInt8(ascii: "#") else {
                if let endMarker {
                    throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: format,
                                                     reason: "expected a '#' header line or '#\(endMarker)'")
                }
                break
            }
            // One line: up to '\n', across refills.
            var line = [UInt8]()
            while true {
                let p = input.bytes.assumingMemoryBound(to: UInt8.self)
                let n = input.available
                var i = 0
                while i < n && p[i] != 0x0A { i += 1 }
                line += UnsafeBufferPointer(start: p, count: i)
                total += i
                if total > maximumBytes {
                    throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: format,
                                                     reason: "header longer than \(maximumBytes) bytes; expected a short text header")
                }
                if i < n { input.consume(i + 1); total += 1; break }
                input.consume(i)
                _ = try input.fill(atLeast: 1)
                if input.available == 0 {
                    throw FeastEventsError.malformed(path: input.name, byteOffset: input.offset, format: format,
                                                     reason: "the file ends inside a header line")
                }
            }
            if line.last == 0x0D { line.removeLast() }
            let text = String(decoding: line.dropFirst(), as: UTF8.self)
            lines.append(text)
            if let endMarker, text == endMarker { break }
        }
        return AEDATHeader(lines: lines)
    }

    /// The address layout of a jAER chip.
    public enum ChipLayout: Sendable, Equatable {
        /// DVS128: 15-bit addresses, x = 127 − bits 7..1, y = bits 14..8,
        /// bit 0 = 0 for ON (jAER's DVS128 extractor).
        case dvs128
        /// DAVIS: bit 31 = APS/IMU sample, bit 10 = external (special)
        /// event, y = bits 30..22, x = bits 21..12, bit 11 = 1 for ON.
        case davis
    }

    /// Sensors known by name in `AEChip`, `HardwareInterface` and
    /// `Source` lines, tried in this order.
    static let knownSensors: [(name: String, geometry: SensorGeometry, layout: ChipLayout)] = [
        ("DAVIS346", SensorGeometry(width: 346, height: 260), .davis),
        ("DAVIS240", SensorGeometry(width: 240, height: 180), .davis),
        ("DAVIS640", SensorGeometry(width: 640, height: 480), .davis),
        ("DAVIS128", SensorGeometry(width: 128, height: 128), .davis),
        ("DVXPLORER", SensorGeometry(width: 640, height: 480), .davis),
        ("DVS128", SensorGeometry(width: 128, height: 128), .dvs128),
    ]

    /// The sensor the header names, if any.
    public var sensor: (geometry: SensorGeometry, layout: ChipLayout)? {
        for line in lines {
            let upper = line.uppercased()
            guard upper.contains("AECHIP") || upper.contains("HARDWAREINTERFACE") || upper.hasPrefix("SOURCE") else { continue }
            for known in Self.knownSensors where upper.contains(known.name) { return (known.geometry, known.layout) }
        }
        return nil
    }
}
