import FeastAEDAT4
import FeastEvents
import XCTest

/// AEDAT 4.0 from bytes laid out by the published format (iniVation's
/// "AEDAT 4.0" page and the flatbuffers wire format), built here by hand:
/// several streams, skipped packet kinds, the file-data table, and every
/// kind of damage with its message.
final class AEDAT4ReaderTests: XCTestCase {
    // MARK: - A hand-written AEDAT 4.0 builder

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// The `IOHE` flatbuffer: root offset, identifier, vtable (3 fields),
    /// table (soffset, compression int32, dataTablePosition int64, offset
    /// to the description string), the string.
    static func ioHeader(compression: Int32, tablePosition: Int64, description: String) -> [UInt8] {
        var b = le(UInt32(20)) + Array("IOHE".utf8)
        b += le(UInt16(10)) + le(UInt16(20)) + le(UInt16(4)) + le(UInt16(8)) + le(UInt16(16)) + [0, 0]  // vtable at 8, padded to 20
        b += le(Int32(12)) + le(compression) + le(tablePosition) + le(UInt32(4))  // table at 20; string offset at 36
        b += le(UInt32(description.utf8.count)) + Array(description.utf8) + [0]
        return b
    }

    /// A size-prefixed packet flatbuffer whose root table's field 0 is a
    /// vector of `count` elements (`elements` bytes).
    static func packet(_ identifier: String, count: Int, elements: [UInt8]) -> [UInt8] {
        var b = le(UInt32(16)) + Array(identifier.utf8)           // root table at 16 (after the prefix)
        b += le(UInt16(6)) + le(UInt16(8)) + le(UInt16(4)) + [0, 0]  // vtable at 8
        b += le(Int32(8)) + le(UInt32(4))                           // table at 16: vector at 24
        b += le(UInt32(count)) + elements
        return le(UInt32(b.count)) + b
    }

    static func events(_ list: [(Int64, Int16, Int16, Bool)]) -> [UInt8] {
        packet("EVTS", count: list.count, elements: list.flatMap { le($0.0) + le($0.1) + le($0.2) + [$0.3 ? 1 : 0, 0, 0, 0] })
    }

    static func description(_ streams: [(Int, String, (Int, Int)?)]) -> String {
        var s = "<dv version=\"2.0\">\n    <node name=\"outInfo\" path=\"/mainloop/Recorder/outInfo/\">\n"
        for (id, type, size) in streams {
            s += "        <node name=\"\(id)\" path=\"/mainloop/Recorder/outInfo/\(id)/\">\n"
            s += "            <attr key=\"compression\" type=\"string\">NONE</attr>\n"
            s += "            <attr key=\"typeIdentifier\" type=\"string\">\(type)</attr>\n"
            if let (w, h) = size {
                s += "            <node name=\"info\" path=\"/mainloop/Recorder/outInfo/\(id)/info/\">\n"
                s += "                <attr key=\"sizeX\" type=\"int\">\(w)</attr>\n                <attr key=\"sizeY\" type=\"int\">\(h)</attr>\n"
                s += "            </node>\n"
            }
            s += "        </node>\n"
        }
        return s + "    </node>\n</dv>"
    }

    static let davis: [(Int, String, (Int, Int)?)] = [(0, "EVTS", (346, 260)), (1, "FRME", (346, 260)), (2, "IMUS", nil), (3, "TRIG", nil)]

    /// A whole file; `tablePosition` true puts the file-data table right after the packets.
    static func file(compression: Int32 = 0, streams: [(Int, String, (Int, Int)?)] = davis, packets: [(Int32, [UInt8])],
                     tablePosition: Bool = false, trailer: [UInt8] = []) -> [UInt8] {
        let body = packets.flatMap { le($0.0) + le(Int32($0.1.count)) + $0.1 }
        let headerLength = ioHeader(compression: compression, tablePosition: -1, description: description(streams)).count
        let table: Int64 = tablePosition ? Int64(14 + 4 + headerLength + body.count) : -1
        let header = ioHeader(compression: compression, tablePosition: table, description: description(streams))
        return Array("#!AER-DAT4.0\r\n".utf8) + le(UInt32(header.count)) + header + body + trailer
    }

    func read(_ bytes: [UInt8], geometry: SensorGeometry? = nil, chunk: Int = 3) throws -> (ContiguousArray<Event>, AEDAT4Reader) {
        var reader = try AEDAT4Reader(input: ByteInput(bytes: bytes, name: "rec.aedat4"), geometry: geometry, chunkCapacity: chunk)
        let events = try reader.readAll()
        return (events, reader)
    }

