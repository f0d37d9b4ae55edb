@testable import FeastEvents
import Foundation
import XCTest

/// AEDAT 2.0 and 3.1 files written byte by byte from the published
/// specifications (inivation's "AEDAT file formats" page, jAER's DVS128 and
/// DAVIS extractors): faery writes neither, so these bytes are the
/// independent reference.
final class AEDATCodecTests: XCTestCase {
    typealias B = PropheseeBytes

    // MARK: AEDAT 2.0

    static func aedat2(chip: String?, records: [(address: UInt32, t: UInt32)]) -> [UInt8] {
        var text = "#!AER-DAT2.0\r\n# This is a raw AE data file - do not edit\r\n"
        if let chip { text += "# AEChip: \(chip)\r\n" }
        text += "# created Mon Dec 06 10:00:00 CET 2026\r\n"
        var bytes = Array(text.utf8)
        for r in records {
            withUnsafeBytes(of: r.address.bigEndian) { bytes += $0 }
            withUnsafeBytes(of: r.t.bigEndian) { bytes += $0 }
        }
        return bytes
    }

    /// DVS128 address: bit 0 = 0 for ON, x stored as 127 − x.
    static func dvs128(x: Int, y: Int, on: Bool) -> UInt32 { UInt32(y) << 8 | UInt32(127 - x) << 1 | (on ? 0 : 1) }
    static func davis(x: Int, y: Int, on: Bool) -> UInt32 { UInt32(y) << 22 | UInt32(x) << 12 | (on ? 1 << 11 : 0) }

    private func read2(_ bytes: [UInt8], geometry: SensorGeometry? = nil) throws -> (ContiguousArray<Event>, AEDAT2Reader) {
        try B.read({ try AEDAT2Reader(input: $0, geometry: geometry) }, bytes, test: "t.aedat")
    }

