import FeastEvents
import XCTest

final class NMNISTCodecTests: XCTestCase {
    private func roundTrip(_ events: ContiguousArray<Event>, in folder: String) throws -> (ContiguousArray<Event>, Int) {
        let path = folder + "/stream.bin"
        var writer = try NMNISTWriter(path: path)
        // Uneven chunks so chunk boundaries fall anywhere.
        var start = 0
        var size = 1
        while start < events.count {
            let end = min(events.count, start + size)
            try writer.write(ContiguousArray(events[start..<end]))
            start = end
            size = size * 3 + 1
        }
        try writer.finish()
        var reader = try NMNISTReader(path: path)
        let back = try reader.readAll()
        return (back, reader.overflowMarkers)
    }

    func testRandomStreamsRoundTripExactlyThroughBin() throws {
        let folder = try TestSupport.temporaryFolder(self)
        for seed in UInt64(1)...8 {
            let events = TestSupport.randomStream(seed: seed, count: 20_000 + Int(seed) * 977, maxStep: 200, maxBack: 5_000)
            let (back, _) = try roundTrip(events, in: folder)
            XCTAssertEqual(back, events, "seed \(seed)")
        }
    }

    func testLargeTimestampsRoundTripThroughOverflowMarkers() throws {
        let folder = try TestSupport.temporaryFolder(self)
        // Beyond 2^23 µs, and starting there: markers must carry the clock.
        for seed in UInt64(20)...23 {
            let events = TestSupport.randomStream(seed: seed, count: 30_000, start: (1 << 23) - 5_000, maxStep: 30_000, maxBack: 200_000)
            XCTAssertGreaterThan(events.last!.t, 1 << 24)
            let (back, markers) = try roundTrip(events, in: folder)
            XCTAssertEqual(back, events, "seed \(seed)")
            XCTAssertGreaterThan(markers, 0)
        }
    }

