import XCTest
import FeastEvents
@testable import FeastIO

final class HDF5EventCodecTests: XCTestCase {
    /// A seeded random stream: increasing timestamps, every coordinate and
    /// both polarities, timestamps beyond 32 bits.
    func randomEvents(count: Int, seed: UInt64, geometry: SensorGeometry) -> ContiguousArray<Event> {
        var generator = SplitMix64(seed: seed)
        var t = Int64.random(in: 0...(1 << 40), using: &generator)
        var events = ContiguousArray<Event>()
        for _ in 0..<count {
            t += Int64.random(in: 0...5_000, using: &generator)
            events.append(Event(t: t, x: UInt16.random(in: 0..<UInt16(geometry.width), using: &generator),
                                y: UInt16.random(in: 0..<UInt16(geometry.height), using: &generator),
                                polarity: UInt8.random(in: 0...1, using: &generator)))
        }
        return events
    }

    func write(_ events: ContiguousArray<Event>, geometry: SensorGeometry, to path: String, pieces: Int = 3,
               compression: Int32 = HDF5EventWriter.defaultCompression) throws {
        let writer = try HDF5EventWriter(path: path, geometry: geometry, compression: compression)
        let step = max(1, events.count / pieces)
        var start = 0
        while start < events.count {
            let end = min(events.count, start + step)
            try writer.write(ContiguousArray(events[start..<end]))
            start = end
        }
        try writer.finish()
    }

    func testRandomStreamsRoundTripExactlyForEveryChunkSize() throws {
        let folder = makeTemporaryFolder(self)
        let geometry = SensorGeometry(width: 304, height: 240)
        for (seed, count) in [(1, 0), (2, 1), (3, 1000), (4, HDF5EventWriter.chunkEvents + 17)] as [(UInt64, Int)] {
            let events = randomEvents(count: count, seed: seed, geometry: geometry)
            let path = "\(folder)/events-\(seed).h5"
            try write(events, geometry: geometry, to: path)
            for chunkSize in [1, 999, EventChunk.defaultCapacity] where chunkSize > 1 || count < 2000 {
                let reader = try HDF5EventReader(path: path, chunkSize: chunkSize)
                XCTAssertEqual(reader.geometry, geometry)
                XCTAssertEqual(reader.count, count)
                var source = reader
                let back = try source.readAll()
                XCTAssertEqual(back, events, "seed \(seed), chunk size \(chunkSize)")
            }
            // HDF5's own pipeline decodes the chunks the writer compressed itself.
            var pipeline = try HDF5EventReader(path: path, chunkSize: 4_096, geometry: nil, directChunks: false)
            XCTAssertEqual(try pipeline.readAll(), events, "seed \(seed), HDF5 pipeline")
        }
        XCTAssertEqual(listFolder(folder), ["events-1.h5", "events-2.h5", "events-3.h5", "events-4.h5"])
    }

    func testShortStreamsGetOneChunkOfTheirLength() throws {
        let folder = makeTemporaryFolder(self)
        for count in [0, 1_000, HDF5EventWriter.chunkEvents + 1] {
            let path = "\(folder)/\(count).h5"
            try write(randomEvents(count: count, seed: 15, geometry: .nmnist), geometry: .nmnist, to: path)
            let file = try HDF5File.open(path)
            let column = try XCTUnwrap(DirectChunkColumn(dataset: file.dataset("/events/t"), kind: .int64))
            XCTAssertEqual(column.chunkElements, count == 0 ? 1 : min(count, HDF5EventWriter.chunkEvents))
        }
    }

    func testChunksStayWithinChunkSize() throws {
        let path = makeTemporaryFolder(self) + "/chunks.h5"
        let events = randomEvents(count: 2500, seed: 9, geometry: .nmnist)
        try write(events, geometry: .nmnist, to: path)
        var reader = try HDF5EventReader(path: path, chunkSize: 1000)
        var sizes: [Int] = []
        try reader.forEachChunk { sizes.append($0.count) }
        XCTAssertEqual(sizes, [1000, 1000, 500])
    }

