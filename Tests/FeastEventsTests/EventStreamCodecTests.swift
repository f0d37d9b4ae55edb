@testable import FeastEvents
import Foundation
import XCTest

/// Event Stream 2.x, from bytes assembled by the specification
/// (github.com/neuromorphic-paris/event_stream, as faery implements it):
/// DVS events `t_delta << 1 | p, x (u16 LE), y (u16 LE)` with y counted
/// from the bottom row, `0xFF` = +127 µs, `0xFE` = reset.
final class EventStreamCodecTests: XCTestCase {
    typealias B = PropheseeBytes

    static func header(type: UInt8 = 1, width: Int = 1280, height: Int = 720, version: [UInt8] = [2, 0, 0]) -> [UInt8] {
        Array("Event Stream".utf8) + version + [type, UInt8(width & 0xFF), UInt8(width >> 8), UInt8(height & 0xFF), UInt8(height >> 8)]
    }

    /// One DVS event as stored: `yFile` counts from the bottom.
    static func dvs(dt: Int, p: Int, x: Int, yFile: Int) -> [UInt8] {
        [UInt8(dt << 1 | p), UInt8(x & 0xFF), UInt8(x >> 8), UInt8(yFile & 0xFF), UInt8(yFile >> 8)]
    }

    private func read(_ bytes: [UInt8], geometry: SensorGeometry? = nil) throws -> (ContiguousArray<Event>, EventStreamReader) {
        try B.read({ try EventStreamReader(input: $0, geometry: geometry) }, bytes, test: "t.es")
    }

