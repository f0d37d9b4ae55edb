@testable import FeastEvents
import Foundation

/// Hand-assembled Prophesee files for the codec tests.
enum PropheseeBytes {
    static let evt3Header = "% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n"
    static let evt2Header = "% evt 2.0\n% format EVT2;height=720;width=1280\n% end\n"

    static func evt3(_ words: [UInt16], header: String = evt3Header) -> [UInt8] {
        Array(header.utf8) + words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func evt2(_ words: [UInt32], header: String = evt2Header) -> [UInt8] {
        Array(header.utf8) + words.flatMap { w in (0..<4).map { UInt8((w >> (8 * $0)) & 0xFF) } }
    }

    // EVT 3.0 words.
    static func y(_ v: Int) -> UInt16 { UInt16(v) }
    static func x(_ v: Int, p: Int = 1) -> UInt16 { 0x2000 | UInt16(p << 11) | UInt16(v) }
    static func base(_ v: Int, p: Int = 1) -> UInt16 { 0x3000 | UInt16(p << 11) | UInt16(v) }
    static func v12(_ bits: Int) -> UInt16 { 0x4000 | UInt16(bits) }
    static func v8(_ bits: Int) -> UInt16 { 0x5000 | UInt16(bits) }
    static func low(_ v: Int) -> UInt16 { 0x6000 | UInt16(v) }
    static func high(_ v: Int) -> UInt16 { 0x8000 | UInt16(v) }

    // EVT 2.0 words.
    static func cd(p: Int, lsb: Int, x: Int, y: Int) -> UInt32 { UInt32(p) << 28 | UInt32(lsb) << 22 | UInt32(x) << 11 | UInt32(y) }
    static func high2(_ v: Int) -> UInt32 { 0x8000_0000 | UInt32(v) }

    /// Reads all events with a small buffer (64 bytes: words split across refills).
    static func read<S: EventSource>(_ make: (ByteInput) throws -> S, _ bytes: [UInt8], capacity: Int = 64, test: String = "t.raw") throws -> (ContiguousArray<Event>, S) {
        let folder = NSTemporaryDirectory() + "feast-prophesee-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + test
        TestSupport.write(bytes, to: path)
        let input = try ByteInput.open(path: path, capacity: capacity)
        var source = try make(input)
        let events = try source.readAll()
        return (events, source)
    }

    /// Random sorted events on 1280×720 with gaps up to `maxStep` µs.
    static func random(seed: UInt64, count: Int, maxStep: UInt64, width: Int = 1280, height: Int = 720) -> ContiguousArray<Event> {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 0
        var events = ContiguousArray<Event>()
        for _ in 0..<count {
            t += Int64(rng.next() % maxStep)
            events.append(Event(t: t, x: UInt16(rng.next() % UInt64(width)), y: UInt16(rng.next() % UInt64(height)), polarity: UInt8(rng.next() & 1)))
        }
        return events
    }
}

/// `Event` shorthand.
func ev(_ t: Int64, _ x: Int, _ y: Int, _ p: Int) -> Event { Event(t: t, x: UInt16(x), y: UInt16(y), polarity: UInt8(p)) }
