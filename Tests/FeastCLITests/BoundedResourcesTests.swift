import Foundation
import XCTest

/// Inputs built to exhaust memory or to stop reading early: the CLI must
/// fail clearly (or end quietly) in bounded memory.
final class BoundedResourcesTests: XCTestCase {
    /// 50 MB of digits without a newline, streamed through a pipe: the CSV
    /// reader must give up after its line limit, having read only a little.
    func testCSVLineWithoutEndThroughAPipeFailsAfterReadingLittle() throws {
        let total = 50_000_000
        // Under /usr/bin/time (when present) to read the peak memory.
        let timer = "/usr/bin/time"
        let timed = FileManager.default.isExecutableFile(atPath: timer)
        let process = Process()
        let binary = try CLI.binary().path
        process.executableURL = URL(fileURLWithPath: timed ? timer : binary)
        process.arguments = (timed ? ["-f", "maxrss_kb=%M", binary] : []) + ["info", "--format", "csv", "-"]
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
}
