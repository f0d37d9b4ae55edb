import FeastEvents
import Foundation
import XCTest

/// faery (PyPI, pinned 0.7.1 by scripts/setup.sh) through python3: the
/// independent implementation the camera-format tests check feast against.
/// A test writes a small script of its own (faery's Python API) into a
/// temporary folder and runs it on event files.
public enum Faery {
    /// Throws `XCTSkip` when python3 cannot import faery and numpy.
    public static func requireInstalled() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import faery, numpy"]
        check.standardError = FileHandle.nullDevice
        check.standardOutput = FileHandle.nullDevice
        do { try check.run(); check.waitUntilExit() } catch { throw XCTSkip("python3 not runnable: faery cross-checks skipped") }
        guard check.terminationStatus == 0 else {
            throw XCTSkip("python3 -c 'import faery' failed: faery cross-checks skipped (pip install faery==0.7.1)")
        }
    }

    /// Runs `python3 script arguments…`; a non-zero exit fails the calling
    /// test with faery's stderr.
    public static func run(_ script: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script] + arguments
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            XCTFail("faery \(arguments) failed: \(String(decoding: message, as: UTF8.self))", file: file, line: line)
        }
    }
}

/// The event files the faery scripts exchange with the tests: 13-byte
/// little-endian records (uint64 t in µs, uint16 x, uint16 y, uint8
/// polarity), numpy dtype `[("t","<u8"),("x","<u2"),("y","<u2"),("p","u1")]`.
public enum EventRecords {
    public static let recordBytes = 13

    public static func write(_ events: ContiguousArray<Event>, to path: String) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(events.count * recordBytes)
        for e in events {
            withUnsafeBytes(of: UInt64(e.t).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: e.x.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: e.y.littleEndian) { bytes += $0 }
            bytes.append(e.polarity)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The records of `path`; a size that is not a whole number of records fails the test.
    public static func read(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> ContiguousArray<Event> {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(bytes.count % recordBytes, 0, "\(path): not whole 13-byte records", file: file, line: line)
        return bytes.withUnsafeBytes { raw in
            ContiguousArray((0..<bytes.count / recordBytes).map { i in
                let b = raw.baseAddress! + i * recordBytes
                return Event(t: Int64(UInt64(littleEndian: b.loadUnaligned(as: UInt64.self))),
                             x: UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 8, as: UInt16.self)),
                             y: UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 10, as: UInt16.self)),
                             polarity: b.load(fromByteOffset: 12, as: UInt8.self))
            })
        }
    }
}