    func testAEDAT2DVS128AddressesFollowJAERsExtractor() throws {
        let bytes = Self.aedat2(chip: "ch.unizh.ini.jaer.chip.retina.DVS128", records: [
            (Self.dvs128(x: 0, y: 0, on: true), 10), (Self.dvs128(x: 127, y: 127, on: false), 20),
            (0x8000, 25),  // external event: skipped
            (Self.dvs128(x: 5, y: 100, on: true), 30),
        ])
        let (events, reader) = try read2(bytes)
        XCTAssertEqual(events, [ev(10, 0, 0, 1), ev(20, 127, 127, 0), ev(30, 5, 100, 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 128, height: 128))
        XCTAssertEqual(reader.layout, .dvs128)
        XCTAssertEqual(reader.skippedEvents, ["external event": 1])
    }

    func testAEDAT2DAVISSkipsSamplesAndExtendsTheThirtyTwoBitClock() throws {
        let bytes = Self.aedat2(chip: "eu.seebetter.ini.chips.davis.DAVIS346B", records: [
            (Self.davis(x: 345, y: 259, on: true), 0xFFFF_FF00),
            (0x8000_0000 | Self.davis(x: 1, y: 1, on: true), 0xFFFF_FFF0),  // APS sample
            (Self.davis(x: 0, y: 0, on: false), 0x10),  // after the wrap
            (Self.davis(x: 2, y: 3, on: true) | 0x400, 0x20),  // external
        ])
        let (events, reader) = try read2(bytes)
        XCTAssertEqual(events, [ev(0xFFFF_FF00, 345, 259, 1), ev((1 << 32) + 0x10, 0, 0, 0)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 346, height: 260))
        XCTAssertEqual(reader.skippedEvents, ["APS/IMU sample": 1, "external event": 1])
    }

    func testAEDAT2WithoutAChipNeedsAGeometryAndTruncationIsAnError() throws {
        let bytes = Self.aedat2(chip: nil, records: [(Self.dvs128(x: 1, y: 2, on: true), 5)])
        XCTAssertThrowsError(try read2(bytes)) { error in
            XCTAssertTrue("\(error)".hasSuffix("t.aedat: the AEDAT 2.0 header gives no sensor size (looked for an AEChip or HardwareInterface line naming DVS128, DAVIS240, DAVIS346 or DAVIS640); give a sensor geometry WxH (feast never guesses it from the largest address)"), "\(error)")
        }
        XCTAssertEqual(try read2(bytes, geometry: SensorGeometry(width: 128, height: 128)).0, [ev(5, 1, 2, 1)])
        let header = Self.aedat2(chip: nil, records: []).count
        XCTAssertThrowsError(try read2(Array((bytes + [0, 0, 0]).prefix(header + 11)), geometry: SensorGeometry(width: 128, height: 128))) { error in
            XCTAssertTrue("\(error)".hasSuffix("t.aedat: byte offset \(header + 8): not a valid AEDAT 2.0 file: 3 trailing bytes do not form a whole 8-byte event"), "\(error)")
        }
    }

    func testAEDAT2AddressOutsideTheSensorNamesItsByteOffset() throws {
        let bytes = Self.aedat2(chip: "DAVIS240C", records: [(Self.davis(x: 1, y: 1, on: true), 1), (Self.davis(x: 240, y: 1, on: true), 2)])
        let header = Self.aedat2(chip: "DAVIS240C", records: []).count
        XCTAssertThrowsError(try read2(bytes)) { error in
            XCTAssertTrue("\(error)".hasSuffix("t.aedat: byte offset \(header + 8): not a valid AEDAT 2.0 file: address 0x4f0800 decodes to x=240 y=1, outside the 240×180 sensor"), "\(error)")
        }
    }

    // MARK: AEDAT 3.1

    static func header3(source: String = "DVS128") -> [UInt8] {
        Array("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: \(source)\r\n#Start-Time: 2026-12-06 10:00:00 (TZ+0100)\r\n#!END-HEADER\r\n".utf8)
    }

    /// One packet: 28-byte header then `events` (polarity: 8 bytes each).
    static func packet(type: Int16 = 1, size: Int32 = 8, overflow: Int32 = 0, capacity: Int32? = nil, events: [(x: Int, y: Int, on: Bool, valid: Bool, t: Int32)] = [], raw: [UInt8] = []) -> [UInt8] {
        var body = raw
        for e in events {
            let data = UInt32(e.x) << 17 | UInt32(e.y) << 2 | (e.on ? 2 : 0) | (e.valid ? 1 : 0)
            withUnsafeBytes(of: data.littleEndian) { body += $0 }
            withUnsafeBytes(of: e.t.littleEndian) { body += $0 }
        }
        let number = Int32(raw.isEmpty ? events.count : raw.count / Int(size))
        var bytes = [UInt8]()
        withUnsafeBytes(of: type.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: Int16(1).littleEndian) { bytes += $0 }
        for v in [size, 4, overflow, capacity ?? number, number, number] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        let padding = Int(((capacity ?? number) - number) * size)
        return bytes + body + [UInt8](repeating: 0, count: max(0, padding))
    }

    private func read3(_ bytes: [UInt8], geometry: SensorGeometry? = nil) throws -> (ContiguousArray<Event>, AEDAT3Reader) {
        try B.read({ try AEDAT3Reader(input: $0, geometry: geometry) }, bytes, test: "t.aedat")
    }

    func testAEDAT31PolarityPacketsGiveEventsWithOverflowTimeAndSkipOtherPackets() throws {
        var bytes = Self.header3()
        bytes += Self.packet(events: [(0, 0, true, true, 100), (127, 127, false, true, 200), (3, 3, true, false, 250)])
        bytes += Self.packet(type: 0, size: 8, raw: [UInt8](repeating: 7, count: 16))  // two special events
        bytes += Self.packet(type: 3, size: 36, raw: [UInt8](repeating: 1, count: 36))  // one IMU6 sample
        bytes += Self.packet(overflow: 1, capacity: 4, events: [(64, 32, false, true, 5)])  // with unused capacity
        bytes += Self.packet(events: [])
        let (events, reader) = try read3(bytes)
        XCTAssertEqual(events, [ev(100, 0, 0, 1), ev(200, 127, 127, 0), ev((1 << 31) + 5, 64, 32, 0)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 128, height: 128))
        XCTAssertEqual(reader.skippedEvents, ["invalid polarity event": 1, "special": 2, "IMU6": 1])
    }

    func testAEDAT31SourceNamesTheSensor() throws {
        let (_, reader) = try read3(Self.header3(source: "DAVIS346B") + Self.packet(events: [(345, 259, true, true, 1)]))
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 346, height: 260))
        XCTAssertThrowsError(try read3(Self.header3(source: "Camera9000"))) { error in
            XCTAssertTrue("\(error)".contains("the AEDAT 3.1 header gives no sensor size (looked for a '#Source' line naming DVS128"), "\(error)")
        }
    }

    func testAEDAT31BrokenFilesNameTheByteAndWhatWasExpected() throws {
        let h = Self.header3().count
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try read3(bytes); return "no error" } catch { return "\(error)".components(separatedBy: "t.aedat: ").last! }
        }
        let one = Self.packet(events: [(1, 1, true, true, 1), (2, 2, true, true, 2)])
        XCTAssertEqual(message(Array((Self.header3() + one).dropLast(3))),
                       "byte offset \(h + 36): not a valid AEDAT 3.1 file: the file ends inside a polarity packet (1 events of 8 bytes missing)")
        XCTAssertEqual(message(Self.header3() + Array(one.prefix(20))), "byte offset \(h): not a valid AEDAT 3.1 file: packet header cut off after 20 of 28 bytes")
        XCTAssertEqual(message(Self.header3() + Self.packet(events: [(128, 1, true, true, 1)])),
                       "byte offset \(h + 28): not a valid AEDAT 3.1 file: polarity event at x=128 y=1, outside the 128×128 sensor")
        var huge = Self.packet(type: 2, size: 1 << 20, raw: [])
        huge.replaceSubrange(16..<20, with: [0, 0x10, 0, 0])  // capacity 4096 × 1 MiB
        XCTAssertEqual(message(Self.header3() + huge),
                       "byte offset \(h): not a valid AEDAT 3.1 file: packet of 4294967296 bytes (eventSize 1048576 × eventCapacity 4096); at most 268435456 expected")
        XCTAssertEqual(message(Array("#!AER-DAT3.1\r\n#Source 1: DVS128\r\n".utf8)), "byte offset 33: not a valid AEDAT 3.1 file: the header ends without its '#!END-HEADER' line")
        XCTAssertEqual(message(Self.header3() + Self.packet(type: 2, size: 8, raw: [UInt8](repeating: 0, count: 16)).dropLast(5)),
                       "byte offset \(h + 39): not a valid AEDAT 3.1 file: the file ends inside the packet that starts at byte \(h) (5 bytes missing)")
    }

    func testAEDATVersionIsToldByTheHeaderNotTheExtension() throws {
        XCTAssertEqual(Self.header3().withUnsafeBytes { EventFormatDetector.detect(header: UnsafeRawBufferPointer(rebasing: $0.prefix(20)), path: "x.aedat") }, .aedat3)
        let two = Self.aedat2(chip: "DVS128", records: [])
        XCTAssertEqual(two.withUnsafeBytes { EventFormatDetector.detect(header: $0, path: "x.aedat") }, .aedat2)
    }
}
