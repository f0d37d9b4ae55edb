@testable import FeastEvents
import FeastTestSupport
import Foundation
import XCTest

/// Event Stream against faery 0.7.1 through its public Python API (which
/// also turns y to the top row): faery writes random 1280×720 recordings,
/// long and sparse enough for runs of overflow bytes, and feast must decode
/// exactly the events faery reads back; faery must read feast's files back
/// unchanged. Skipped when `python3 -c "import faery"` fails.
final class EventStreamFaeryTests: XCTestCase {
    static let script = #"""
    import sys, numpy as np, faery
    mode, src, dst = sys.argv[1:4]
    dt = np.dtype([("t", "<u8"), ("x", "<u2"), ("y", "<u2"), ("p", "u1")])
    if mode == "encode":
        ev = np.fromfile(src, dtype=dt)
        d = np.zeros(len(ev), dtype=faery.EVENTS_DTYPE)
        d["t"], d["x"], d["y"], d["on"] = ev["t"], ev["x"], ev["y"], ev["p"] != 0
        faery.events_stream_from_array(d, dimensions=(1280, 720)).to_file(dst, zero_t0=False)
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
        folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(Array(Self.script.utf8), to: folder + "/faery_es.py")
    }

    private func faery(_ mode: String, _ src: String, _ dst: String) throws {
        try Faery.run(folder + "/faery_es.py", [mode, src, dst])
    }

    /// Dense events with pauses of up to 3 s (runs of thousands of 0xFF bytes).
    private static func recording(seed: UInt64, count: Int) -> ContiguousArray<Event> {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 0
        var events = ContiguousArray<Event>()
        for _ in 0..<count {
            t += rng.next() % 500 == 0 ? Int64(rng.next() % 3_000_000) : Int64(rng.next() % 200)
            events.append(Event(t: t, x: UInt16(rng.next() % 1280), y: UInt16(rng.next() % 720), polarity: UInt8(rng.next() & 1)))
        }
        return events
    }

    func testFaeryWrittenRecordingDecodesExactlyAsFaeryReadsIt() throws {
        let events = Self.recording(seed: 11, count: 60_000)
        try EventRecords.write(events, to: folder + "/in.bin")
        try faery("encode", folder + "/in.bin", folder + "/f.es")
        try faery("decode", folder + "/f.es", folder + "/theirs.bin")
        let theirs = try EventRecords.read(folder + "/theirs.bin")
        var reader = try EventStreamReader(input: try ByteInput.open(path: folder + "/f.es", capacity: 4096), chunkCapacity: 1000)
        let ours = try reader.readAll()
        XCTAssertEqual(theirs.count, events.count)
        XCTAssertEqual(ours.count, theirs.count)
        XCTAssertTrue(ours == theirs, "first difference at \(ours.indices.first { $0 < theirs.count && ours[$0] != theirs[$0] } ?? -1)")
        XCTAssertTrue(ours == events, "faery's file holds the events it was given")
        XCTAssertEqual(reader.geometry, SensorGeometry(width: 1280, height: 720))
    }

    func testFaeryReadsOurFilesBackUnchanged() throws {
        let events = Self.recording(seed: 12, count: 60_000)
        var writer = try EventStreamWriter(path: folder + "/ours.es", geometry: SensorGeometry(width: 1280, height: 720))
        try writer.write(events)
        try writer.finish()
        try faery("decode", folder + "/ours.es", folder + "/back.bin")
        let back = try EventRecords.read(folder + "/back.bin")
        XCTAssertEqual(back.count, events.count)
        XCTAssertTrue(back == events, "first difference at \(back.indices.first { $0 < events.count && back[$0] != events[$0] } ?? -1)")
    }
}
