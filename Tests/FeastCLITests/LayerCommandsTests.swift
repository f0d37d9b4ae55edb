import Foundation
import XCTest

/// `feast train`, `extract`, `stream` and `render` on the real N-MNIST recordings.
final class LayerCommandsTests: XCTestCase {
    /// A labels CSV of the first `count` training recordings (absolute paths),
    /// marked train, plus `test` recordings marked test.
    func subset(_ count: Int, test: Int = 0, in folder: String) throws -> String {
        let root = try CLI.nmnistSmall()
        let lines = try String(contentsOfFile: root + "/labels.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let train = lines.filter { $0.contains(",train") }.prefix(count)
        let tests = lines.filter { $0.contains(",test") }.prefix(test)
        var csv = "file,label,split\n"
        for line in train + tests {
            let f = line.split(separator: ",")
            csv += "\(root)/\(f[0]),\(f[1]),\(f[2])\n"
        }
        let path = folder + "/subset.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.text)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// size, sweep bits and hw-report read events through the same filters
    /// as every other command: hw-report measures exactly the ON events
    /// `feast info --polarity on` counts, and size's and sweep's figures move.
    func testSizeSweepAndHardwareReportSeeTheFilteredEvents() throws {
        let folder = try CLI.temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["simulate", "--out", folder + "/d", "--train-per-class", "2", "--test-per-class", "1", "--seed", "4"]).status, 0)
        let info = try json(CLI.run(["info", "--json", "--polarity", "on", folder + "/d/Test"]))
        let onEvents = try XCTUnwrap((info["total"] as? [String: Any])?["events"] as? Int, "\(info)")
        let hw = ["hw-report", "--neurons", "8", "--radius", "3", "--arithmetic", "fixed", "--data", folder + "/d", "--json"]
        let all = try XCTUnwrap(try json(CLI.run(hw))["measured"] as? [String: Any])
        let on = try XCTUnwrap(try json(CLI.run(hw + ["--polarity", "on"]))["measured"] as? [String: Any])
        XCTAssertEqual(on["events"] as? Int, onEvents)
        XCTAssertGreaterThan(all["events"] as! Int, onEvents)

        let size = ["size", folder + "/d", "--neurons", "4", "--radius", "3", "--no-classifier", "--json"]
        let sizeRows = { (r: [String: Any]) in (r["rows"] as! [[String: Any]]).map { $0["isolated_share"] as! Double } }
        XCTAssertNotEqual(sizeRows(try json(CLI.run(size))), sizeRows(try json(CLI.run(size + ["--polarity", "off"]))))

        let sweep = ["sweep", "bits", folder + "/d", "--weight-bits", "8", "--neurons", "8", "--radius", "3", "--features", "hist", "--json"]
        let missRates = { (r: [String: Any]) in (r["rows"] as! [[String: Any]]).map { $0["miss_rate"] as! Double } }
        XCTAssertNotEqual(missRates(try json(CLI.run(sweep))), missRates(try json(CLI.run(sweep + ["--time-window", "0,100000"]))))
    }

    // MARK: - train