    func testReaderDropsOverflowMarkersAndShiftsLaterTimestamps() throws {
        var bytes = TestSupport.record(x: 1, y: 2, p: 1, t: 100)
        bytes += TestSupport.record(x: 0, y: 240, p: 0, t: 0)
        bytes += TestSupport.record(x: 3, y: 4, p: 0, t: 50)
        bytes += TestSupport.record(x: 0, y: 240, p: 0, t: 7)
        bytes += TestSupport.record(x: 0, y: 240, p: 0, t: 7)
        bytes += TestSupport.record(x: 5, y: 6, p: 1, t: 0)
        var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "m.bin"))
        let events = try reader.readAll()
        XCTAssertEqual(events, [
            Event(t: 100, x: 1, y: 2, polarity: 1),
            Event(t: 8_242, x: 3, y: 4, polarity: 0),
            Event(t: 24_576, x: 5, y: 6, polarity: 1),
        ])
        XCTAssertEqual(reader.overflowMarkers, 3)
    }

    func testBitLayoutOfOneRecord() throws {
        // x=33, y=7, ON, t = 0x7F_AB_CD (23 bits all used).
        var reader = NMNISTReader(input: ByteInput(bytes: [33, 7, 0xFF, 0xAB, 0xCD], name: "one.bin"))
        XCTAssertEqual(try reader.readAll(), [Event(t: 0x7FABCD, x: 33, y: 7, polarity: 1)])
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try NMNISTWriter(path: folder + "/one.bin")
        try writer.write([Event(t: 0x7FABCD, x: 33, y: 7, polarity: 1)])
        try writer.finish()
        XCTAssertEqual(try TestSupport.bytes(of: folder + "/one.bin"), [33, 7, 0xFF, 0xAB, 0xCD])
    }

    func testEventsSplitAcrossReadBoundariesDecodeWhole() throws {
        let events = TestSupport.randomStream(seed: 7, count: 5_000)
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try NMNISTWriter(path: folder + "/s.bin")
        try writer.write(events)
        try writer.finish()
        let bytes = try TestSupport.bytes(of: folder + "/s.bin")
        for piece in [1, 3, 7, 4_099] {
            let fd = TestSupport.pipeFeeding(bytes, piece: piece)
            // A 64-byte buffer is not a multiple of 5: records straddle refills.
            var reader = NMNISTReader(input: ByteInput(fd: fd, name: "pipe", ownsDescriptor: true, capacity: 64))
            XCTAssertEqual(try reader.readAll(), events, "piece \(piece)")
        }
    }

    func testTruncatedFileFailsWithByteOffsetOfPartialEvent() throws {
        let bytes = TestSupport.record(x: 1, y: 1, p: 1, t: 5) + TestSupport.record(x: 2, y: 2, p: 0, t: 6) + [9, 9, 9]
        var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "cut.bin"))
        XCTAssertEqual(TestSupport.errorMessage { _ = try reader.readAll() },
                       "cut.bin: byte offset 10: 3 trailing bytes do not form a whole 5-byte event (file length is not a multiple of 5); use lenient reading to keep the whole events")
    }

    func testMessagesNameReadingOptionsAsTheCallerSpellsThem() throws {
        let error = FeastEventsError.truncatedEvent(path: "cut.bin", byteOffset: 10, trailingBytes: 1)
        XCTAssertEqual(error.message(naming: { "<\($0)>" }),
                       "cut.bin: byte offset 10: 1 trailing byte do not form a whole 5-byte event (file length is not a multiple of 5); use <lenient> to keep the whole events")
        let unknown = FeastEventsError.unknownFormat(path: "-", tried: ["the file is empty"], formatNotGiven: true)
        XCTAssertEqual(unknown.message(naming: { $0 == .anyFormat ? "--from" : "?" }),
                       "-: cannot tell the event format (tried: the file is empty; no --from given); give --from nmnist|csv|hdf5|evt2|evt3|dat|aedat2|aedat3|aedat4|es")
        XCTAssertEqual(FeastEventsError.unknownFormat(path: "r", tried: ["x"], formatNotGiven: false).description,
                       "r: cannot tell the event format (tried: x); give format nmnist|csv|hdf5|evt2|evt3|dat|aedat2|aedat3|aedat4|es")
    }

    func testLenientKeepsWholeEventsAndCountsTrailingBytes() throws {
        let bytes = TestSupport.record(x: 1, y: 1, p: 1, t: 5) + [9, 9]
        var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "cut.bin"), lenient: true)
        XCTAssertEqual(try reader.readAll(), [Event(t: 5, x: 1, y: 1, polarity: 1)])
        XCTAssertEqual(reader.trailingBytes, 2)
    }

    /// Against the record layout written out here (not through the writer):
    /// markers anywhere shift the later timestamps, rows past the marker's
    /// value are events on a taller sensor, and a bad address at any
    /// position is reported at its own index.
    func testDecodingMatchesTheRecordLayoutWithMarkersTallRowsAndBadAddressesAnywhere() throws {
        var rng = SplitMix64(seed: 5)
        for geometry in [SensorGeometry.nmnist, SensorGeometry(width: 256, height: 256)] {
            var bytes = [UInt8](), expected = ContiguousArray<Event>(), offset: Int64 = 0
            for _ in 0..<5_000 {
                if rng.nextIndex(below: 40) == 0 {
                    bytes += TestSupport.record(x: UInt8(rng.nextIndex(below: 256)), y: 240, p: 1, t: rng.nextIndex(below: 1 << 23))
                    offset += NMNISTReader.overflowIncrement
                    continue
                }
                var y = rng.nextIndex(below: geometry.height)
                if y == 240 { y = 241 }  // on the tall sensor: rows past the marker's
                let e = Event(t: Int64(rng.nextIndex(below: 1 << 23)), x: UInt16(rng.nextIndex(below: geometry.width)),
                              y: UInt16(y), polarity: UInt8(rng.nextIndex(below: 2)))
                bytes += TestSupport.record(x: UInt8(e.x), y: UInt8(e.y), p: e.polarity, t: Int(e.t))
                expected.append(Event(t: e.t + offset, x: e.x, y: e.y, polarity: e.polarity))
            }
            var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "r.bin"), geometry: geometry)
            XCTAssertEqual(try reader.readAll(), expected, "\(geometry)")
            XCTAssertEqual(reader.overflowMarkers, 5_000 - expected.count)
        }
        for position in 96..<114 {
            var bytes = [UInt8]()
            for i in 0..<200 { bytes += TestSupport.record(x: i == position ? 34 : UInt8(i % 34), y: 3, p: 1, t: i) }
            var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "b.bin"))
            XCTAssertEqual(TestSupport.errorMessage { _ = try reader.readAll() },
                           "b.bin: event \(position): address x=34 y=3 is outside the 34×34 sensor (expected x < 34, y < 34)")
        }
    }

    func testAddressOutsideGeometryFailsWithEventIndex() throws {
        var bytes = [UInt8]()
        for i in 0..<7 { bytes += TestSupport.record(x: UInt8(i), y: 0, p: 1, t: i) }
        bytes += TestSupport.record(x: 34, y: 3, p: 1, t: 9)
        var reader = NMNISTReader(input: ByteInput(bytes: bytes, name: "wide.bin"))
        XCTAssertEqual(TestSupport.errorMessage { _ = try reader.readAll() },
                       "wide.bin: event 7: address x=34 y=3 is outside the 34×34 sensor (expected x < 34, y < 34)")
    }

    func testEmptyFileHasZeroEvents() throws {
        var reader = NMNISTReader(input: ByteInput(bytes: [], name: "empty.bin"))
        XCTAssertEqual(try reader.readAll().count, 0)
        let folder = try TestSupport.temporaryFolder(self)
        TestSupport.write([], to: folder + "/empty.bin")
        var fromFile = try NMNISTReader(path: folder + "/empty.bin")
        XCTAssertEqual(try fromFile.readAll().count, 0)
    }

    func testMissingFileAndFolderGiveTheirErrors() throws {
        let folder = try TestSupport.temporaryFolder(self)
        XCTAssertEqual(TestSupport.errorMessage { _ = try NMNISTReader(path: folder + "/nope.bin") },
                       "\(folder)/nope.bin: no such file or folder")
        XCTAssertEqual(TestSupport.errorMessage { _ = try NMNISTReader(path: folder) },
                       "\(folder): is a folder, expected an event file")
    }

    func testNegativeTimestampCannotBeWrittenAndLeavesNoFile() throws {
        let folder = try TestSupport.temporaryFolder(self)
        do {
            var writer = try NMNISTWriter(path: folder + "/neg.bin")
            XCTAssertEqual(TestSupport.errorMessage { try writer.write([Event(t: 1, x: 0, y: 0, polarity: 0), Event(t: -3, x: 0, y: 0, polarity: 0)]) },
                           "\(folder)/neg.bin: event 1: timestamp -3 µs cannot be written: N-MNIST .bin timestamps must be ≥ 0 µs")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [], "nothing half-written")
    }

    func testWideAddressCannotBeWritten() throws {
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try NMNISTWriter(path: folder + "/w.bin")
        XCTAssertEqual(TestSupport.errorMessage { try writer.write([Event(t: 1, x: 300, y: 0, polarity: 0)]) },
                       "\(folder)/w.bin: event 0: address x=300 y=0 cannot be written: N-MNIST .bin holds x ≤ 255 and y < 240")
    }
}
