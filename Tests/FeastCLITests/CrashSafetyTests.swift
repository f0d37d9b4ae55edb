import Foundation
import XCTest

/// kill -9 during `train` and during `stream --learn`, then `--resume`: the
/// same final network as an uninterrupted run (bit-exact, float and fixed
/// point); a full disk (`ulimit -f`) gives a clear error and leaves the
/// previous file intact with no temporary file behind.
final class CrashSafetyTests: XCTestCase {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A synthetic dataset (`feast simulate`, train split only).
    func simulated(_ folder: String, perClass: Int) throws -> String {
        let path = folder + "/data"
        let result = try CLI.run(["simulate", "--out", path, "--train-per-class", "\(perClass)", "--test-per-class", "0", "--seed", "11"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return path
    }

    /// Starts feast; once `file` exists, SIGKILLs it. Returns true when it
    /// was killed (false: it exited by itself first).
    func killAfter(fileAppears file: String, _ arguments: [String], stdin: FileHandle? = nil) throws -> Bool {
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = arguments
        process.standardInput = stdin ?? FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: file) && process.isRunning && Date() < deadline { usleep(500) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    /// Temporary files (`.NAME.tmp-*`) in `folder`.
    func temporaries(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
    }

    // MARK: - train

    func killedTrainingResumesToTheSameNetwork(fixed: Bool) throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try simulated(folder, perClass: 10)
        let common = ["--neurons", "16", "--epochs", "4", "--seed", "7", "--history-interval", "5000"] + (fixed ? ["--arithmetic", "fixed"] : [])
        let whole = try CLI.run(["train", data, "-o", folder + "/whole.h5"] + common)
        XCTAssertEqual(whole.status, 0, whole.stderr)

        let checkpoint = folder + "/ck.h5", network = folder + "/net.h5"
        let killed = try killAfter(fileAppears: checkpoint, ["train", data, "-o", network, "--checkpoint", checkpoint, "--every", "20000"] + common)
        XCTAssertTrue(killed, "training ended before it could be killed after its first checkpoint")
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
        XCTAssertFalse(FileManager.default.fileExists(atPath: network), "a killed run wrote its final network")

        let resumed = try CLI.run(["train", data, "-o", network, "--every", "20000", "--resume", checkpoint] + common)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try bytes(network), try bytes(folder + "/whole.h5"), "resumed after kill -9 must be bit-identical")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/net.checkpoint.h5"), "the run's own checkpoint is removed at the end")
    }

    func testKilledFloatTrainingResumesFromItsLastPeriodicCheckpointToTheSameNetwork() throws {
        try killedTrainingResumesToTheSameNetwork(fixed: false)
    }

    func testKilledFixedPointTrainingResumesFromItsLastPeriodicCheckpointBitExact() throws {
        try killedTrainingResumesToTheSameNetwork(fixed: true)
    }

    // MARK: - stream --learn

    /// The simulated training recordings as one CSV stream (t,x,y,p rows,
    /// timestamps shifted so they keep increasing), without its header.
    func streamRows(_ data: String) throws -> [String] {
        let files = try FileManager.default.subpathsOfDirectory(atPath: data + "/Train").filter { $0.hasSuffix(".bin") }.sorted()
        var rows = [String]()
        var offset: Int64 = 0
        for file in files {
            let d = [UInt8](try bytes(data + "/Train/" + file))
            var last: Int64 = 0
            for i in stride(from: 0, to: d.count - 4, by: 5) where d[i + 1] != 240 {
                let t = Int64(d[i + 2] & 0x7F) << 16 | Int64(d[i + 3]) << 8 | Int64(d[i + 4])
                rows.append("\(offset + t),\(d[i]),\(d[i + 1]),\(d[i + 2] >> 7)")
                last = max(last, t)
            }
            offset += last + 1_000
        }
        return rows
    }

    func killedStreamResumesToTheSameNetwork(fixed: Bool) throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try simulated(folder, perClass: 2)
        let network = folder + "/net.h5"
        let trained = try CLI.run(["train", data, "-o", network, "--neurons", "8", "--radius", "3"] + (fixed ? ["--arithmetic", "fixed"] : []))
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let rows = try streamRows(data)
        let every = 10_000
        XCTAssertGreaterThan(rows.count, 3 * every)
        func csv(_ part: ArraySlice<String>) -> Data { Data(("t,x,y,p\n" + part.joined(separator: "\n") + "\n").utf8) }

        let whole = try CLI.run(["stream", "--network", network, "--learn", "--checkpoint", folder + "/whole.h5", "--every", "\(every)"],
                                stdin: csv(rows[...]))
        XCTAssertEqual(whole.status, 0, whole.stderr)

        // 1.5 periods fed and the input left open, as a live stream: exactly
        // one checkpoint (after event 10,000) can exist when it is killed.
        let checkpoint = folder + "/live.h5"
        let input = Pipe()
        signal(SIGPIPE, SIG_IGN)
        let feed = csv(rows[0..<(every * 3 / 2)])
        // After the kill the write fails (EPIPE): thrown, not a trap.
        Thread.detachNewThread { try? input.fileHandleForWriting.write(contentsOf: feed) }
        let killed = try killAfter(fileAppears: checkpoint, ["stream", "--network", network, "--learn", "--checkpoint", checkpoint,
                                                             "--every", "\(every)"], stdin: input.fileHandleForReading)
        try? input.fileHandleForWriting.close()
        XCTAssertTrue(killed)

        // Resume: the events after the checkpoint's 10,000.
        let resumed = try CLI.run(["stream", "--resume", checkpoint, "--learn", "--every", "\(every)"], stdin: csv(rows[every...]))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming \(checkpoint) after input event \(every): stdin must hold the events that follow"), resumed.stderr)
        XCTAssertEqual(try bytes(checkpoint), try bytes(folder + "/whole.h5"), "resumed stream must end with the uninterrupted network, bit for bit")
        // The output events after the checkpoint are those of the whole run's tail.
        let tail = whole.text.split(separator: "\n").suffix(resumed.text.split(separator: "\n").count - 1)
        XCTAssertEqual(Array(resumed.text.split(separator: "\n").dropFirst()), Array(tail))
    }

