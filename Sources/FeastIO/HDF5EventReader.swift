import FeastEvents

/// Streams events from an HDF5 file laid out as ``HDF5EventWriter`` writes
/// it (`/events/{x,y,p,t}` 1-D datasets, `width`/`height` attributes on
/// `/events` or the root), reading `chunkSize` events at a time by
/// hyperslabs: memory stays constant whatever the file size.
///
/// Files from other tools (h5py) are accepted when each column holds
/// integers of any width and signedness; values are converted to the event
/// fields and checked: x and y inside the sensor, p in {0, 1} (or -1 for
/// OFF), t fitting int64. Floats, strings, columns of unequal length and
/// coordinates outside the sensor are errors naming the file, the dataset
/// and the event index.
public final class HDF5EventReader: EventSource {
    public let geometry: SensorGeometry
    /// The path, for messages.
    public let name: String
    /// Number of events in the file.
    public let count: Int
    /// Events per chunk.
    public let chunkSize: Int

    private let file: HDF5File
    private let columnX, columnY, columnP, columnT: Column
    private var position = 0
    private var bufferX: [UInt16]
    private var bufferY: [UInt16]
    private var bufferP: [UInt8]
    private var bufferT: [Int64]
    /// Scratch for columns stored in another integer type (converted by HDF5).
    private var wide: [Int64] = []

    /// One of the four datasets and whether its stored type is exactly the
    /// field's type, so it can be read without conversion.
    private struct Column {
        let dataset: HDF5Dataset
        let exact: Bool
        /// The fast path: raw chunks decoded outside HDF5 (exact types only).
        let direct: DirectChunkColumn?

        /// Reads elements `range` of an exactly typed column into `buffer`.
        func readExact<T: HDF5Element>(_ range: Range<Int>, into buffer: inout [T]) throws {
            try buffer.withUnsafeMutableBufferPointer { b in
                if let direct {
                    try direct.copy(range, into: UnsafeMutableRawPointer(b.baseAddress!))
                } else {
                    try dataset.read(into: UnsafeMutableBufferPointer(rebasing: b[0..<range.count]), fromRow: range.lowerBound)
                }
            }
        }
    }

    /// Opens `path` and validates layout, types and lengths. `geometry`
    /// overrides (or stands in for missing) `width`/`height` attributes.
    public convenience init(path: String, chunkSize: Int = EventChunk.defaultCapacity, geometry: SensorGeometry? = nil) throws {
        try self.init(path: path, chunkSize: chunkSize, geometry: geometry, directChunks: true)
    }

    /// `directChunks: false` forces HDF5's own filter pipeline (for tests
    /// and benchmarks comparing the two paths).
    init(path: String, chunkSize: Int, geometry: SensorGeometry?, directChunks: Bool) throws {
        precondition(chunkSize > 0, "chunkSize must be positive")
        let file = try HDF5File.open(path)
        self.file = file
        self.name = path
        self.chunkSize = chunkSize
        if try file.linkExists("/events") && file.objectKind("/events") == nil {
            // The link is there but HDF5 cannot open what it points to.
            throw FeastIOError.library(file: path, object: "/events", operation: "open",
                                       detail: "HDF5 cannot read the object's header (corrupt or truncated file)")
        }
        if file.objectKind("/events") == nil {
            throw FeastIOError.missing(file: path, object: "/events", expected: "a group with datasets x, y, p, t")
        }
        func column(_ field: String, _ kind: HDF5ElementKind) throws -> Column {
            // 8 MiB of chunk cache: files chunked differently from our
            // slabs still decompress each chunk once.
            let dataset = try file.dataset("/events/\(field)", expected: "a 1-D dataset of integers", cacheBytes: 8 << 20)
            guard dataset.holdsIntegers else {
                throw FeastIOError.wrongType(file: path, object: dataset.path, expected: "integers", found: dataset.typeName)
            }
            try dataset.checkRank(1)
            let exact = dataset.stores(exactly: kind)
            return Column(dataset: dataset, exact: exact, direct: exact && directChunks ? DirectChunkColumn(dataset: dataset, kind: kind) : nil)
        }
        columnX = try column("x", .uint16)
        columnY = try column("y", .uint16)
        columnP = try column("p", .uint8)
        columnT = try column("t", .int64)
        count = columnX.dataset.count
        for other in [columnY, columnP, columnT] where other.dataset.count != count {
            throw FeastIOError.wrongShape(file: path, object: other.dataset.path,
                                          expected: "\(count) elements like /events/x",
                                          found: "\(other.dataset.count)")
        }
        for column in [columnX, columnY, columnP, columnT] {
            try column.dataset.checkStoredSize()
        }
        self.geometry = try geometry ?? HDF5EventReader.readGeometry(file)
        let capacity = min(chunkSize, max(count, 1))
        bufferX = [UInt16](repeating: 0, count: capacity)
        bufferY = [UInt16](repeating: 0, count: capacity)
        bufferP = [UInt8](repeating: 0, count: capacity)
        bufferT = [Int64](repeating: 0, count: capacity)
    }

