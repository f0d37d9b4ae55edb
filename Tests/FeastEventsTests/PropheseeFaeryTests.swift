@testable import FeastEvents
import FeastTestSupport
import Foundation
import XCTest

/// Cross-checks of the Prophesee codecs against faery 0.7.1 (an independent
/// Rust implementation): faery writes random 1280×720 recordings with every
/// timestamp wrap of the format and its decoding must equal ours exactly;
/// faery reads our writers' files back to the same events. Skipped when
/// `python3 -c "import faery"` fails.
final class PropheseeFaeryTests: XCTestCase {
    typealias B = PropheseeBytes

    /// faery side: `encode FORMAT IN OUT` writes events (packed t u64, x u16,
    /// y u16, p u8) as FORMAT; `decode FORMAT IN OUT` dumps a file's events.
    static let script = #"""
    import sys, numpy as np, faery
    from faery import extension
    mode, fmt, src, dst = sys.argv[1:5]
    dt = np.dtype([("t", "<u8"), ("x", "<u2"), ("y", "<u2"), ("p", "u1")])
    if mode == "encode":
        ev = np.fromfile(src, dtype=dt)
        if fmt == "dat":
            d = np.zeros(len(ev), dtype=[("t", "<u8"), ("x", "<u2"), ("y", "<u2"), ("payload", "u1")])
            d["t"], d["x"], d["y"], d["payload"] = ev["t"], ev["x"], ev["y"], ev["p"]
            with extension.dat.Encoder(path=dst, version="dat2", event_type="cd", zero_t0=False, dimensions=(1280, 720)) as e:
                e.write(d)
        else:
            d = np.zeros(len(ev), dtype=faery.EVENTS_DTYPE)
            d["t"], d["x"], d["y"], d["on"] = ev["t"], ev["x"], ev["y"], ev["p"] != 0
            with extension.evt.Encoder(path=dst, version=fmt, zero_t0=False, dimensions=(1280, 720), enforce_monotonic=True) as e:
                e.write({"events": d})
    else:
        out = []
        if fmt == "dat":
            with extension.dat.Decoder(src, None, None) as d:
                for p in d:
                    a = np.zeros(len(p), dtype=dt); a["t"], a["x"], a["y"], a["p"] = p["t"], p["x"], p["y"], p["payload"] != 0; out.append(a)
        else:
            with extension.evt.Decoder(src, None, None) as d:
                for p in d:
                    if "events" in p:
                        e = p["events"]; a = np.zeros(len(e), dtype=dt); a["t"], a["x"], a["y"], a["p"] = e["t"], e["x"], e["y"], e["on"]; out.append(a)
        (np.concatenate(out) if out else np.zeros(0, dtype=dt)).tofile(dst)
    """#

    private var folder = ""

    override func setUpWithError() throws {
        try Faery.requireInstalled()
        folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(Array(Self.script.utf8), to: folder + "/faery_io.py")
    }

    private func faery(_ mode: String, _ format: String, _ src: String, _ dst: String) throws {
        try Faery.run(folder + "/faery_io.py", [mode, format, src, dst])
    }

    /// faery writes `events` as `format`; our reader and faery's must agree.
    private func checkFaeryWritten(_ events: ContiguousArray<Event>, format: String, read: (String) throws -> ContiguousArray<Event>,
                                   file: StaticString = #filePath, line: UInt = #line) throws -> ContiguousArray<Event> {
        try EventRecords.write(events, to: folder + "/in.bin")
        try faery("encode", format, folder + "/in.bin", folder + "/f.\(format)")
        try faery("decode", format, folder + "/f.\(format)", folder + "/out.bin")
        let theirs = try EventRecords.read(folder + "/out.bin")
        let ours = try read(folder + "/f.\(format)")
        XCTAssertEqual(ours.count, theirs.count, file: file, line: line)
        XCTAssertTrue(ours == theirs, "first difference at \(ours.indices.first { $0 < theirs.count && ours[$0] != theirs[$0] } ?? -1)", file: file, line: line)
        return theirs
    }

    /// Our writer writes `events`; faery must read them back unchanged.
    private func checkFaeryReads(_ events: ContiguousArray<Event>, format: String, sink: (String) throws -> any EventSink,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        var writer = try sink(folder + "/ours.raw")
        try writer.write(events)
        try writer.finish()
        try faery("decode", format, folder + "/ours.raw", folder + "/back.bin")
        let back = try EventRecords.read(folder + "/back.bin")
        XCTAssertEqual(back.count, events.count, file: file, line: line)
        XCTAssertTrue(back == events, "first difference at \(back.indices.first { $0 < events.count && back[$0] != events[$0] } ?? -1)", file: file, line: line)
    }

    private static func readEVT3(_ path: String) throws -> ContiguousArray<Event> {
        var r = try EVT3Reader(input: try ByteInput.open(path: path, capacity: 4096), chunkCapacity: 1000)
        return try r.readAll()
    }

    private static func readEVT2(_ path: String) throws -> ContiguousArray<Event> {
        var r = try EVT2Reader(input: try ByteInput.open(path: path, capacity: 4096), chunkCapacity: 1000)
        return try r.readAll()
    }

    private static func readDAT(_ path: String) throws -> ContiguousArray<Event> {
        var r = try DATReader(input: try ByteInput.open(path: path, capacity: 4096), chunkCapacity: 1000)
        return try r.readAll()
    }

    /// Random events with a few long pauses.
    private static func sparse(seed: UInt64, count: Int, maxGap: UInt64) -> ContiguousArray<Event> {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 0
        return ContiguousArray((0..<count).map { i in
            t += Int64(i % 50 == 0 ? rng.next() % maxGap : rng.next() % 300)
            return Event(t: t, x: UInt16(rng.next() % 1280), y: UInt16(rng.next() % 720), polarity: UInt8(rng.next() & 1))
        })
    }

    func testEVT3FaeryWrittenRecordingOverTwoWrapsDecodesLikeFaery() throws {
        // Gaps below 4096 µs: faery's writer steps TIME_HIGH by 1, so faery reads its own file back.
        var events = B.random(seed: 11, count: 50_000, maxStep: 1400)
        // Rows of neighbouring pixels at one time: faery writes them as vectors.
        var rng = SplitMix64(seed: 21)
        for row in 0..<200 {
            let t = events.last!.t + Int64(rng.next() % 1000)
            let start = Int(rng.next() % 1200), p = Int(rng.next() & 1)
            for x in start..<start + 1 + Int(rng.next() % 70) where x < 1280 && rng.next() % 3 != 0 { events.append(ev(t, x, row, p)) }
        }
        XCTAssertGreaterThan(events.last!.t, 2 << 24)
        let theirs = try checkFaeryWritten(events, format: "evt3", read: Self.readEVT3)
        XCTAssertEqual(theirs, events)
    }

    func testEVT3FaeryWrittenSparseRecordingDecodesLikeFaeryEvenWhereFaeryLosesTime() throws {
        // Pauses of up to 60 s: faery's writer steps TIME_HIGH by 1024 and
        // its reader misses those wraps; ours matches faery's reading.
        let events = Self.sparse(seed: 12, count: 5_000, maxGap: 60_000_000)
        let theirs = try checkFaeryWritten(events, format: "evt3", read: Self.readEVT3)
        XCTAssertNotEqual(theirs.map(\.t), events.map(\.t), "faery is expected to miss wraps of its own sparse files")
    }

    func testEVT2FaeryWrittenRecordingOverA2To34WrapDecodesLikeFaery() throws {
        // Pauses of up to 2^33 µs cross 2^34 µs (4.8 h) twice.
        let events = Self.sparse(seed: 13, count: 20_000, maxGap: 1 << 33)
        XCTAssertGreaterThan(events.last!.t, 2 << 34)
        let theirs = try checkFaeryWritten(events, format: "evt2", read: Self.readEVT2)
        XCTAssertEqual(theirs, events)
    }

    func testDATFaeryWrittenRecordingOverA2To32WrapDecodesLikeFaery() throws {
        let events = Self.sparse(seed: 14, count: 20_000, maxGap: 1 << 30)
        XCTAssertGreaterThan(events.last!.t, 2 << 32)
        let theirs = try checkFaeryWritten(events, format: "dat", read: Self.readDAT)
        XCTAssertEqual(theirs, events)
    }

    func testFaeryReadsOurEVT3WithEveryWrap() throws {
        var events = Self.sparse(seed: 15, count: 20_000, maxGap: 60_000_000)
        events += B.random(seed: 16, count: 20_000, maxStep: 2000).map { Event(t: $0.t + events.last!.t, x: $0.x, y: $0.y, polarity: $0.polarity) }
        XCTAssertGreaterThan(events.last!.t, 10 << 24)
        try checkFaeryReads(events, format: "evt3") { EVT3Writer(output: try ByteOutput(path: $0), geometry: SensorGeometry(width: 1280, height: 720)) }
    }

    func testFaeryReadsOurEVT2WithEveryWrap() throws {
        let events = Self.sparse(seed: 17, count: 20_000, maxGap: 1 << 33)
        XCTAssertGreaterThan(events.last!.t, 2 << 34)
        try checkFaeryReads(events, format: "evt2") { EVT2Writer(output: try ByteOutput(path: $0), geometry: SensorGeometry(width: 1280, height: 720)) }
    }
}
