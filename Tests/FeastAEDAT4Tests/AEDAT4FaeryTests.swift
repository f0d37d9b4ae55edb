import FeastAEDAT4
import FeastEvents
import FeastTestSupport
import Foundation
import XCTest

/// AEDAT 4.0 against faery 0.7.1 (Rust core, through its Python API):
/// faery writes random 1280×720 recordings uncompressed, LZ4 and zstd
/// (timestamps past 2^32 µs, so the int64 field is exercised), and feast
/// must decode exactly the events faery reads back. Skipped when
/// `python3 -c "import faery"` fails.
final class AEDAT4FaeryTests: XCTestCase {
    static let script = #"""
    import sys, numpy as np, faery
    mode, src, dst = sys.argv[1:4]
    dt = np.dtype([("t", "<u8"), ("x", "<u2"), ("y", "<u2"), ("p", "u1")])
    if mode == "encode":
        ev = np.fromfile(src, dtype=dt)
        d = np.zeros(len(ev), dtype=faery.EVENTS_DTYPE)
        d["t"], d["x"], d["y"], d["on"] = ev["t"], ev["x"], ev["y"], ev["p"] != 0
        comp = None if sys.argv[4] == "none" else (sys.argv[4], 1)
        faery.events_stream_from_array(d, dimensions=(1280, 720)).to_file(dst, compression=comp)
    else:
        s = faery.events_stream_from_file(src)
        assert s.dimensions() == (1280, 720), s.dimensions()
        out = []
        for e in s:
            a = np.zeros(len(e), dtype=dt); a["t"], a["x"], a["y"], a["p"] = e["t"], e["x"], e["y"], e["on"]; out.append(a)
        (np.concatenate(out) if out else np.zeros(0, dtype=dt)).tofile(dst)
    """#

    private var folder = ""

    override func setUpWithError() throws {
        try Faery.requireInstalled()
        folder = NSTemporaryDirectory() + "feast-aedat4-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: folder + "/faery_io.py"))
    }

    override func tearDown() {
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
    }

    private func faery(_ arguments: [String]) throws {
        try Faery.run(folder + "/faery_io.py", arguments)
    }

    /// Dense events with rare pauses of up to 2^33 µs (past every 32-bit wrap).
    private static func recording(seed: UInt64, count: Int) -> ContiguousArray<Event> {
        var state = seed
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var t: Int64 = 0
        var events = ContiguousArray<Event>()
        for _ in 0..<count {
            t += next() % 5_000 == 0 ? Int64(next() % (1 << 33)) : Int64(next() % 100)
            events.append(Event(t: t, x: UInt16(next() % 1280), y: UInt16(next() % 720), polarity: UInt8(next() & 1)))
        }
        return events
    }

    func testFaeryWrittenRecordingsDecodeExactlyAsFaeryReadsThemForEveryCompression() throws {
        let events = Self.recording(seed: 41, count: 150_000)
        try EventRecords.write(events, to: folder + "/in.bin")
        XCTAssertGreaterThan(events.last!.t, 1 << 32)
        for compression in ["none", "lz4", "zstd"] {
            let file = folder + "/f-\(compression).aedat4"
            try faery(["encode", folder + "/in.bin", file, compression])
            try faery(["decode", file, folder + "/theirs.bin", compression])
            let theirs = try EventRecords.read(folder + "/theirs.bin")
            var reader = try AEDAT4Reader(input: try ByteInput.open(path: file, capacity: 4096), chunkCapacity: 777)
            let ours = try reader.readAll()
            XCTAssertEqual(theirs.count, events.count, compression)
            XCTAssertEqual(ours.count, theirs.count, compression)
            XCTAssertTrue(ours == theirs, "\(compression): first difference at \(ours.indices.first { $0 < theirs.count && ours[$0] != theirs[$0] } ?? -1)")
            XCTAssertTrue(ours == events, "\(compression): faery's file holds the events it was given")
            XCTAssertEqual(reader.geometry, SensorGeometry(width: 1280, height: 720))
            XCTAssertEqual(reader.compression, compression == "none" ? .none : compression == "lz4" ? .lz4 : .zstd)
            XCTAssertEqual(reader.skippedEvents, [:])
        }
    }

    /// faery's LZ4 file, cut inside a packet and with a byte of a
    /// compressed block flipped: errors naming the file and the packet's
    /// offset, never events from a damaged block.
    func testDamagedFaeryFilesAreErrorsNamingThePacket() throws {
        let events = Self.recording(seed: 42, count: 20_000)
        try EventRecords.write(events, to: folder + "/in.bin")
        for compression in ["lz4", "zstd"] {
            let file = folder + "/f.aedat4"
            try faery(["encode", folder + "/in.bin", file, compression])
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            func error(_ damaged: [UInt8]) -> String {
                do {
                    var reader = try AEDAT4Reader(input: ByteInput(bytes: damaged, name: "d.aedat4"))
                    _ = try reader.readAll()
                    return "no error"
                } catch {
                    return "\(error)"
                }
            }
            let cut = error(Array(bytes.prefix(bytes.count * 2 / 3)))
            XCTAssertTrue(cut.hasPrefix("d.aedat4: byte offset ") && cut.contains("the file ends inside the packet"), "\(compression): \(cut)")
            // The first packet starts after the IOHeader; damage its compressed body.
            let headerLength = Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 14, as: UInt32.self) }))
            let first = 18 + headerLength
            var flipped = bytes
            for k in stride(from: first + 40, to: first + 200, by: 7) { flipped[k] ^= 0xA5 }
            let damaged = error(flipped)
            XCTAssertTrue(damaged.hasPrefix("d.aedat4: byte offset \(first + 8): not a valid AEDAT 4.0 file: packet of stream 0: "), "\(compression): \(damaged)")
        }
    }
}
