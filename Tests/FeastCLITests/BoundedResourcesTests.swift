import Foundation
import XCTest

/// Inputs built to exhaust memory or to stop reading early: the CLI must
/// fail clearly (or end quietly) in bounded memory.
final class BoundedResourcesTests: XCTestCase {
    static var seedNetwork: String {
        OptionValidationTests.packageRoot.appendingPathComponent("Fuzz/corpus/fuzz-network/float-n2-r1.h5").path
    }

    /// 200 MB of digits without a newline, streamed through a pipe: the CSV
    /// reader must give up after its line limit, having read only a little.
    func testCSVLineWithoutEndThroughAPipeFailsAfterReadingLittle() throws {
        try lineWithoutEnd(["info", "--format", "csv", "-"])
    }

    /// The same for `feast stream`, the command that reads stdin for as long as it lasts.
    func testStreamOfALineWithoutEndFailsAfterReadingLittle() throws {
        try lineWithoutEnd(["stream", "--network", Self.seedNetwork])
    }

    func lineWithoutEnd(_ arguments: [String]) throws {
        let total = 200_000_000
        // Under /usr/bin/time (when present) to read the peak memory.
        let timer = "/usr/bin/time"
        let timed = FileManager.default.isExecutableFile(atPath: timer)
        let process = Process()
        let binary = try CLI.binary().path
        process.executableURL = URL(fileURLWithPath: timed ? timer : binary)
        process.arguments = (timed ? ["-f", "maxrss_kb=%M", binary] : []) + arguments
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        // The write end sees EPIPE once feast exits: an error, not a signal.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let fd = input.fileHandleForWriting.fileDescriptor
        nonisolated(unsafe) var written = 0
        let writer = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let block = [UInt8](repeating: UInt8(ascii: "7"), count: 65_536)
            while written < total {
                let n = block.withUnsafeBytes { write(fd, $0.baseAddress!, min($0.count, total - written)) }
                if n <= 0 { break }
                written += n
            }
            try? input.fileHandleForWriting.close()
            writer.signal()
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        writer.wait()
        XCTAssertEqual(process.terminationReason, .exit, stderr)
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("Error: -:1: line longer than 4096 bytes"), stderr)
        // The pipe buffer and one read buffer at most, not the 50 MB.
        XCTAssertLessThan(written, 4_000_000, "feast kept reading a line it had to reject")
        if timed, let line = stderr.split(separator: "\n").last(where: { $0.hasPrefix("maxrss_kb=") }),
           let kb = Int(line.dropFirst("maxrss_kb=".count)) {
            XCTAssertLessThan(kb, 200_000, "peak memory \(kb) KB for a rejected line")
        }
    }

    /// `feast info` over many recordings into `head -n 1`: the early close
    /// of stdout ends the command with status 0 and no message, as convert does.
    func testInfoIntoAClosedPipeEndsQuietly() throws {
        let folder = try CLI.temporaryFolder(self)
        let classFolder = folder + "/Train/0"
        try FileManager.default.createDirectory(atPath: classFolder, withIntermediateDirectories: true)
        // 1,000 rows of about 150 bytes: more than a pipe buffer.
        for i in 0..<1_000 {
            CLI.write(CLI.record(x: 1, y: 2, p: 1, t: i), to: classFolder + String(format: "/%05d.bin", i))
        }
        let result = try CLI.shell("set -o pipefail; \"$FEAST\" info '\(folder)' | head -n 1 > /dev/null")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    /// `feast stream` into `head -n 3`: status 0, nothing on stderr.
    func testStreamIntoAClosedPipeEndsQuietly() throws {
        let folder = try CLI.temporaryFolder(self)
        var csv = "t,x,y,p\n"
        for i in 0..<200_000 { csv += "\(i * 10),\(i % 34),\((i / 34) % 34),\(i % 2)\n" }
        try csv.write(toFile: folder + "/in.csv", atomically: true, encoding: .utf8)
        let result = try CLI.shell("set -o pipefail; \"$FEAST\" stream --network '\(Self.seedNetwork)' < '\(folder)/in.csv' | head -n 3")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.text.split(separator: "\n").first, "t,x,y,p,neuron")
    }

    /// Ctrl-C on a learning stream idle on a quiet pipe: it stops at once,
    /// saves the checkpoint and exits with status 130.
    func testCtrlCOnAnIdleLearningStreamSavesItsCheckpointAndExits130() throws {
        let folder = try CLI.temporaryFolder(self)
        let checkpoint = folder + "/live.h5"
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["stream", "--network", Self.seedNetwork, "--learn", "--checkpoint", checkpoint]
        let input = Pipe(), output = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = err
        try process.run()
        signal(SIGPIPE, SIG_IGN)
        try input.fileHandleForWriting.write(contentsOf: Data("t,x,y,p\n1,2,3,1\n5,6,7,0\n".utf8))
        // The header line on stdout: the stream is running (and then waits for input).
        // Guarded: a stream that never answers must fail this test, not hang CI.
        let started = DispatchSemaphore(value: 0)
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")), let byte = try? reader.read(upToCount: 1), !byte.isEmpty { seen.append(byte) }
            started.signal()
        }
        if started.wait(timeout: .now() + 60) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            XCTFail("the stream printed no header line within 60 s of its first input events")
            return
        }
        Thread.sleep(forTimeInterval: 0.3)
        let sent = Date()
        process.interrupt()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { process.waitUntilExit(); done.signal() }
        if done.wait(timeout: .now() + 15) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            XCTFail("the stream did not stop on Ctrl-C while waiting for input")
            return
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try? input.fileHandleForWriting.close()
        XCTAssertLessThan(Date().timeIntervalSince(sent), 10)
        XCTAssertEqual(process.terminationReason, .exit, stderr)
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted after input event 2: network saved to \(checkpoint)"), stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
    }

    /// 100 million events through `feast stream` (N = 2, R = 1), generated
    /// on the fly into its stdin (1 M-event blocks of increasing timestamps,
    /// joined by overflow markers): the peak memory after 100 M events is
    /// that after 10 M (within 10 %) and below 100 MB. Linux (/proc) only.
    func testStreamingHundredMillionEventsKeepsPeakMemoryFlat() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/status") else { throw XCTSkip("needs /proc") }
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["stream", "--network", Self.seedNetwork, "--format", "nmnist"]
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errorData = CLI.readInBackground(err)
        // One block: 1,000,000 events 8 µs apart (8 s, within the 23-bit
        // timestamps), then 1,000 overflow markers (+8.192 s).
        var block = [UInt8]()
        block.reserveCapacity(5_005_000)
        var state: UInt64 = 99
        for i in 0..<1_000_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = Int(state >> 33)
            block += CLI.record(x: UInt8(r % 34), y: UInt8((r >> 8) % 34), p: UInt8((r >> 16) & 1), t: i * 8)
        }
        for _ in 0..<1_000 { block += CLI.record(x: 0, y: 240, p: 0, t: 0) }
        func peakKB() -> Int? {
            guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        signal(SIGPIPE, SIG_IGN)
        let writer = input.fileHandleForWriting
        var at10M: Int?
        for b in 1...100 {
            try block.withUnsafeBytes { try writer.write(contentsOf: $0) }
            if b == 10 { at10M = peakKB() }
        }
        let at100M = peakKB()
        try writer.close()
        process.waitUntilExit()
        let stderr = String(decoding: errorData(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let small = try XCTUnwrap(at10M), large = try XCTUnwrap(at100M)
        print("feast stream peak RSS: \(small) KB after 10 M events, \(large) KB after 100 M events")
        XCTAssertLessThanOrEqual(Double(large), Double(small) * 1.10, "peak memory grew from \(small) KB to \(large) KB")
        XCTAssertLessThan(large, 100_000, "peak memory \(large) KB")
    }
}
