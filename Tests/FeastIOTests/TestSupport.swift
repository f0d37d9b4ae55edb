import XCTest
import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh empty folder under /tmp, removed when the test case ends.
func makeTemporaryFolder(_ testCase: XCTestCase) -> String {
    var template = Array("/tmp/feastio-test-XXXXXX".utf8CString)
    let folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    testCase.addTeardownBlock {
        _ = try? FileManager.default.removeItem(atPath: folder)
    }
    return folder
}

/// Writes raw bytes to `path`.
func writeBytes(_ bytes: [UInt8], to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// Files in `folder` (names only), sorted.
func listFolder(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

/// The message of a thrown error, or nil when nothing was thrown.
func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return "\(error)" }
}

/// Runs python3 with h5py on `script`; nil if python3 or h5py is missing.
func runPythonH5py(_ script: String) -> (status: Int32, output: String)? {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import h5py"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return nil }
    probe.waitUntilExit()
    guard probe.terminationStatus == 0 else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}


/// `count` seeded events on the 34×34 sensor, gaps of 1–300 µs.
func randomNetworkEvents(_ count: Int, seed: UInt64) -> ContiguousArray<Event> {
    var generator = SplitMix64(seed: seed)
    var t: Int64 = 0
    return ContiguousArray((0..<count).map { _ in
        t += Int64.random(in: 1...300, using: &generator)
        return Event(t: t, x: UInt16.random(in: 0..<34, using: &generator), y: UInt16.random(in: 0..<34, using: &generator),
                     polarity: UInt8.random(in: 0...1, using: &generator))
    })
}
