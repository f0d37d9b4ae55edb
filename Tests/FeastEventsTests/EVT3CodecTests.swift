@testable import FeastEvents
import Foundation
import XCTest

/// EVT 3.0: hand-assembled words from the Prophesee spec, writer round trips.
final class EVT3CodecTests: XCTestCase {
    typealias B = PropheseeBytes

    private func read(_ words: [UInt16], header: String = B.evt3Header, geometry: SensorGeometry? = nil, capacity: Int = 64) throws -> (ContiguousArray<Event>, EVT3Reader) {
        try B.read({ try EVT3Reader(input: $0, geometry: geometry, chunkCapacity: 16) }, B.evt3(words, header: header), capacity: capacity)
    }

    func testEVT3AddressWordsGiveOneEventEachAtTheCurrentTime() throws {
        let (events, reader) = try read([B.high(1), B.low(5), B.y(10), B.x(3, p: 1), B.x(4, p: 0), B.low(100), B.y(11), B.x(1279)])
        XCTAssertEqual(events, [ev(4101, 3, 10, 1), ev(4101, 4, 10, 0), ev(4196, 1279, 11, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 1280, height: 720))
        XCTAssertTrue(reader.skippedEvents.isEmpty)
    }

    func testEVT3VectorWordsExpandToOneEventPerSetBit() throws {
        // Base 10 ON; VECT_12 bits 0, 2, 11 -> x 10, 12, 21; base 22; VECT_8 bits 0, 7 -> 22, 29; base 30; VECT_12 bit 0 -> 30.
        let (events, _) = try read([B.high(0), B.low(7), B.y(5), B.base(10), B.v12(0b1000_0000_0101), B.v8(0b1000_0001), B.v12(1), B.base(100, p: 0), B.v12(0), B.v8(0b10)])
        XCTAssertEqual(events, [ev(7, 10, 5, 1), ev(7, 12, 5, 1), ev(7, 21, 5, 1), ev(7, 22, 5, 1), ev(7, 29, 5, 1), ev(7, 30, 5, 1), ev(7, 113, 5, 0)])
    }

    func testEVT3FullVectorsAcrossSmallChunksKeepEveryEvent() throws {
        var words: [UInt16] = [B.high(0), B.low(1)]
        var expected = ContiguousArray<Event>()
        for row in 0..<50 {
            words += [B.y(row), B.base(0, p: row & 1), B.v12(0xFFF), B.v12(0xFFF), B.v8(0xFF)]
            expected += (0..<32).map { ev(1, $0, row, row & 1) }
        }
        let (events, _) = try read(words)
        XCTAssertEqual(events, expected)
    }

    func testEVT3TimeHighFromFFFToZeroIsAWrapOf2To24Microseconds() throws {
        let (events, _) = try read([B.high(0xFFF), B.low(0), B.high(0x7FF), B.low(1), B.y(0), B.x(0), B.high(0xFFF), B.low(2), B.x(1), B.high(0), B.low(3), B.x(2),
                                    B.high(0x800), B.high(0xFFF), B.high(0), B.low(4), B.x(3)])
        XCTAssertEqual(events.map(\.t), [0x7FF001, 0xFFF002, (1 << 24) + 3, (2 << 24) + 4])
    }

    func testEVT3BackwardsOrTooLongTimeHighIsIgnoredCountedAndTimeNeverDecreases() throws {
        // 0x800 -> 0x7FF: back by 1, ignored; 0x800 -> 0x000: ignored (only FFF -> 000 wraps);
        // TIME_LOW back is clamped; a jump of 4094 steps forward is ignored too (faery).
        let (events, reader) = try read([B.high(0x800), B.low(9), B.y(1), B.x(1), B.high(0x7FF), B.low(2), B.x(2), B.high(0), B.x(3), B.low(5), B.x(4),
                                         B.high(0xFFE), B.x(5)])
        XCTAssertEqual(events.map(\.t), [0x800009, 0x800009, 0x800009, 0x800009, 0xFFE000])
        XCTAssertEqual(reader.skippedEvents, ["EVT_TIME_HIGH ignored": 2])
        let (jump, jumpReader) = try read([B.high(0xFFE), B.low(1), B.y(0), B.x(0), B.high(0xFFD), B.low(2), B.x(1)])
        XCTAssertEqual(jump.map(\.t), [1, 0xFFD002])
        XCTAssertEqual(jumpReader.skippedEvents, ["EVT_TIME_HIGH ignored": 1])
    }

    func testEVT3NonCDWordsAreSkippedAndCountedByKind() throws {
        let (events, reader) = try read([B.high(0), B.low(7), B.y(5), B.x(1), 0xA105, 0xE123, 0x7456, 0xF789, 0xF000, 0x1000, 0x9000, 0xB000, 0xC000, 0xD000, B.x(2)])
        XCTAssertEqual(events, [ev(7, 1, 5, 1), ev(7, 2, 5, 1)])
        XCTAssertEqual(reader.skippedEvents, ["EXT_TRIGGER": 1, "OTHERS": 1, "CONTINUED_4": 1, "CONTINUED_12": 2,
                                              "RESERVED_0x1": 1, "RESERVED_0x9": 1, "RESERVED_0xB": 1, "RESERVED_0xC": 1, "RESERVED_0xD": 1])
        XCTAssertEqual(reader.skippedSummary, "CONTINUED_12 2, CONTINUED_4 1, EXT_TRIGGER 1, OTHERS 1, RESERVED_0x1 1, RESERVED_0x9 1, RESERVED_0xB 1, RESERVED_0xC 1, RESERVED_0xD 1")
    }

    func testEVT3TrailingOddByteIsMalformedWithItsByteOffset() throws {
        let bytes = B.evt3([B.high(0), B.low(7), B.y(5), B.x(1)]) + [0x01]
        let message = TestSupport.errorMessage { _ = try B.read({ try EVT3Reader(input: $0) }, bytes, test: "odd.raw") }
        let offset = B.evt3Header.utf8.count + 8
        XCTAssertTrue(message.hasSuffix("odd.raw: byte offset \(offset): not a valid EVT 3.0 file: 1 trailing byte does not form a whole 16-bit word; expected the data to be 16-bit words"), message)
    }

    func testEVT3AddressOutsideGeometryIsAnError() throws {
        let message = TestSupport.errorMessage { _ = try self.read([B.high(0), B.y(719), B.x(1279), B.y(720), B.x(1)]) }
        XCTAssertTrue(message.hasSuffix("t.raw: event 1: address x=1 y=720 is outside the 1280×720 sensor (expected x < 1280, y < 720)"), message)
        let vector = TestSupport.errorMessage { _ = try self.read([B.high(0), B.y(3), B.x(0), B.base(1272), B.v12(0b1_0000_0001)]) }
        XCTAssertTrue(vector.hasSuffix("event 2: address x=1280 y=3 is outside the 1280×720 sensor (expected x < 1280, y < 720)"), vector)
        let base = TestSupport.errorMessage { _ = try self.read([B.high(0), B.y(3), B.base(1280)]) }
        XCTAssertTrue(base.hasSuffix("event 0: address x=1280 y=3 is outside the 1280×720 sensor (expected x < 1280, y < 720)"), base)
        // The user's geometry overrides the header's.
        let (events, _) = try read([B.high(0), B.y(800), B.x(1500)], geometry: SensorGeometry(width: 2048, height: 2048))
        XCTAssertEqual(events, [ev(0, 1500, 800, 1)])
    }

    func testEVT3MissingGeometryIsAnErrorUnlessGiven() throws {
        let message = TestSupport.errorMessage { _ = try self.read([B.high(0)], header: "% evt 3.0\n% end\n") }
        XCTAssertTrue(message.hasSuffix("t.raw: the EVT 3.0 header gives no sensor size (looked for '% format …;width=W;height=H', '% geometry WxH', '% Width W' + '% Height H'); give a sensor geometry WxH (feast never guesses it from the largest address)"), message)
        let (events, reader) = try read([B.high(0), B.y(1), B.x(2)], header: "% evt 3.0\n% end\n", geometry: SensorGeometry(width: 4, height: 4))
        XCTAssertEqual(events, [ev(0, 2, 1, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 4, height: 4))
    }

    func testEVT3HeaderNamingEVT2IsRejected() throws {
        let message = TestSupport.errorMessage { _ = try self.read([B.high(0)], header: B.evt2Header) }
        XCTAssertTrue(message.hasSuffix("byte offset 0: not a valid EVT 3.0 file: the header says the data is EVT2 ('% evt' / '% format' line); expected EVT3"), message)
    }

    func testEVT3DataStartingWithPercentAfterEndLineIsData() throws {
        // 0x2825 = ADDR_X x=37 ON: its first byte is '%'; `% end` ends the header.
        let (events, _) = try read([0x2825, B.y(2), B.x(3)])
        XCTAssertEqual(events, [ev(0, 37, 0, 1), ev(0, 3, 2, 1)])
    }

    func testEVT3WriterRoundTripsEveryWrapExactly() throws {
        let folder = try TestSupport.temporaryFolder(self)
        // Dense and sparse stretches: steps up to 20 s cross several 2^24 µs wraps.
        var events = B.random(seed: 3, count: 3000, maxStep: 2_000)
        var t = events.last!.t
        var rng = SplitMix64(seed: 9)
        for i in 0..<300 {
            t += Int64(rng.next() % 20_000_000)
            events.append(ev(t, i % 1280, i % 720, i & 1))
            events.append(ev(t, (i + 1) % 1280, i % 720, 0))
        }
        events.append(ev(t + (1 << 24), 5, 5, 1))          // exactly one wrap later
        events.append(ev(t + (1 << 24) + 4096 * 0xFFF, 6, 5, 1))
        let path = folder + "/w.raw"
        var writer = try EVT3Writer(path: path, geometry: SensorGeometry(width: 1280, height: 720))
        try writer.write(ContiguousArray(events[..<1000]))
        try writer.write(ContiguousArray(events[1000...]))
        try writer.finish()
        var reader = try EVT3Reader(input: try ByteInput.open(path: path, capacity: 64), chunkCapacity: 100)
        let back = try reader.readAll()
        XCTAssertEqual(back, events)
        XCTAssertTrue(reader.skippedEvents.isEmpty, reader.skippedSummary)
        XCTAssertGreaterThan(events.last!.t, 300 << 24 / 10)
        let bytes = try TestSupport.bytes(of: path)
        XCTAssertTrue(String(decoding: bytes.prefix(100), as: UTF8.self).hasPrefix("% evt 3.0\n% format EVT3;height=720;width=1280\n% geometry 1280x720\n% end\n"))
    }

    func testEVT3WriterRefusesTimeGoingBackNamingTheEvent() throws {
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try EVT3Writer(path: folder + "/b.raw", geometry: SensorGeometry(width: 10, height: 10))
        let message = TestSupport.errorMessage { try writer.write([ev(5, 1, 1, 1), ev(7, 1, 1, 1), ev(6, 1, 1, 1)]) }
        XCTAssertTrue(message.hasSuffix("b.raw: event 2: timestamp 6 µs cannot be written: earlier than the previous event (7 µs); EVT 3.0 timestamps must be non-decreasing"), message)
        var writer2 = try EVT3Writer(path: folder + "/c.raw", geometry: SensorGeometry(width: 10, height: 10))
        let address = TestSupport.errorMessage { try writer2.write([ev(5, 10, 1, 1)]) }
        XCTAssertTrue(address.hasSuffix("c.raw: event 0: address x=10 y=1 cannot be written: outside the 10×10 sensor of the EVT 3.0 header (EVT 3.0 holds x, y < 2048)"), address)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/b.raw"))
    }

    func testEVT3EmptyStreamRoundTrips() throws {
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try EVT3Writer(path: folder + "/e.raw", geometry: SensorGeometry(width: 3, height: 2))
        try writer.finish()
        var reader = try EVT3Reader(path: folder + "/e.raw")
        XCTAssertEqual(try reader.readAll(), [])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 3, height: 2))
    }
}
