import Foundation
import XCTest
import FeastTestSupport

/// Runs the built `feast` binary.
enum CLI {
    /// The `feast` executable: `FEAST_BIN`, else beside the test bundle
    /// (Linux: `.build/<config>/feast` next to `feastPackageTests.xctest`;
    /// macOS: three levels up from the bundle's executable).
    static func binary() throws -> URL {
        var candidates = [URL]()
        if let env = ProcessInfo.processInfo.environment["FEAST_BIN"] { candidates.append(URL(fileURLWithPath: env)) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("feast"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("feast"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("feast"))
        }
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue { return url }
        }
        throw XCTSkip("feast binary not found beside the tests (looked at \(candidates.map(\.path))); set FEAST_BIN")
    }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `feast args...`, feeding `stdin` (if any); waits for the exit.
    static func run(_ args: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(stdin)
                try? writer.close()
            }
        }
        // Read both pipes concurrently so a full stderr pipe cannot block.
        let errorData = readInBackground(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errorData(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: stderr)
    }

    /// Starts reading `pipe` to its end on a thread of its own (so a child
    /// that fills it cannot block); the returned function waits for and
    /// returns what was read.
    static func readInBackground(_ pipe: Pipe) -> () -> Data {
        nonisolated(unsafe) var data = Data()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        return {
            done.wait()
            return data
        }
    }

    /// Runs a shell pipeline (for `| head`), returning status and output.
    static func shell(_ script: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["FEAST": try binary().path]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    static var dataRoot: String { RealData.root }

    static func nmnistSmall() throws -> String { try RealData.nmnistSmall() }

    static func temporaryFolder(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "feast-cli-tests-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    static func record(x: UInt8, y: UInt8, p: UInt8, t: Int) -> [UInt8] {
        [x, y, (p << 7) | UInt8((t >> 16) & 0x7F), UInt8((t >> 8) & 0xFF), UInt8(t & 0xFF)]
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}

/// The 64-bit LCG (Knuth's MMIX constants) the CLI tests draw seeded
/// recordings from; `next()` gives the state's top 31 bits.
struct TestLCG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
}