    func message(_ bytes: [UInt8], geometry: SensorGeometry? = nil) -> String {
        do {
            _ = try read(bytes, geometry: geometry)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: - Reading

    func testEventPacketsDecodeAndOtherStreamsAreSkippedAndCounted() throws {
        let bytes = Self.file(packets: [
            (0, Self.events([(10, 1, 2, true), (20, 345, 259, false), (5_000_000_000, 0, 0, true)])),
            (2, Self.packet("IMUS", count: 2, elements: Array(repeating: 7, count: 96))),
            (1, Self.packet("FRME", count: 0, elements: [])),
            (3, Self.packet("TRIG", count: 1, elements: Array(repeating: 0, count: 16))),
            (0, Self.events([])),
            (0, Self.events([(5_000_000_001, 7, 8, false), (5_000_000_002, 9, 10, true)])),
        ])
        let (events, reader) = try read(bytes)
        XCTAssertEqual(Array(events), [Event(t: 10, x: 1, y: 2, polarity: 1), Event(t: 20, x: 345, y: 259, polarity: 0),
                                       Event(t: 5_000_000_000, x: 0, y: 0, polarity: 1), Event(t: 5_000_000_001, x: 7, y: 8, polarity: 0),
                                       Event(t: 5_000_000_002, x: 9, y: 10, polarity: 1)])
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 346, height: 260))
        XCTAssertEqual(reader.skippedEvents, ["IMU sample": 2, "frame": 1, "trigger": 1])
        XCTAssertEqual(reader.skippedSummary, "IMU sample 2, frame 1, trigger 1")
        XCTAssertEqual(reader.streams.map(\.typeIdentifier), ["EVTS", "FRME", "IMUS", "TRIG"])
        XCTAssertEqual(reader.eventStreamID, 0)
        XCTAssertEqual(reader.compression, .none)
    }

    func testReadingStopsAtTheFileDataTable() throws {
        let bytes = Self.file(packets: [(0, Self.events([(1, 1, 1, true)]))], tablePosition: true, trailer: Array(repeating: 0xEE, count: 40))
        XCTAssertEqual(try read(bytes).0.count, 1)
        let cut = Self.file(packets: [(0, Self.events([(1, 1, 1, true)]))], tablePosition: true).dropLast(4)
        XCTAssertTrue(message(Array(cut)).contains("the file ends inside the packet"), message(Array(cut)))
    }

