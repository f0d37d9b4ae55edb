import FeastEvents
import FeastTestSupport
import Foundation
import XCTest

/// A tiny reader of the N-MNIST 5-byte format for these tests only (the
/// real reader lives in FeastEvents): x, y, p|t[22:16], t[15:8], t[7:0];
/// y == 240 adds 8192 µs to later timestamps.
enum TestData {
    static var root: String { RealData.root }

    /// `count` seeded events anywhere on the 34×34 sensor, gaps of 0–`maxGap` µs.
    static func randomEvents(_ count: Int, seed: UInt64, maxGap: Int = 120) -> ContiguousArray<Event> {
        var rng = SplitMix64(state: seed)
        var t: Int64 = 0
        return ContiguousArray((0..<count).map { _ in
            t += Int64(rng.below(maxGap))
            return Event(t: t, x: UInt16(rng.below(34)), y: UInt16(rng.below(34)), polarity: UInt8(rng.below(2)))
        })
    }

    static func decode(_ data: Data) -> ContiguousArray<Event> {
        var out = ContiguousArray<Event>()
        out.reserveCapacity(data.count / 5)
        var offset: Int64 = 0
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var i = 0
            while i + 5 <= b.count {
                let x = b[i], y = b[i + 1], p = b[i + 2]
                if y == 240 { offset += 8192; i += 5; continue }
                let t = (Int64(p & 127) << 16) | (Int64(b[i + 3]) << 8) | Int64(b[i + 4])
                out.append(Event(t: t + offset, x: UInt16(x), y: UInt16(y), polarity: p >> 7))
                i += 5
            }
        }
        return out
    }

    /// Recordings of `split` ("Train" or "Test") of nmnist-small, sorted by
    /// path; skips the test when the data is absent.
    static func nmnistSmall(_ split: String, limit: Int = .max) throws -> [ContiguousArray<Event>] {
        let folder = root + "/nmnist-small/" + split
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("nmnist-small not found at \(folder) (set FEAST_DATA)")
        }
        var paths: [String] = []
        for digit in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            for f in try FileManager.default.contentsOfDirectory(atPath: folder + "/" + digit).sorted() where f.hasSuffix(".bin") {
                paths.append(folder + "/" + digit + "/" + f)
            }
        }
        return try paths.prefix(limit).map { decode(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    }
}