    func testUnfinishedWriterLeavesNothingBehind() throws {
        let folder = makeTemporaryFolder(self)
        do {
            let writer = try HDF5EventWriter(path: folder + "/never.h5", geometry: .nmnist)
            try writer.write(randomEvents(count: 100, seed: 5, geometry: .nmnist))
            XCTAssertEqual(listFolder(folder).count, 1, "the temporary file exists while writing")
        }
        XCTAssertEqual(listFolder(folder), [])
    }

    func testFailedWriteLeavesPreviousFileIntact() throws {
        let folder = makeTemporaryFolder(self)
        let path = folder + "/keep.h5"
        let original = randomEvents(count: 300, seed: 6, geometry: .nmnist)
        try write(original, geometry: .nmnist, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let writer = try HDF5EventWriter(path: path, geometry: .nmnist)
        try writer.write(randomEvents(count: 50, seed: 7, geometry: .nmnist))
        var bad = randomEvents(count: 10, seed: 8, geometry: .nmnist)
        bad[4].x = 34
        XCTAssertEqual(errorMessage { try writer.write(bad) },
                       "\(path): /events at index 54: event at x = 34, y = \(bad[4].y) (expected x < 34 and y < 34)")
        XCTAssertEqual(errorMessage { try writer.finish() },
                       "\(path): /events: writer already finished or failed")
        XCTAssertEqual(listFolder(folder), ["keep.h5"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        var reader = try HDF5EventReader(path: path)
        XCTAssertEqual(try reader.readAll(), original)
    }

    func testH5pyReadsWrittenEventsFile() throws {
        let path = makeTemporaryFolder(self) + "/py.h5"
        let events = randomEvents(count: 70_000, seed: 10, geometry: .nmnist)
        try write(events, geometry: .nmnist, to: path)
        let script = """
        import h5py
        f = h5py.File('\(path)', 'r')
        e = f['events']
        print(e.attrs['width'], e.attrs['height'], f.attrs['width'], f.attrs['height'])
        for k in 'xypt':
            d = e[k]
            print(k, d.dtype, d.shape, d.chunks, d.compression, d.shuffle, d.maxshape)
        print(int(e['t'][-1]), int(e['x'][:].sum()), int(e['p'][:].sum()))
        """
        guard let (status, output) = runPythonH5py(script) else {
            throw XCTSkip("python3 with h5py is not available; skipping the h5py interoperability check")
        }
        XCTAssertEqual(status, 0, output)
        let xSum = events.reduce(0) { $0 + Int($1.x) }
        let pSum = events.reduce(0) { $0 + Int($1.polarity) }
        XCTAssertEqual(output, """
        34 34 34 34
        x uint16 (70000,) (65536,) gzip True (None,)
        y uint16 (70000,) (65536,) gzip True (None,)
        p uint8 (70000,) (65536,) gzip True (None,)
        t int64 (70000,) (65536,) gzip True (None,)
        \(events.last!.t) \(xSum) \(pSum)

        """)
    }

    func testDirectChunkPathMatchesHDF5PipelineForOtherLayouts() throws {
        let folder = makeTemporaryFolder(self)
        let events = randomEvents(count: 5_000, seed: 12, geometry: .nmnist)
        let x = events.map(\.x), y = events.map(\.y), p = events.map(\.polarity), t = events.map(\.t)
        // (name, gzip level, shuffle, chunk elements or nil = contiguous)
        let layouts: [(String, Int32, Bool, Int?)] = [
            ("shuffle-gzip-333", 6, true, 333), ("gzip-only-1000", 1, false, 1000),
            ("unfiltered-777", 0, false, 777), ("contiguous", 0, false, nil),
        ]
        for (name, level, shuffle, chunk) in layouts {
            let path = "\(folder)/\(name).h5"
            let file = try HDF5File.create(at: path)
            func column<T: HDF5Element>(_ values: [T], _ field: String) throws {
                if let chunk {
                    _ = try file.createDataset("/events/\(field)", fileType: T.hdf5Kind.fileType, elementSize: MemoryLayout<T>.stride,
                                               shape: [0], maxShape: [-1], chunk: [chunk], compression: level, shuffle: shuffle)
                    try file.dataset("/events/\(field)").append(values)
                } else {
                    try file.write(values, shape: nil, to: "/events/\(field)", compression: 0, contiguous: true)
                }
                XCTAssertEqual(DirectChunkColumn(dataset: try file.dataset("/events/\(field)"), kind: T.hdf5Kind) != nil, chunk != nil,
                               "\(name): direct path used exactly for chunked layouts")
            }
            try column(x, "x"); try column(y, "y"); try column(p, "p"); try column(t, "t")
            try file.setAttribute("width", .int(34)); try file.setAttribute("height", .int(34))
            try file.close()
            for chunkSize in [1_000, 4_096] {
                var direct = try HDF5EventReader(path: path, chunkSize: chunkSize, geometry: nil, directChunks: true)
                var pipeline = try HDF5EventReader(path: path, chunkSize: chunkSize, geometry: nil, directChunks: false)
                XCTAssertEqual(try direct.readAll(), events, "\(name), chunk size \(chunkSize)")
                XCTAssertEqual(try pipeline.readAll(), events, "\(name), chunk size \(chunkSize)")
            }
        }
    }

    func testCorruptCompressedChunkGivesErrorOnBothPaths() throws {
        let folder = makeTemporaryFolder(self)
        let path = folder + "/corrupt.h5"
        let events = randomEvents(count: 3 * HDF5EventWriter.chunkEvents, seed: 14, geometry: .nmnist)
        try write(events, geometry: .nmnist, to: path)
        let file = try HDF5File.open(path)
        let location = try XCTUnwrap(file.dataset("/events/t").chunkLocation(element: HDF5EventWriter.chunkEvents))
        try file.close()
        // Overwrite the middle of t's second chunk with garbage.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(location.offset + location.size / 2))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: min(64, location.size / 4)))
        try handle.close()
        for direct in [true, false] {
            let reader = try HDF5EventReader(path: path, chunkSize: EventChunk.defaultCapacity, geometry: nil, directChunks: direct)
            var chunk = ContiguousArray<Event>()
            XCTAssertTrue(try reader.nextChunk(into: &chunk), "the first chunk is intact")
            XCTAssertEqual(Array(chunk), Array(events[0..<HDF5EventWriter.chunkEvents]))
            let message = errorMessage { _ = try reader.nextChunk(into: &chunk) }
            if direct {
                XCTAssertEqual(message, "\(path): /events/t at index 65536: a corrupt compressed chunk (expected a chunk that inflates to 524288 bytes)")
            } else {
                XCTAssertEqual(message, "\(path): /events/t: cannot read: can't read data: inflate() failed")
            }
        }
    }

    func testUnshuffleInvertsHDF5Shuffle() {
        var generator = SplitMix64(seed: 13)
        for size in [2, 4, 8] {
            let n = 37
            let original = (0..<(n * size)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var shuffled = [UInt8](repeating: 0, count: original.count)
            for i in 0..<n { for j in 0..<size { shuffled[j * n + i] = original[i * size + j] } }
            var back = [UInt8](repeating: 0, count: original.count)
            shuffled.withUnsafeBytes { input in
                back.withUnsafeMutableBytes { DirectChunkColumn.unshuffle(input, into: $0, elementSize: size) }
            }
            XCTAssertEqual(back, original, "element size \(size)")
        }
    }

    func testOtherIntegerTypesAreConvertedAndChecked() throws {
        let path = makeTemporaryFolder(self) + "/foreign.h5"
        let file = try HDF5File.create(at: path)
        try file.write([Int64](arrayLiteral: 0, 33, 5), to: "/events/x")
        try file.write([Int32](arrayLiteral: 1, 2, 33), to: "/events/y")
        try file.write([Int8](arrayLiteral: -1, 1, 0), to: "/events/p")
        try file.write([Int32](arrayLiteral: 10, 20, 30), to: "/events/t")
        try file.setAttribute("width", .int(34))
        try file.setAttribute("height", .int(34))
        try file.close()
        var reader = try HDF5EventReader(path: path)
        XCTAssertEqual(try reader.readAll(), [
            Event(t: 10, x: 0, y: 1, polarity: 0), Event(t: 20, x: 33, y: 2, polarity: 1), Event(t: 30, x: 5, y: 33, polarity: 0),
        ])
    }

    /// Writes an events file with the given columns (nil = omitted).
    func makeEventsFile(_ path: String, x: [Int64]? = [1, 2, 3], y: [Int64]? = [1, 2, 3], p: [Int64]? = [0, 1, 1],
                        t: [Int64]? = [1, 2, 3], width: Int? = 34, custom: ((HDF5File) throws -> Void)? = nil) throws {
        let file = try HDF5File.create(at: path)
        try file.createGroup("/events")
        if let x { try file.write(x.map { UInt16($0) }, to: "/events/x") }
        if let y { try file.write(y.map { UInt16($0) }, to: "/events/y") }
        if let p { try file.write(p.map { UInt8($0) }, to: "/events/p") }
        if let t { try file.write(t, to: "/events/t") }
        if let width {
            try file.setAttribute("width", .int(width), on: "/events")
            try file.setAttribute("height", .int(34), on: "/events")
        }
        try custom?(file)
        try file.close()
    }

    func testMalformedEventFilesGiveClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        func message(_ name: String) -> String? {
            errorMessage { var r = try HDF5EventReader(path: "\(folder)/\(name)"); _ = try r.readAll() }
        }
        try makeEventsFile("\(folder)/no-p.h5", p: nil)
        XCTAssertEqual(message("no-p.h5"), "\(folder)/no-p.h5: /events/p: missing (expected a 1-D dataset of integers)")

        try makeEventsFile("\(folder)/float-x.h5", x: nil) { try $0.write([Float](arrayLiteral: 1, 2, 3), to: "/events/x") }
        XCTAssertEqual(message("float-x.h5"), "\(folder)/float-x.h5: /events/x: wrong type: expected integers, found float32")

        try makeEventsFile("\(folder)/string-t.h5", t: nil) { try $0.write(strings: ["1", "2", "3"], to: "/events/t") }
        XCTAssertEqual(message("string-t.h5"), "\(folder)/string-t.h5: /events/t: wrong type: expected integers, found string")

        try makeEventsFile("\(folder)/short-y.h5", y: [1, 2])
        XCTAssertEqual(message("short-y.h5"), "\(folder)/short-y.h5: /events/y: wrong shape: expected 3 elements like /events/x, found 2")

        try makeEventsFile("\(folder)/matrix-t.h5", t: nil) { try $0.write([Int64](arrayLiteral: 1, 2, 3, 4, 5, 6), rows: 3, columns: 2, to: "/events/t") }
        XCTAssertEqual(message("matrix-t.h5"), "\(folder)/matrix-t.h5: /events/t: wrong shape: expected a 1-D dataset, found 2-D 3×2")

        try makeEventsFile("\(folder)/outside.h5", x: [1, 2, 40])
        XCTAssertEqual(message("outside.h5"), "\(folder)/outside.h5: /events/x at index 2: x = 40 (expected 0 ≤ x < 34, the sensor width)")

        try makeEventsFile("\(folder)/polarity.h5", p: [0, 3, 1])
        XCTAssertEqual(message("polarity.h5"), "\(folder)/polarity.h5: /events/p at index 1: p = 3 (expected 1 for ON, 0 or -1 for OFF)")

        try makeEventsFile("\(folder)/no-size.h5", width: nil)
        XCTAssertEqual(message("no-size.h5"), "\(folder)/no-size.h5: /events: missing attribute 'width' (expected the sensor width in pixels, on /events or the root)")

        let noGroup = try HDF5File.create(at: "\(folder)/no-group.h5")
        try noGroup.write([Int64](arrayLiteral: 1), to: "/x")
        try noGroup.close()
        XCTAssertEqual(message("no-group.h5"), "\(folder)/no-group.h5: /events: missing (expected a group with datasets x, y, p, t)")

        writeBytes([], to: "\(folder)/empty.h5")
        XCTAssertEqual(message("empty.h5"), "\(folder)/empty.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
        writeBytes([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a], to: "\(folder)/truncated.h5")
        XCTAssertEqual(message("truncated.h5"), "\(folder)/truncated.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
    }

    func testGeometryOverrideStandsInForMissingAttributes() throws {
        let path = makeTemporaryFolder(self) + "/bare.h5"
        try makeEventsFile(path, width: nil)
        var reader = try HDF5EventReader(path: path, geometry: .nmnist)
        XCTAssertEqual(reader.geometry, .nmnist)
        XCTAssertEqual(try reader.readAll().count, 3)
    }

    /// Release-build throughput, printed, never asserted; runs only with
    /// FEAST_IO_BENCHMARK=1 (`swift test -c release --filter Benchmark`).
    func testBenchmarkDecodeThroughput() throws {
        guard ProcessInfo.processInfo.environment["FEAST_IO_BENCHMARK"] == "1" else {
            throw XCTSkip("set FEAST_IO_BENCHMARK=1 to measure HDF5 decode throughput")
        }
        func cpuSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        // FEAST_IO_BENCH_FILE keeps the file between runs (for profiling reads).
        let kept = ProcessInfo.processInfo.environment["FEAST_IO_BENCH_FILE"]
        let path = kept ?? makeTemporaryFolder(self) + "/bench.h5"
        let count = 20_000_000
        var start = Date()
        var writeSeconds = Double.nan
        if kept == nil || !FileManager.default.fileExists(atPath: path) {
            let events = randomEvents(count: count, seed: 11, geometry: .nmnist)
            for level: Int32 in [4, 6, HDF5EventWriter.defaultCompression] {
                start = Date()
                let cpuStart = cpuSeconds()
                try write(events, geometry: .nmnist, to: path, pieces: 300, compression: level)
                writeSeconds = Date().timeIntervalSince(start)
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                print(String(format: "HDF5 encode, gzip level %d: %.1f Mev/s wall, %.1f Mev per CPU-second, %.2f bytes/event",
                             level, Double(count) / writeSeconds / 1e6, Double(count) / (cpuSeconds() - cpuStart) / 1e6,
                             Double(size) / Double(count)))
            }
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        for direct in [true, false, true, false] {
            start = Date()
            let cpuStart = cpuSeconds()
            var reader = try HDF5EventReader(path: path, chunkSize: EventChunk.defaultCapacity, geometry: nil, directChunks: direct)
            var total = 0
            var checksum: Int64 = 0
            try reader.forEachChunk { total += $0.count; checksum &+= $0.last!.t }
            let seconds = Date().timeIntervalSince(start)
            let cpu = cpuSeconds() - cpuStart
            XCTAssertEqual(total, count)
            print(String(format: "HDF5 decode, one 20 M-event file (%@): %.1f Mev/s wall, %.1f Mev per CPU-second (%d events in %.3f s; file %.1f MB, %.2f bytes/event; encode %.1f Mev/s) [%lld]",
                         direct ? "direct chunks" : "HDF5 pipeline", Double(count) / seconds / 1e6, Double(count) / cpu / 1e6, count, seconds, Double(size) / 1e6, Double(size) / Double(count),
                         Double(count) / writeSeconds / 1e6, checksum))
        }
        // N-MNIST-sized recordings, one file each: open + decode cost.
        let folder = makeTemporaryFolder(self)
        let files = 500, perFile = 4_000
        for i in 0..<files {
            try write(randomEvents(count: perFile, seed: UInt64(100 + i), geometry: .nmnist), geometry: .nmnist, to: "\(folder)/\(i).h5", pieces: 1)
        }
        start = Date()
        var cpuStart = cpuSeconds()
        for i in 0..<files {
            _ = try HDF5EventReader(path: "\(folder)/\(i).h5")
        }
        print(String(format: "HDF5 open only: %.0f µs wall, %.0f µs CPU per file", Date().timeIntervalSince(start) / Double(files) * 1e6,
                     (cpuSeconds() - cpuStart) / Double(files) * 1e6))
        for direct in [true, false, true, false] {
            start = Date()
            cpuStart = cpuSeconds()
            var total = 0
            for i in 0..<files {
                var reader = try HDF5EventReader(path: "\(folder)/\(i).h5", chunkSize: EventChunk.defaultCapacity, geometry: nil, directChunks: direct)
                try reader.forEachChunk { total += $0.count }
            }
            let seconds = Date().timeIntervalSince(start)
            XCTAssertEqual(total, files * perFile)
            let cpu = cpuSeconds() - cpuStart
            print(String(format: "HDF5 decode, %d files of %d events (%@): %.1f Mev/s, %.0f µs wall, %.0f µs CPU per file", files, perFile,
                         direct ? "direct chunks" : "HDF5 pipeline", Double(total) / seconds / 1e6, seconds / Double(files) * 1e6,
                         cpu / Double(files) * 1e6))
        }
    }
}
