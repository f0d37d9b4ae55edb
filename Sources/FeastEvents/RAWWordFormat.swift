/// What the Prophesee EVT 2.0 and EVT 3.0 readers and writers share: the
/// header and version check, the counts of skipped word types, and the
/// limits an event must meet to be encoded.
enum RAWWordFormat {
    /// Reads a RAW header from `input`, checks that it names `version`
    /// (`"EVT2"`/`"EVT3"`; a header without one is accepted) and resolves the
    /// geometry (`given`, else the header's, else a missingGeometry error).
    static func readHeader(from input: ByteInput, format: EventFormat, version: String,
                           geometry given: SensorGeometry?) throws -> (header: PropheseeHeader, geometry: SensorGeometry) {
        let header = try PropheseeHeader.read(from: input, format: format)
        try header.checkVersion(version, path: input.name, format: format)
        return (header, try header.resolveGeometry(given, path: input.name, format: format))
    }

    /// Skipped words counted by their 4-bit type (bits 31..28 or 15..12).
    struct SkippedTypes: Sendable {
        private var counts = [Int](repeating: 0, count: 16)
        /// The name of each type that is skipped, e.g. `0xA: "EXT_TRIGGER"`.
        let names: [Int: String]

        init(names: [Int: String]) { self.names = names }

        subscript(type: Int) -> Int {
            get { counts[type] }
            set { counts[type] = newValue }
        }

        /// The counts above zero by name.
        var byName: [String: Int] {
            var result = [String: Int]()
            for (type, name) in names where counts[type] > 0 { result[name] = counts[type] }
            return result
        }
    }

    /// The limits a writer checks before encoding an event: x, y inside the
    /// geometry and below 2048 (11 bits), t ≥ 0 µs and non-decreasing.
    struct EncodingLimits {
        /// `"EVT 2.0"` or `"EVT 3.0"`, as messages name the format.
        let formatName: String
        let geometry: SensorGeometry
        let width: Int, height: Int

        init(formatName: String, geometry: SensorGeometry) {
            self.formatName = formatName
            self.geometry = geometry
            width = min(geometry.width, 2048)
            height = min(geometry.height, 2048)
        }

        @inline(__always)
        func checkAddress(_ e: Event, path: String, eventIndex: Int) throws {
            if _slowPath(Int(e.x) >= width || Int(e.y) >= height) {
                throw FeastEventsError.addressNotEncodable(path: path, eventIndex: eventIndex, x: Int(e.x), y: Int(e.y),
                                                           reason: "outside the \(geometry) sensor of the \(formatName) header (\(formatName) holds x, y < 2048)")
            }
        }

        /// Checks a time that differs from `lastT`, the previous event's (-1: none).
        @inline(__always)
        func checkTime(_ t: Int64, after lastT: Int64, path: String, eventIndex: Int) throws {
            if _slowPath(t < lastT || t < 0) {
                throw FeastEventsError.timestampNotEncodable(path: path, eventIndex: eventIndex, t: t,
                                                             reason: t < 0 ? "\(formatName) timestamps must be ≥ 0 µs" : "earlier than the previous event (\(lastT) µs); \(formatName) timestamps must be non-decreasing")
            }
        }
    }
}