    func testDVSEventsAccumulateDeltasOverflowsAndTurnYToTheTopRow() throws {
        var bytes = Self.header()
        bytes += Self.dvs(dt: 3, p: 1, x: 688, yFile: 527)          // t = 3, y = 719 − 527 = 192
        bytes += [0xFF, 0xFF] + Self.dvs(dt: 5, p: 0, x: 1279, yFile: 0)  // t = 3 + 254 + 5
        bytes += [0xFE, 0xFE, 0xFE] + Self.dvs(dt: 0, p: 1, x: 0, yFile: 719)  // resets: no time
        let (events, reader) = try read(bytes)
        XCTAssertEqual(events, [ev(3, 688, 192, 1), ev(262, 1279, 719, 0), ev(262, 0, 0, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 1280, height: 720))
        XCTAssertEqual(reader.skippedEvents, ["reset": 3])
    }

    func testATISChangeDetectionsAreEventsAndExposureMeasurementsAreCounted() throws {
        var bytes = Self.header(type: 2, width: 304, height: 240)
        func atis(_ dt: Int, _ code: Int, _ x: Int, _ y: Int) -> [UInt8] { [UInt8(dt << 2 | code), UInt8(x & 0xFF), UInt8(x >> 8), UInt8(y), 0] }
        bytes += atis(1, 0b10, 303, 0)       // ON at t = 1, y = 239
        bytes += [0xFE] + atis(2, 0b01, 5, 5)  // +126 µs, exposure start (skipped)
        bytes += atis(0, 0b00, 7, 239)       // OFF at t = 129, y = 0
        bytes += atis(4, 0b11, 5, 5)         // exposure end (skipped), t = 133
        bytes += [0xFD] + atis(0, 0b10, 1, 1) // +63 µs
        let (events, reader) = try read(bytes)
        XCTAssertEqual(events, [ev(1, 303, 239, 1), ev(129, 7, 0, 0), ev(196, 1, 238, 1)])
        XCTAssertEqual(reader.skippedEvents, ["ATIS exposure measurement": 2])
    }

    func testTrailingOverflowBytesAreFineAndAPartialEventIsAnError() throws {
        let whole = Self.header() + Self.dvs(dt: 1, p: 1, x: 1, yFile: 1) + [0xFF, 0xFF]
        XCTAssertEqual(try read(whole).0, [ev(1, 1, 718, 1)])
        XCTAssertThrowsError(try read(whole + [0x04, 0x01, 0x00])) { error in
            XCTAssertTrue("\(error)".hasSuffix("t.es: byte offset 27: not a valid Event Stream file: the file ends inside an event (3 of 5 bytes)"), "\(error)")
        }
    }

    func testHeaderProblemsNameTheByteAndWhatWasExpected() throws {
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try read(bytes); return "no error" } catch { return "\(error)".components(separatedBy: "t.es: ").last! }
        }
        XCTAssertEqual(message(Array("Event Strem".utf8)), "byte offset 10: not a valid Event Stream file: expected the magic 'Event Stream'")
        XCTAssertEqual(message(Array(Self.header().prefix(14))), "byte offset 14: not a valid Event Stream file: header ends after 14 bytes; expected 16 (magic, version, type)")
        XCTAssertEqual(message(Self.header(version: [1, 0, 0])), "byte offset 12: not a valid Event Stream file: version 1.0.0; expected 2.x.y")
        XCTAssertEqual(message(Array(Self.header().prefix(18))), "byte offset 18: not a valid Event Stream file: header ends after 18 bytes; expected 20 (with width and height)")
        XCTAssertEqual(message(Self.header(width: 0)), "byte offset 16: not a valid Event Stream file: sensor 0×720 in the header; expected a positive width and height")
        XCTAssertEqual(message(Self.header(type: 9)), "byte offset 15: not a valid Event Stream file: event type 9; expected 0…5 (1 DVS, 2 ATIS)")
        XCTAssertTrue(message(Self.header(type: 0)).contains("a generic Event Stream (type 0) carries no pixel addresses"))
        XCTAssertTrue(message(Self.header(type: 4)).contains("(color events) carries no polarity events"))
    }

    func testAddressesOutsideTheSensorAreErrorsWithTheirByteOffset() throws {
        let bytes = Self.header(width: 34, height: 34) + Self.dvs(dt: 1, p: 1, x: 3, yFile: 3) + Self.dvs(dt: 1, p: 1, x: 34, yFile: 3)
        XCTAssertThrowsError(try read(bytes)) { error in
            XCTAssertTrue("\(error)".hasSuffix("t.es: byte offset 25: not a valid Event Stream file: address x=34 y=3 (as stored) is outside the 34×34 sensor of the header"), "\(error)")
        }
        // A smaller --geometry than the header's is checked too.
        XCTAssertThrowsError(try read(Self.header() + Self.dvs(dt: 0, p: 0, x: 40, yFile: 700), geometry: .nmnist)) { error in
            XCTAssertTrue("\(error)".contains("or the 34×34 given"), "\(error)")
        }
    }

    func testWriterRoundTripsLongGapsExactlyAcrossSmallBuffers() throws {
        var events = B.random(seed: 4, count: 20_000, maxStep: 300)
        // A gap of many overflow bytes, longer than a write buffer.
        let late = events.map { Event(t: $0.t + 5_000_000, x: $0.x, y: $0.y, polarity: $0.polarity) }
        events += late
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try EventStreamWriter(output: try ByteOutput(path: folder + "/a.es", capacity: 256), geometry: SensorGeometry(width: 1280, height: 720))
        for chunk in stride(from: 0, to: events.count, by: 777).map({ ContiguousArray(events[$0..<min($0 + 777, events.count)]) }) {
            try writer.write(chunk)
        }
        try writer.finish()
        var reader = try EventStreamReader(input: try ByteInput.open(path: folder + "/a.es", capacity: 64), chunkCapacity: 1000)
        let back = try reader.readAll()
        XCTAssertEqual(back.count, events.count)
        XCTAssertTrue(back == events)
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 1280, height: 720))
    }

    func testWriterRefusesTimeGoingBackAndAddressesOffTheSensorWithoutLeavingAFile() throws {
        let folder = try TestSupport.temporaryFolder(self)
        func message(_ events: ContiguousArray<Event>) -> String {
            do {
                var w = try EventStreamWriter(path: folder + "/b.es", geometry: SensorGeometry(width: 100, height: 50))
                try w.write(events)
                try w.finish()
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message([ev(10, 1, 1, 1), ev(9, 1, 1, 1)]),
                       "\(folder)/b.es: event 1: timestamp 9 µs cannot be written: earlier than the previous event (10 µs); Event Stream stores time differences, so timestamps must not decrease")
        XCTAssertEqual(message([ev(10, 1, 50, 1)]), "\(folder)/b.es: event 0: address x=1 y=50 cannot be written: outside the 100×50 sensor of the Event Stream header")
        XCTAssertEqual(message([ev(-1, 1, 1, 1)]), "\(folder)/b.es: event 0: timestamp -1 µs cannot be written: Event Stream timestamps must be ≥ 0 µs")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/b.es"))
    }
}
