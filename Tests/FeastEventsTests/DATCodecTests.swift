@testable import FeastEvents
import Foundation
import XCTest

/// Prophesee DAT: hand-assembled records; the `%` header shared with RAW.
final class DATCodecTests: XCTestCase {
    static let header = "% Data file containing CD events.\n% Version 2\n% Width 640\n% Height 480\n"

    static func dat(_ records: [(t: UInt32, x: Int, y: Int, p: Int)], header: String = DATCodecTests.header, type: UInt8 = 0x0C, size: UInt8 = 8) -> [UInt8] {
        var bytes = Array(header.utf8) + [type, size]
        for r in records {
            let w = UInt32(r.x) | UInt32(r.y) << 14 | UInt32(r.p) << 28
            for v in [r.t, w] { bytes += (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        }
        return bytes
    }

    private func read(_ bytes: [UInt8], geometry: SensorGeometry? = nil) throws -> (ContiguousArray<Event>, DATReader) {
        try PropheseeBytes.read({ try DATReader(input: $0, geometry: geometry, chunkCapacity: 3) }, bytes, capacity: 64, test: "t.dat")
    }

    func testDATRecordsGiveTimeAddressAndPolarity() throws {
        let (events, reader) = try read(Self.dat([(10, 1, 2, 1), (11, 639, 479, 0), (12, 3, 4, 15)]))
        XCTAssertEqual(events, [ev(10, 1, 2, 1), ev(11, 639, 479, 0), ev(12, 3, 4, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 640, height: 480))
        XCTAssertEqual(reader.header.datVersion, 2)
    }

    func testDATTimestampsWrapAt2To32AndSmallStepsBackAreClamped() throws {
        let (events, _) = try read(Self.dat([(10, 1, 1, 1), (5, 1, 1, 0), (0xFFFF_FFF0, 1, 1, 1), (0x7FFF_FFF0, 1, 1, 1), (3, 1, 1, 1), (0x8000_0005, 1, 1, 1), (2, 1, 1, 1)]))
        let wrap: Int64 = 1 << 32
        let expected: [Int64] = [10, 10, 0xFFFF_FFF0, 0xFFFF_FFF0, wrap + 3, wrap + 0x8000_0005, 2 * wrap + 2]
        XCTAssertEqual(events.map(\.t), expected)
    }

    func testDATVersion1Layout() throws {
        var bytes = Array("% Version 1\n% Width 304\n% Height 240\n".utf8) + [0x0C, 8]
        let w = UInt32(303) | UInt32(239) << 9 | UInt32(1) << 17
        for v in [UInt32(7), w] { bytes += (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let (events, _) = try read(bytes)
        XCTAssertEqual(events, [ev(7, 303, 239, 1)])
    }

    func testDATPartialRecordIsMalformedWithItsByteOffset() throws {
        let bytes = Self.dat([(1, 1, 1, 1)]) + [1, 2, 3, 4, 5]
        let message = TestSupport.errorMessage { _ = try self.read(bytes) }
        XCTAssertTrue(message.hasSuffix("t.dat: byte offset \(Self.header.utf8.count + 10): not a valid Prophesee DAT file: 5 trailing byte(s) do not form a whole 8-byte event; expected whole events"), message)
    }

    func testDATTypeAndSizeAreChecked() throws {
        let size = TestSupport.errorMessage { _ = try self.read(Self.dat([], size: 16)) }
        XCTAssertTrue(size.hasSuffix("byte offset \(Self.header.utf8.count + 1): not a valid Prophesee DAT file: event size 16; expected 8 bytes"), size)
        let type = TestSupport.errorMessage { _ = try self.read(Self.dat([], type: 0x07)) }
        XCTAssertTrue(type.hasSuffix("not a valid Prophesee DAT file: event type 0x7; expected 0x0C (CD), 0x00 (2D) or 0x0E (trigger)"), type)
        let cut = TestSupport.errorMessage { _ = try self.read(Array(Self.header.utf8)) }
        XCTAssertTrue(cut.hasSuffix("the file ends after the header; expected 2 bytes (event type, event size) after the '%' lines"), cut)
        let (events, reader) = try read(Self.dat([(1, 0, 0, 0), (2, 0, 0, 1)], type: 0x0E))
        XCTAssertEqual(events, [])
        XCTAssertEqual(reader.skippedEvents, ["EXT_TRIGGER": 2])
    }

    func testDATAddressOutsideGeometryAndMissingGeometry() throws {
        let message = TestSupport.errorMessage { _ = try self.read(Self.dat([(1, 1, 1, 1), (2, 2, 2, 1), (3, 1, 480, 0)])) }
        XCTAssertTrue(message.hasSuffix("t.dat: event 2: address x=1 y=480 is outside the 640×480 sensor (expected x < 640, y < 480)"), message)
        let missing = TestSupport.errorMessage { _ = try self.read(Self.dat([(1, 1, 1, 1)], header: "% Version 2\n% Width 640\n")) }
        XCTAssertTrue(missing.contains("the Prophesee DAT header gives no sensor size"), missing)
        let (events, _) = try read(Self.dat([(1, 1000, 1, 1)], header: "% Version 2\n"), geometry: SensorGeometry(width: 1280, height: 720))
        XCTAssertEqual(events, [ev(1, 1000, 1, 1)])
    }

    // MARK: header

    private func header(_ text: [UInt8], capacity: Int = 64) throws -> (PropheseeHeader, ByteInput) {
        let folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(text, to: folder + "/h.raw")
        let input = try ByteInput.open(path: folder + "/h.raw", capacity: capacity)
        return (try PropheseeHeader.read(from: input, format: .evt3), input)
    }

    func testHeaderGeometryVariants() throws {
        XCTAssertEqual(try header(Array("% format EVT3;height=720;width=1280\n".utf8)).0.geometry, SensorGeometry(width: 1280, height: 720))
        XCTAssertEqual(try header(Array("% format EVT2;width=640;height=480\n".utf8)).0.evtVersion, "EVT2")
        XCTAssertEqual(try header(Array("% geometry 346x260\r\n".utf8)).0.geometry, SensorGeometry(width: 346, height: 260))
        XCTAssertEqual(try header(Array("% Width 640\n% Height 480\n".utf8)).0.geometry, SensorGeometry(width: 640, height: 480))
        let (h, input) = try header(Array("% camera_integrator_name Prophesee\n% date 2023-01-01 10:00:00\n% evt 3.0\n% t0 1000\n% end\n%x".utf8))
        XCTAssertEqual(h.evtVersion, "EVT3")
        XCTAssertEqual(h.t0, 1000)
        XCTAssertEqual(h.value("DATE"), "2023-01-01 10:00:00")
        XCTAssertEqual(h.entries.map(\.key), ["camera_integrator_name", "date", "evt", "t0", "end"])
        XCTAssertNil(h.geometry)
        XCTAssertEqual(input.offset, h.length)
        XCTAssertEqual(input.available, 2)
    }

    func testHeaderLongLinesAcrossRefillsAndBadHeaders() throws {
        let long = "% note " + String(repeating: "a", count: 500) + "\n% geometry 10x20\n"
        let (h, _) = try header(Array(long.utf8) + [0x00, 0x80])
        XCTAssertEqual(h.geometry, SensorGeometry(width: 10, height: 20))
        XCTAssertEqual(h.length, long.utf8.count)
        let cut = TestSupport.errorMessage { _ = try self.header(Array("% evt 3.0\n% geometry 10".utf8)) }
        XCTAssertTrue(cut.hasSuffix("h.raw: byte offset 10: not a valid EVT 3.0 file: the header ends without a newline after 13 byte(s) of its last '%' line; expected '%' lines ending with '\\n' followed by the event data"), cut)
        let binary = TestSupport.errorMessage { _ = try self.header(Array("% evt 3.0\n% ab".utf8) + [0x01, 0x0A]) }
        XCTAssertTrue(binary.hasSuffix("h.raw: byte offset 14: not a valid EVT 3.0 file: byte 0x1 in a '%' header line; expected text"), binary)
        let huge = TestSupport.errorMessage { _ = try self.header([UInt8](repeating: UInt8(ascii: "%"), count: PropheseeHeader.maximumLength + 10)) }
        XCTAssertTrue(huge.hasSuffix("h.raw: byte offset 0: not a valid EVT 3.0 file: the '%' header is longer than 1048576 bytes; expected a short text header (is this a Prophesee file?)"), huge)
        let geometry = TestSupport.errorMessage { _ = try self.header(Array("% geometry 0x20\n".utf8)) }
        XCTAssertTrue(geometry.hasSuffix("header line '% geometry 0x20': '0' is not a sensor size; expected an integer 1...65536"), geometry)
    }
}
