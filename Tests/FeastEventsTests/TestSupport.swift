import FeastEvents
import FeastTestSupport
import Foundation
import XCTest

/// Shared helpers: data location, temporary folders, seeded streams.
enum TestSupport {
    /// ``RealData/root``.
    static var dataRoot: String { RealData.root }

    /// The nmnist-small folder, or skip the test with a clear message.
    static func nmnistSmall() throws -> String { try RealData.nmnistSmall() }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryFolder(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "feast-events-tests-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A seeded random stream on a 34×34 sensor. Timestamps start at
    /// `start` and step by 0..<`maxStep` µs, going back by up to
    /// `maxBack` µs with probability 1/16 (never below 0 if `start` ≥ 0).
    static func randomStream(seed: UInt64, count: Int, start: Int64 = 0, maxStep: Int64 = 100, maxBack: Int64 = 0) -> ContiguousArray<Event> {
        var rng = SplitMix64(seed: seed)
        var t = start
        var events = ContiguousArray<Event>()
        events.reserveCapacity(count)
        for _ in 0..<count {
            if maxBack > 0 && rng.next() % 16 == 0 {
                t = max(start, t - Int64(rng.next() % UInt64(maxBack)))
            } else {
                t += Int64(rng.next() % UInt64(maxStep))
            }
            events.append(Event(t: t, x: UInt16(rng.next() % 34), y: UInt16(rng.next() % 34), polarity: UInt8(rng.next() & 1)))
        }
        return events
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func bytes(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// One `.bin` record.
    static func record(x: UInt8, y: UInt8, p: UInt8, t: Int) -> [UInt8] {
        [x, y, (p << 7) | UInt8((t >> 16) & 0x7F), UInt8((t >> 8) & 0xFF), UInt8(t & 0xFF)]
    }

    /// Writes `events` with `makeSink` and reads them back with `makeSource`.
    static func readAll(_ source: inout some EventSource) throws -> ContiguousArray<Event> {
        try source.readAll()
    }

    /// The message of the error `body` throws (fails when it does not throw).
    static func errorMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// A pipe whose write end is fed `bytes` in pieces of `piece` bytes by a
    /// background thread; returns the read end.
    static func pipeFeeding(_ bytes: [UInt8], piece: Int) -> Int32 {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let thread = Thread {
            var offset = 0
            bytes.withUnsafeBytes { raw in
                while offset < bytes.count {
                    let n = Foundation.write(writeEnd, raw.baseAddress! + offset, min(piece, bytes.count - offset))
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        thread.start()
        return fds[0]
    }
}