    func testKilledLearningFloatStreamResumesAfterItsLastCheckpointToTheSameNetwork() throws {
        try killedStreamResumesToTheSameNetwork(fixed: false)
    }

    func testKilledLearningFixedPointStreamResumesAfterItsLastCheckpointBitExact() throws {
        try killedStreamResumesToTheSameNetwork(fixed: true)
    }

    // MARK: - full disk

    /// Runs feast under `ulimit -f` (1 KiB blocks in bash): writes past it
    /// fail with EFBIG (feast ignores SIGXFSZ).
    func runLimited(_ blocks: Int, _ arguments: [String]) throws -> CLI.Result {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        return try CLI.shell("ulimit -f \(blocks); exec \"$FEAST\" \(quoted)")
    }

    func testFullDiskGivesAClearErrorAndKeepsThePreviousFileWithoutTemporaries() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try simulated(folder, perClass: 1)
        let network = folder + "/net.h5"
        XCTAssertEqual(try CLI.run(["train", data, "-o", network, "--neurons", "64"]).status, 0)
        let good = try bytes(network)
        XCTAssertGreaterThan(good.count, 32 * 1024, "the network must be larger than the limit")

        let train = try runLimited(16, ["train", data, "-o", network, "--neurons", "64", "--seed", "2"])
        XCTAssertEqual(train.status, 1, train.stderr)
        XCTAssertTrue(train.stderr.contains("Error: \(network): "), train.stderr)
        XCTAssertTrue(train.stderr.contains("File too large"), train.stderr)
        XCTAssertEqual(try bytes(network), good, "the previous network must stay intact")

        // Event files: the .bin writer and the HDF5 writer.
        let csv = folder + "/events.csv"
        // Pseudo-random, so that gzip cannot squeeze the HDF5 output below the limit.
        var text = "t,x,y,p\n"
        var state: UInt64 = 12_345, t: UInt64 = 0
        for _ in 0..<40_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = state >> 33
            t += r % 997
            text += "\(t),\(r % 34),\((r >> 8) % 34),\((r >> 16) % 2)\n"
        }
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        for ext in ["bin", "h5"] {
            let output = folder + "/out." + ext
            XCTAssertEqual(try CLI.run(["convert", data + "/Train/0/00001.bin", output]).status, 0)
            let previous = try bytes(output)
            let result = try runLimited(16, ["convert", csv, output])
            XCTAssertEqual(result.status, 1, "\(ext): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("Error: \(output): "), "\(ext): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("File too large"), "\(ext): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Signal") || result.stderr.contains("crashed"), "\(ext): \(result.stderr)")
            XCTAssertEqual(try bytes(output), previous, "\(ext): the previous file must stay intact")
        }
        XCTAssertEqual(try temporaries(folder), [], "temporary files left behind")
    }
}