    /// `width`/`height` from `/events`, else from the root.
    static func readGeometry(_ file: HDF5File) throws -> SensorGeometry {
        let holder: String
        if file.hasAttribute("width", on: "/events") {
            holder = "/events"
        } else if file.hasAttribute("width", on: "/") {
            holder = "/"
        } else {
            throw FeastIOError.missingAttribute(file: file.name, object: "/events", attribute: "width",
                                                expected: "the sensor width in pixels, on /events or the root")
        }
        let width = try file.intAttribute("width", of: holder)
        let height = try file.intAttribute("height", of: holder)
        guard (1...65_536).contains(width), (1...65_536).contains(height) else {
            throw FeastIOError.invalidValue(file: file.name, object: holder, index: nil,
                                            expected: "width and height in 1...65536",
                                            found: "width = \(width), height = \(height)")
        }
        return SensorGeometry(width: width, height: height)
    }

    public func nextChunk(into buffer: inout ContiguousArray<Event>) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        guard position < count else { return false }
        let n = min(chunkSize, count - position)
        // Fast path: fetch the raw chunks of every column (HDF5, serial),
        // then inflate them all at once on the available cores.
        var work: [(DirectChunkColumn, DirectChunkColumn.Slot)] = []
        for column in [columnX, columnY, columnP, columnT] {
            if let direct = column.direct {
                work += try direct.fetch(position..<(position + n)).map { (direct, $0) }
            }
        }
        if !work.isEmpty { DirectChunkColumn.decodeAll(work) }
        try readCoordinate(columnX, into: &bufferX, n: n, limit: geometry.width, field: "x", limitName: "sensor width")
        try readCoordinate(columnY, into: &bufferY, n: n, limit: geometry.height, field: "y", limitName: "sensor height")
        try readPolarity(n: n)
        try readTime(n: n)
        // Size the buffer once (reusing its capacity), then fill it through
        // a pointer: no per-event uniqueness or capacity checks.
        EventChunk.resize(&buffer, to: n)
        buffer.withUnsafeMutableBufferPointer { out in
            bufferX.withUnsafeBufferPointer { xs in
                bufferY.withUnsafeBufferPointer { ys in
                    bufferP.withUnsafeBufferPointer { ps in
                        bufferT.withUnsafeBufferPointer { ts in
                            for i in 0..<n {
                                out[i] = Event(t: ts[i], x: xs[i], y: ys[i], polarity: ps[i])
                            }
                        }
                    }
                }
            }
        }
        position += n
        return true
    }

    /// Reads `n` values of `column` from `position` into `wide` (converted
    /// by HDF5 to int64).
    private func readWide(_ column: Column, n: Int) throws {
        if wide.count < n { wide = [Int64](repeating: 0, count: n) }
        try wide.withUnsafeMutableBufferPointer {
            try column.dataset.read(into: UnsafeMutableBufferPointer(rebasing: $0[0..<n]), fromRow: position)
        }
    }

    private func outside(_ column: Column, index: Int, value: String, field: String, limit: Int, limitName: String) -> FeastIOError {
        .invalidValue(file: name, object: column.dataset.path, index: position + index,
                      expected: "0 ≤ \(field) < \(limit), the \(limitName)", found: "\(field) = \(value)")
    }

    private func readCoordinate(_ column: Column, into values: inout [UInt16], n: Int, limit: Int,
                                field: String, limitName: String) throws {
        if column.exact {
            try column.readExact(position..<(position + n), into: &values)
            // One branch-free pass for the maximum; the index is searched
            // only when something is out of range.
            let largest = values.withUnsafeBufferPointer { v in
                var m: UInt16 = 0
                for i in 0..<n { m = max(m, v[i]) }
                return m
            }
            if Int(largest) >= limit {
                let i = values.firstIndex { Int($0) >= limit }!
                throw outside(column, index: i, value: "\(values[i])", field: field, limit: limit, limitName: limitName)
            }
            return
        }
        try readWide(column, n: n)
        for i in 0..<n {
            let v = wide[i]
            guard v >= 0, v < Int64(limit) else {
                throw outside(column, index: i, value: "\(v)", field: field, limit: limit, limitName: limitName)
            }
            values[i] = UInt16(truncatingIfNeeded: v)
        }
    }

    private func readPolarity(n: Int) throws {
        if columnP.exact {
            try columnP.readExact(position..<(position + n), into: &bufferP)
            let largest = bufferP.withUnsafeBufferPointer { v in
                var m: UInt8 = 0
                for i in 0..<n { m = max(m, v[i]) }
                return m
            }
            if largest > 1 {
                let i = bufferP.firstIndex { $0 > 1 }!
                throw badPolarity(index: i, value: "\(bufferP[i])")
            }
            return
        }
        try readWide(columnP, n: n)
        for i in 0..<n {
            switch wide[i] {
            case 1: bufferP[i] = 1
            case 0, -1: bufferP[i] = 0
            default: throw badPolarity(index: i, value: "\(wide[i])")
            }
        }
    }

    private func badPolarity(index: Int, value: String) -> FeastIOError {
        .invalidValue(file: name, object: columnP.dataset.path, index: position + index,
                      expected: "1 for ON, 0 or -1 for OFF", found: "p = \(value)")
    }

    private func readTime(n: Int) throws {
        // Any integer type converts to int64 in HDF5 (uint64 beyond
        // Int64.max aborts with a clear error), so one path serves all.
        if columnT.exact {
            try columnT.readExact(position..<(position + n), into: &bufferT)
            return
        }
        try bufferT.withUnsafeMutableBufferPointer {
            try columnT.dataset.read(into: UnsafeMutableBufferPointer(rebasing: $0[0..<n]), fromRow: position)
        }
    }
}