    func testTheFirstEventStreamIsReadAndASecondOneCounted() throws {
        let streams: [(Int, String, (Int, Int)?)] = [(4, "EVTS", (640, 480)), (1, "EVTS", (32, 32))]
        let bytes = Self.file(streams: streams, packets: [(4, Self.events([(1, 600, 400, true)])), (1, Self.events([(2, 3, 3, true)]))])
        let (events, reader) = try read(bytes)
        XCTAssertEqual(reader.eventStreamID, 1)
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 32, height: 32))
        XCTAssertEqual(Array(events), [Event(t: 2, x: 3, y: 3, polarity: 1)])
        XCTAssertEqual(reader.skippedEvents, ["events of stream 4": 1])
    }

    func testStreamsWithoutSizeNeedTheGivenGeometry() throws {
        let streams: [(Int, String, (Int, Int)?)] = [(0, "EVTS", nil)]
        let bytes = Self.file(streams: streams, packets: [(0, Self.events([(1, 5, 5, true)]))])
        XCTAssertEqual(message(bytes), "rec.aedat4: the AEDAT 4.0 header gives no sensor size (looked for sizeX and sizeY in the info node of event stream 0); give a sensor geometry WxH (feast never guesses it from the largest address)")
        XCTAssertEqual(try read(bytes, geometry: SensorGeometry(width: 10, height: 10)).0.count, 1)
    }

    // MARK: - Damage

    func testBadMagicAndHeaderAreNamed() {
        XCTAssertEqual(message(Array("#!AER-DAT3.1\r\n".utf8) + [0, 0, 0, 0]),
                       "rec.aedat4: byte offset 0: not a valid AEDAT 4.0 file: magic \"#!AER-DAT3.1\\r\\n\"; expected \"#!AER-DAT4.0\\r\\n\"")
        XCTAssertEqual(message(Array("#!AER-DAT4.0\r\n".utf8) + [1]),
                       "rec.aedat4: byte offset 14: not a valid AEDAT 4.0 file: the file ends before the IOHeader length (4 bytes)")
        var huge = Self.file(packets: [])
        huge.replaceSubrange(14..<18, with: Self.le(UInt32(0xFFFF_FFF0)))
        XCTAssertTrue(message(huge).contains("byte offset 14: not a valid AEDAT 4.0 file: IOHeader of 4294967280 bytes; at most 16777216 expected"), message(huge))
        let cut = Array(Self.file(packets: []).prefix(40))
        XCTAssertTrue(message(cut).contains("the file ends inside the IOHeader that starts at byte 18"), message(cut))
        var badOffset = Self.file(packets: [])
        badOffset.replaceSubrange(18..<22, with: Self.le(UInt32(1_000_000)))
        XCTAssertTrue(message(badOffset).contains("byte offset 1000018: not a valid AEDAT 4.0 file: IOHeader: root table at 1000000 + 4 bytes is outside the"), message(badOffset))
        var badCompression = Self.file(packets: [])
        badCompression.replaceSubrange(42..<46, with: Self.le(Int32(9)))
        XCTAssertTrue(message(badCompression).contains("IOHeader: compression 9; expected 0 (none), 1–2 (LZ4) or 3–4 (zstd)"), message(badCompression))
        let noStreams = Self.file(streams: [], packets: [])
        XCTAssertTrue(message(noStreams).contains("the header's description declares no streams"), message(noStreams))
        let noEvents = Self.file(streams: [(0, "IMUS", nil)], packets: [])
        XCTAssertTrue(message(noEvents).contains("no event stream (typeIdentifier EVTS) among the declared streams 0 IMUS"), message(noEvents))
    }

    func testDamagedPacketsNameTheirOffset() {
        let good = Self.events([(1, 1, 1, true)])
        let start = Self.file(packets: []).count  // the first packet's byte offset
        XCTAssertEqual(message(Self.file(packets: [(9, good)])),
                       "rec.aedat4: byte offset \(start): not a valid AEDAT 4.0 file: packet of stream 9, which the header does not declare (streams 0, 1, 2, 3)")
        XCTAssertEqual(message(Self.file(packets: [(2, good)])),
                       "rec.aedat4: byte offset \(start + 8): not a valid AEDAT 4.0 file: packet of stream 2 has identifier \"EVTS\"; expected \"IMUS\" as the header declares")
        XCTAssertEqual(message(Self.file(packets: [(0, Self.events([(1, 346, 0, true)]))])),
                       "rec.aedat4: byte offset \(start): not a valid AEDAT 4.0 file: event at x=346 y=0 (packet byte 32, decompressed), outside the 346×260 sensor")
        XCTAssertTrue(message(Self.file(packets: [(0, Self.events([(1, -1, 0, true)]))])).contains("event at x=-1 y=0"))
        XCTAssertTrue(message(Self.file(packets: [(0, Self.events([(-5, 1, 0, true)]))])).contains("negative timestamp -5 µs"))
        var overCount = good
        overCount.replaceSubrange(28..<32, with: Self.le(UInt32(1000)))
        XCTAssertTrue(message(Self.file(packets: [(0, overCount)])).contains("packet of stream 0: vector of 1000 16-byte elements runs past the 44-byte flatbuffer"),
                      message(Self.file(packets: [(0, overCount)])))
        var badPrefix = good
        badPrefix.replaceSubrange(0..<4, with: Self.le(UInt32(999)))
        XCTAssertTrue(message(Self.file(packets: [(0, badPrefix)])).contains("size prefix 999 exceeds the 44 bytes that follow it"))
        let cutHeader = Self.file(packets: [(0, good)]).prefix(start + 5)
        XCTAssertEqual(message(Array(cutHeader)), "rec.aedat4: byte offset \(start): not a valid AEDAT 4.0 file: packet header cut off after 5 of 8 bytes")
        let cutBody = Self.file(packets: [(0, good)]).dropLast(3)
        XCTAssertTrue(message(Array(cutBody)).contains("the file ends inside the packet that starts at byte \(start + 8) (45 of 48 bytes)"), message(Array(cutBody)))
        var negative = Self.file(packets: [(0, good)])
        negative.replaceSubrange((start + 4)..<(start + 8), with: Self.le(Int32(-2)))
        XCTAssertTrue(message(negative).contains("byte offset \(start + 4): not a valid AEDAT 4.0 file: packet of -2 bytes"), message(negative))
    }

    func testCorruptCompressedPacketsAreErrorsNamingTheCodec() {
        let garbage: [UInt8] = Array(repeating: 0x5A, count: 32)
        let start = Self.file(compression: 1, packets: []).count
        XCTAssertEqual(message(Self.file(compression: 1, packets: [(0, garbage)])),
                       "rec.aedat4: byte offset \(start + 8): not a valid AEDAT 4.0 file: packet of stream 0: corrupt LZ4 frame: ERROR_frameType_unknown")
        XCTAssertTrue(message(Self.file(compression: 3, packets: [(0, garbage)])).contains("packet of stream 0: corrupt zstd frame: Unknown frame descriptor"),
                      message(Self.file(compression: 3, packets: [(0, garbage)])))
        // A valid frame magic whose frame then stops.
        XCTAssertTrue(message(Self.file(compression: 3, packets: [(0, [0x28, 0xB5, 0x2F, 0xFD])])).contains("packet of stream 0:"))
        XCTAssertTrue(message(Self.file(compression: 1, packets: [(0, [0x04, 0x22, 0x4D, 0x18])])).contains("the LZ4 frame is cut off"),
                      message(Self.file(compression: 1, packets: [(0, [0x04, 0x22, 0x4D, 0x18])])))
    }
}