    func testTrainOneEpochOnRealRecordingsSettlesAtThePredictedMissRate() throws {
        let root = try CLI.nmnistSmall()
        let folder = try CLI.temporaryFolder(self)
        let report = try json(CLI.run(["train", root, "-o", folder + "/net.h5", "--neurons", "16", "--epochs", "1", "--json"]))
        for key in ["events", "events_per_second", "miss_rate", "win_rate_spread", "predicted_miss_rate", "dead_neurons", "converged_at_event"] {
            XCTAssertTrue(report.keys.contains(key), "missing \(key) in \(report)")
        }
        XCTAssertEqual(report["regime"] as? String, "learning")
        let miss = try XCTUnwrap(report["miss_rate"] as? Double)
        let predicted = try XCTUnwrap(report["predicted_miss_rate"] as? Double)
        XCTAssertEqual(predicted, 0.001 / (0.001 + 16 * 0.003), accuracy: 1e-6)
        XCTAssertLessThan(abs(miss / predicted - 1), 0.05, "miss \(miss) vs predicted \(predicted)")
        XCTAssertEqual(report["dead_neurons"] as? Int, 0)
        XCTAssertLessThanOrEqual(try XCTUnwrap(report["win_rate_spread"] as? Double), 1.2)
        // The 801 training recordings only (the 100 test ones are left out).
        let stats = try String(contentsOfFile: root + "/stats.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let trainEvents = stats.filter { $0.hasPrefix("Train/") }.reduce(0) { $0 + Int($1.split(separator: ",")[1])! }
        XCTAssertEqual(report["events"] as? Int, trainEvents)
    }

    func testEventFiltersReachTrainingAndExtraction() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try subset(12, in: folder)
        let all = try json(CLI.run(["train", data, "-o", folder + "/all.h5", "--json"]))
        let on = try json(CLI.run(["train", data, "-o", folder + "/on.h5", "--polarity", "on", "--json"]))
        let info = try json(CLI.run(["info", data, "--polarity", "on", "--json"]))
        let onEvents = try XCTUnwrap((info["total"] as? [String: Any])?["events"] as? Int)
        // Training sees exactly the ON events feast info counts, fewer than all.
        XCTAssertEqual(on["events"] as? Int, onEvents)
        XCTAssertLessThan(onEvents, try XCTUnwrap(all["events"] as? Int))
        let file = try CLI.nmnistSmall() + "/Train/0/" + (try FileManager.default.contentsOfDirectory(atPath: try CLI.nmnistSmall() + "/Train/0").sorted()[0])
        let extracted = try CLI.run(["extract", "--network", folder + "/all.h5", file, "-o", "-", "--polarity", "off"])
        XCTAssertEqual(extracted.status, 0, extracted.stderr)
        let rows = extracted.text.split(whereSeparator: \.isNewline).dropFirst()
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",")[3] == "0" }, "an ON event passed --polarity off")
    }

    func testSameSeedGivesByteIdenticalNetworkFilesAndAnotherSeedDoesNot() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try subset(12, in: folder)
        for name in ["a", "b"] {
            XCTAssertEqual(try CLI.run(["train", data, "-o", "\(folder)/\(name).h5", "--seed", "5", "--json"]).status, 0)
        }
        XCTAssertEqual(try CLI.run(["train", data, "-o", "\(folder)/c.h5", "--seed", "6", "--json"]).status, 0)
        XCTAssertEqual(try bytes(folder + "/a.h5"), try bytes(folder + "/b.h5"))
        XCTAssertNotEqual(try bytes(folder + "/a.h5"), try bytes(folder + "/c.h5"))
    }

    func testResumedRunWritesTheSameNetworkAsAnUninterruptedOne() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try subset(15, in: folder)
        let common = ["--epochs", "2", "--neurons", "8", "--history-interval", "2000"]
        let whole = try CLI.run(["train", data, "-o", folder + "/whole.h5", "--json"] + common)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        // Stopped in the second epoch, as Ctrl-C would.
        let stopped = try CLI.run(["train", data, "-o", folder + "/net.h5", "--stop-after-recordings", "20"] + common)
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/net.h5"), "no final network after an interruption")
        XCTAssertTrue(stopped.stderr.contains("interrupted at epoch 2/2, recording 5/15: checkpoint saved to \(folder)/net.checkpoint.h5"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("--resume \(folder)/net.checkpoint.h5"), stopped.stderr)
        let resumed = try CLI.run(["train", data, "-o", folder + "/net.h5", "--resume", folder + "/net.checkpoint.h5", "--json"] + common)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try bytes(folder + "/net.h5"), try bytes(folder + "/whole.h5"), "resume must be bit-identical")
        let a = try json(whole), b = try json(resumed)
        XCTAssertEqual(a["miss_rate"] as? Double, b["miss_rate"] as? Double)
        XCTAssertEqual(a["converged_at_event"] as? Int, b["converged_at_event"] as? Int)

        let finished = try CLI.run(["train", data, "-o", folder + "/again.h5", "--resume", folder + "/whole.h5"])
        XCTAssertNotEqual(finished.status, 0)
        XCTAssertTrue(finished.stderr.contains("\(folder)/whole.h5: not a checkpoint"), finished.stderr)
    }

    func testCtrlCSavesACheckpointThatResumes() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try subset(300, in: folder)
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["train", data, "-o", folder + "/net.h5", "--epochs", "3", "--checkpoint", folder + "/ck.h5"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 130 else {
            throw XCTSkip("training finished before the signal (status \(process.terminationStatus)): \(stderr)")
        }
        XCTAssertTrue(stderr.contains("checkpoint saved to \(folder)/ck.h5"), stderr)
        let resumed = try CLI.run(["train", data, "-o", folder + "/net.h5", "--epochs", "3", "--resume", folder + "/ck.h5", "--json"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let whole = try CLI.run(["train", data, "-o", folder + "/whole.h5", "--epochs", "3", "--json"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(try bytes(folder + "/net.h5"), try bytes(folder + "/whole.h5"))
    }

    func testLayerOptionsAreValidatedWithClearMessages() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try subset(2, in: folder)
        let cases: [([String], String)] = [
            (["--weight-bits", "4"], "--weight-bits applies to fixed-point arithmetic; add --arithmetic fixed"),
            (["--neurons", "0"], "invalid --neurons 0: expected 1…65536"),
            (["--radius", "20"], "invalid --radius 20: expected 0…16 (the (2R+1)² window must fit the 34×34 sensor)"),
            (["--tau", "0"], "invalid --tau 0.0: expected a positive number of microseconds"),
            (["--arithmetic", "fixed", "--weight-bits", "30"], "weight bits"),
            (["--border", "wrap"], "--border"),
            (["--epochs", "0"], "--epochs must be ≥ 1, got 0"),
        ]
        for (flags, message) in cases {
            let result = try CLI.run(["train", data, "-o", folder + "/n.h5"] + flags)
            XCTAssertNotEqual(result.status, 0, "\(flags)")
            XCTAssertTrue(result.stderr.contains(message), "\(flags): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/n.h5"))
        }
    }

    // MARK: - extract and stream

    /// A small trained network (float or fixed) and the subset it came from.
    func trainedNetwork(_ folder: String, fixed: Bool = false) throws -> (network: String, data: String) {
        let data = try subset(6, test: 4, in: folder)
        let network = folder + (fixed ? "/fixed.h5" : "/net.h5")
        let result = try CLI.run(["train", data, "-o", network, "--neurons", "8"] + (fixed ? ["--arithmetic", "fixed"] : []))
        XCTAssertEqual(result.status, 0, result.stderr)
        return (network, data)
    }

    func testStreamGivesExactlyTheOutputEventsOfExtract() throws {
        let folder = try CLI.temporaryFolder(self)
        let root = try CLI.nmnistSmall()
        let file = root + "/Test/3/00019.bin"
        guard FileManager.default.fileExists(atPath: file) else { throw XCTSkip("\(file) is not in the dataset") }
        for fixed in [false, true] {
            let (network, _) = try trainedNetwork(folder, fixed: fixed)
            for misses in [[], ["--emit-misses"]] {
                let extracted = try CLI.run(["extract", "--network", network, file, "-o", folder + "/out.csv"] + misses)
                XCTAssertEqual(extracted.status, 0, extracted.stderr)
                let fromBin = try CLI.run(["stream", "--network", network, "--format", "nmnist"] + misses, stdin: try bytes(file))
                XCTAssertEqual(fromBin.status, 0, fromBin.stderr)
                let expected = try bytes(folder + "/out.csv")
                XCTAssertGreaterThan(expected.count, 1000)
                XCTAssertEqual(fromBin.stdout, expected, "fixed \(fixed) \(misses)")
                // The same recording as CSV text on stdin.
                let csv = try CLI.run(["convert", file, "-", "--to", "csv"])
                let fromCSV = try CLI.run(["stream", "--network", network] + misses, stdin: csv.stdout)
                XCTAssertEqual(fromCSV.stdout, expected)
            }
            let lines = String(decoding: try bytes(folder + "/out.csv"), as: UTF8.self).split(separator: "\n")
            XCTAssertEqual(lines.first, "t,x,y,p,neuron")
            XCTAssertTrue(lines.dropFirst().contains { $0.hasSuffix(",-1") }, "--emit-misses writes misses as neuron -1")
        }
    }

    func testParallelExtractIsIdenticalToSerial() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, data) = try trainedNetwork(folder)
        for output in ["events.csv", "events.h5", "features.h5"] {
            var outputs = [Data]()
            for jobs in ["1", "4"] {
                let path = "\(folder)/\(jobs)-\(output)"
                let extra = output == "features.h5" ? ["--features", "hist:polarity,pool=2"] : []
                let result = try CLI.run(["extract", "--network", network, data, "-o", path, "--jobs", jobs] + extra)
                XCTAssertEqual(result.status, 0, result.stderr)
                outputs.append(try bytes(path))
            }
            XCTAssertEqual(outputs[0], outputs[1], output)
        }
        let csv = String(decoding: try bytes(folder + "/1-events.csv"), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(csv.first, "file,t,x,y,p,neuron")
        XCTAssertEqual(Set(csv.dropFirst().map { $0.split(separator: ",")[0] }).count, 10, "one file per recording")
    }

    func testExtractErrorsNameTheProblem() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, data) = try trainedNetwork(folder)
        let bin = try CLI.run(["extract", "--network", network, data, "-o", folder + "/out.bin"])
        XCTAssertNotEqual(bin.status, 0)
        XCTAssertTrue(bin.stderr.contains("\(folder)/out.bin: a .bin output holds one recording; use .csv or .h5 for 10 recordings"), bin.stderr)
        let notNetwork = try CLI.run(["extract", "--network", data, data, "-o", folder + "/out.csv"])
        XCTAssertTrue(notNetwork.stderr.contains("\(data): not an HDF5 file"), notNetwork.stderr)
        let spec = try CLI.run(["extract", "--network", network, data, "-o", folder + "/f.h5", "--features", "hist:pool=0"])
        XCTAssertTrue(spec.stderr.contains("--features"), spec.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/out.csv"))
    }

    func testStreamLearningCheckpointsANetworkThatChanged() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, _) = try trainedNetwork(folder)
        let file = try CLI.nmnistSmall() + "/Train/5/00001.bin"
        let result = try CLI.run(["stream", "--network", network, "--format", "nmnist", "--learn", "--checkpoint", folder + "/live.h5",
                                  "--every", "1000"], stdin: try bytes(file))
        XCTAssertEqual(result.status, 0, result.stderr)
        let inference = try CLI.run(["stream", "--network", network, "--format", "nmnist"], stdin: try bytes(file))
        XCTAssertNotEqual(result.stdout, inference.stdout, "learning changes the winners")
        let again = try CLI.run(["stream", "--network", folder + "/live.h5", "--format", "nmnist"], stdin: try bytes(file))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertNotEqual(try bytes(folder + "/live.h5"), try bytes(network))
    }

    // MARK: - render

    /// Width and height from a PNG's IHDR, after checking the signature and the IEND chunk.
    func pngSize(_ path: String) throws -> (Int, Int) {
        let d = [UInt8](try bytes(path))
        XCTAssertEqual(Array(d.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(d[12..<16]), Array("IHDR".utf8))
        XCTAssertEqual(Array(d.suffix(8).prefix(4)), Array("IEND".utf8))
        func be(_ i: Int) -> Int { d[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    func testRenderWritesPicturesOfTheExpectedSize() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, _) = try trainedNetwork(folder)
        XCTAssertEqual(try CLI.run(["render", "weights", network, "-o", folder + "/w.png"]).status, 0)
        XCTAssertEqual(try CLI.run(["render", "history", network, "-o", folder + "/h.png"]).status, 0)
        let (w, h) = try pngSize(folder + "/w.png")
        // 8 neurons: 3 × 3 grid of 110-pixel tiles (11 × 11 kernel, 10 px each).
        XCTAssertGreaterThanOrEqual(w, 3 * 110)
        XCTAssertLessThan(w, 3 * 110 + 400)
        XCTAssertGreaterThanOrEqual(h, 3 * 110)
        XCTAssertLessThan(h, 3 * 110 + 150)
        let (hw, hh) = try pngSize(folder + "/h.png")
        XCTAssertEqual(hw, 900)
        XCTAssertEqual(hh, 900)
        let plots = try CLI.run(["train", try subset(3, in: folder), "-o", folder + "/p.h5", "--plots", folder + "/plots",
                                 "--polarity-mode", "per-polarity", "--neurons", "4"])
        XCTAssertEqual(plots.status, 0, plots.stderr)
        let (pw, _) = try pngSize(folder + "/plots/weights.png")
        XCTAssertGreaterThan(pw, 2 * 2 * 110, "ON and OFF populations side by side")
        _ = try pngSize(folder + "/plots/history.png")
    }
}
