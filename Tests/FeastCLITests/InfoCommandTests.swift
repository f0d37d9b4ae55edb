import Foundation
import XCTest

final class InfoCommandTests: XCTestCase {
    func testInfoJSONOnEveryRealRecordingMatchesStatsCSV() throws {
        let root = try CLI.nmnistSmall()
        let result = try CLI.run(["info", "--json", root])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: result.stdout) as! [String: Any]
        let recordings = json["recordings"] as! [[String: Any]]
        XCTAssertEqual(recordings.count, 901)
        var byName = [String: [String: Any]]()
        for r in recordings {
            let file = r["file"] as! String
            byName[String(file.dropFirst(root.count + 1))] = r
        }
        let stats = try String(contentsOfFile: root + "/stats.csv", encoding: .utf8).split(whereSeparator: \.isNewline)
        let keys = stats[0].split(separator: ",").map(String.init)
        var totalEvents = 0
        for line in stats.dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            guard let r = byName[fields[0]] else { XCTFail("missing \(fields[0])"); continue }
            for (key, value) in zip(keys.dropFirst(), fields.dropFirst()) {
                XCTAssertEqual((r[key] as? NSNumber)?.intValue, Int(value), "\(fields[0]) \(key)")
            }
            XCTAssertEqual((r["duration_us"] as! NSNumber).intValue, Int(fields[3])! - Int(fields[2])!)
            XCTAssertEqual((r["backwards_timestamps"] as! NSNumber).intValue, 0)
            totalEvents += Int(fields[1])!
        }
        let total = json["total"] as! [String: Any]
        XCTAssertEqual((total["events"] as! NSNumber).intValue, totalEvents)
        for key in ["events", "on_events", "off_events", "t_first_us", "t_last_us", "duration_us", "overflow_markers", "backwards_timestamps", "duplicates"] {
            XCTAssertNotNil(total[key], key)
        }
    }

    func testInfoTableOnLabelsCSVAndStdin() throws {
        let root = try CLI.nmnistSmall()
        let file = root + "/Train/5/00001.bin"
        let fromFile = try CLI.run(["info", "--json", file])
        let fromStdin = try CLI.run(["info", "--json", "--format", "nmnist", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: file)))
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(fromStdin.text.replacingOccurrences(of: "\"file\": \"-\"", with: "\"file\": \"\(file)\""), fromFile.text)
        let table = try CLI.run(["info", root + "/labels.csv"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.text.contains("total (901 recordings)"), table.text)
    }

    /// A small simulated dataset in `folder`/d and its first class-0 recording.
    private func simulated(in folder: String, perClass: Int, seed: Int) throws -> (data: String, recording: String) {
        let data = folder + "/d"
        XCTAssertEqual(try CLI.run(["simulate", "--out", data, "--train-per-class", "\(perClass)", "--test-per-class", "1", "--seed", "\(seed)"]).status, 0)
        return (data, data + "/Train/0/" + (try FileManager.default.contentsOfDirectory(atPath: data + "/Train/0").sorted()[0]))
    }

    func testInfoDescribesANetworkFileLayerByLayerFromTrainsOwnFigures() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, recording) = try simulated(in: folder, perClass: 3, seed: 5)
        let net = folder + "/stack.h5"
        let trained = try CLI.run(["train", data, "-o", net, "--neurons", "12,8", "--radius", "3,2", "--seed", "2", "--json"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let train = try XCTUnwrap(JSONSerialization.jsonObject(with: trained.stdout) as? [String: Any])
        let deeper = try XCTUnwrap((train["deeper_layers"] as? [[String: Any]])?.first)

        let info = try CLI.run(["info", "--json", net])
        XCTAssertEqual(info.status, 0, info.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: info.stdout) as? [String: Any], info.text)
        let network = try XCTUnwrap((json["networks"] as? [[String: Any]])?.first, info.text)
        XCTAssertEqual(network["file"] as? String, net)
        XCTAssertTrue(network["resumes_at"] is NSNull)
        let layers = try XCTUnwrap(network["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["neurons"] as? Int }, [12, 8])
        XCTAssertEqual(layers.map { $0["radius"] as? Int }, [3, 2])
        XCTAssertEqual(layers.map { $0["context_length"] as? Int }, [49, 12 * 25], "layer 1's channels are layer 0's neurons")
        XCTAssertEqual(layers.map { $0["polarity_mode"] as? String }, ["shared", "channel"])
        // The counters in the file are the ones train reported (one epoch).
        XCTAssertEqual(layers[0]["events"] as? Int, train["events"] as? Int)
        XCTAssertEqual(layers[1]["events"] as? Int, deeper["events"] as? Int)
        XCTAssertEqual(try XCTUnwrap(layers[0]["miss_rate"] as? Double), try XCTUnwrap(train["miss_rate"] as? Double), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(layers[1]["predicted_miss_rate"] as? Double), 0.001 / (0.001 + 8 * 0.003), accuracy: 1e-12)
        XCTAssertEqual(layers[0]["dead_neurons"] as? Int, train["dead_neurons"] as? Int)
        for layer in layers {
            XCTAssertEqual(layer["has_history"] as? Bool, true)
            XCTAssertTrue(layer["fixed_point"] is NSNull)
            let low = try XCTUnwrap(layer["threshold_min"] as? Double), mean = try XCTUnwrap(layer["threshold_mean"] as? Double)
            XCTAssertLessThanOrEqual(low, mean)
            XCTAssertLessThanOrEqual(mean, try XCTUnwrap(layer["threshold_max"] as? Double))
        }

        let text = try CLI.run(["info", net])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.text.hasPrefix("\(net): FEAST network, 2 layers\nlayer 0: 12 neurons (shared), R = 3 (7×7 window, 49 context entries), τ = 20000 µs, η = 0.001, Δclose = 0.001, Δopen = 0.003, seed 2\n"), text.text)
        XCTAssertTrue(text.text.contains("layer 1: 8 neurons (channel), R = 2 (5×5 window, 300 context entries)"), text.text)
        XCTAssertTrue(text.text.contains("  input: 34×34, 2 channels; arithmetic: float"), text.text)

        // Mixed with recordings: the table and the summary; in JSON refused.
        let both = try CLI.run(["info", recording, net])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.text.hasPrefix("file "), both.text)
        XCTAssertTrue(both.text.contains("FEAST network, 2 layers"), both.text)
        let refused = try CLI.run(["info", "--json", recording, net])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--json prints one kind of object: give network files and recordings in separate calls"), refused.stderr)
    }

    func testInfoOnAFixedPointNetworkNamesItsWords() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, recording) = try simulated(in: folder, perClass: 2, seed: 3)
        let net = folder + "/fixed.h5"
        XCTAssertEqual(try CLI.run(["train", data, "-o", net, "--neurons", "8", "--arithmetic", "fixed", "--weight-bits", "10"]).status, 0)
        let text = try CLI.run(["info", net])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.text.contains("arithmetic: fixed point (weights 10 bits (9 fractional), contexts 8 (7), thresholds 16 (14), accumulator 24, stochastic rounding, exact normalisation, table decay)"), text.text)
        // An event HDF5 file is still a recording.
        let events = folder + "/e.h5"
        XCTAssertEqual(try CLI.run(["convert", recording, events]).status, 0)
        let described = try CLI.run(["info", events])
        XCTAssertEqual(described.status, 0, described.stderr)
        XCTAssertTrue(described.text.hasPrefix("file "), described.text)
    }

    func testEmptyFileHasZeroEvents() throws {
        let folder = try CLI.temporaryFolder(self)
        CLI.write([], to: folder + "/empty.bin")
        let result = try CLI.run(["info", "--json", folder + "/empty.bin"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.text.contains("\"events\": 0, \"on_events\": 0, \"off_events\": 0, \"t_first_us\": null, \"t_last_us\": null"), result.text)
    }

    func testMissingFileAndFolderAsFileFail() throws {
        let folder = try CLI.temporaryFolder(self)
        let missing = try CLI.run(["info", folder + "/nope.bin"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("\(folder)/nope.bin: no such file or folder"), missing.stderr)
        let asFile = try CLI.run(["convert", folder, folder + "/out.csv", "--from", "nmnist"])
        XCTAssertNotEqual(asFile.status, 0)
        XCTAssertTrue(asFile.stderr.contains("\(folder): is a folder, expected an event file"), asFile.stderr)
    }

    func testTruncatedBinFailsWithByteOffsetAndLenientWarns() throws {
        let folder = try CLI.temporaryFolder(self)
        CLI.write(CLI.record(x: 1, y: 1, p: 1, t: 5) + CLI.record(x: 2, y: 2, p: 0, t: 9) + [7, 7], to: folder + "/cut.bin")
        let strict = try CLI.run(["info", folder + "/cut.bin"])
        XCTAssertNotEqual(strict.status, 0)
        XCTAssertTrue(strict.stderr.contains("\(folder)/cut.bin: byte offset 10: 2 trailing bytes do not form a whole 5-byte event"), strict.stderr)
        let lenient = try CLI.run(["info", "--json", "--lenient", folder + "/cut.bin"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.text.contains("\"events\": 2,"), lenient.text)
        XCTAssertTrue(lenient.stderr.contains("warning: \(folder)/cut.bin: ignored 2 trailing byte(s)"), lenient.stderr)
    }

    /// The library names reading options as fields ("lenient reading"); the
    /// CLI spells them as flags, also for an error that happened inside a
    /// training run, an evaluation or a feature extraction (kept typed there).
    func testReadErrorsNameTheFlagThatFixesThemAlsoFromInsideTraining() throws {
        let folder = try CLI.temporaryFolder(self)
        var good = [UInt8]()
        for i in 0..<200 { good += CLI.record(x: UInt8(i % 34), y: UInt8((i / 34) % 34), p: UInt8(i % 2), t: 100 * i) }
        try FileManager.default.createDirectory(atPath: folder + "/set/0", withIntermediateDirectories: true)
        CLI.write(good, to: folder + "/set/0/a.bin")
        CLI.write(good + [7, 7, 7], to: folder + "/set/0/b.bin")
        let hint = "\(folder)/set/0/b.bin: byte offset 1000: 3 trailing bytes do not form a whole 5-byte event (file length is not a multiple of 5); use --lenient to keep the whole events"
        let train = try CLI.run(["train", folder + "/set", "--neurons", "4", "--radius", "2", "-o", folder + "/net.h5"])
        XCTAssertEqual(train.status, 1)
        XCTAssertTrue(train.stderr.contains("Error: recording 1 (\(folder)/set/0/b.bin): " + hint), train.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/net.h5"))
        let lenient = try CLI.run(["train", folder + "/set", "--neurons", "4", "--radius", "2", "--lenient", "-o", folder + "/net.h5"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        let features = try CLI.run(["extract", "--network", folder + "/net.h5", folder + "/set", "--features", "hist", "-o", folder + "/f.h5"])
        XCTAssertEqual(features.status, 1)
        XCTAssertTrue(features.stderr.contains("Error: recording \(folder)/set/0/b.bin: " + hint), features.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/f.h5"))
    }

    func testAddressOutsideSensorFailsWithEventIndex() throws {
        let folder = try CLI.temporaryFolder(self)
        CLI.write(CLI.record(x: 1, y: 1, p: 1, t: 5) + CLI.record(x: 2, y: 50, p: 0, t: 9), to: folder + "/bad.bin")
        let result = try CLI.run(["info", folder + "/bad.bin"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(folder)/bad.bin: event 1: address x=2 y=50 is outside the 34×34 sensor"), result.stderr)
    }

    func testBackwardsTimestampsAreCountedAndFailUnderStrict() throws {
        let folder = try CLI.temporaryFolder(self)
        try "t,x,y,p\n10,1,1,1\n20,2,2,0\n15,3,3,1\n30,3,3,1\n".write(toFile: folder + "/back.csv", atomically: true, encoding: .utf8)
        let info = try CLI.run(["info", "--json", folder + "/back.csv"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.text.contains("\"backwards_timestamps\": 1,"), info.text)
        let strict = try CLI.run(["info", "--strict", folder + "/back.csv"])
        XCTAssertNotEqual(strict.status, 0)
        XCTAssertTrue(strict.stderr.contains("\(folder)/back.csv: event 2: timestamp 15 µs goes backwards (previous event at 20 µs)"), strict.stderr)
    }

    func testCSVGarbageAndBinaryAsCSVFailWithPosition() throws {
        let folder = try CLI.temporaryFolder(self)
        try "t,x,y,p\n1,2,3,1\n4,5,x6,1\n".write(toFile: folder + "/g.csv", atomically: true, encoding: .utf8)
        let garbage = try CLI.run(["info", folder + "/g.csv"])
        XCTAssertNotEqual(garbage.status, 0)
        XCTAssertTrue(garbage.stderr.contains("\(folder)/g.csv:3:5: field 'y': expected an integer in 0..<34 (sensor 34×34), found 'x6'"), garbage.stderr)
        CLI.write(CLI.record(x: 18, y: 16, p: 1, t: 893), to: folder + "/b.bin")
        let binary = try CLI.run(["info", "--format", "csv", folder + "/b.bin"])
        XCTAssertNotEqual(binary.status, 0)
        XCTAssertTrue(binary.stderr.contains("\(folder)/b.bin: byte offset 0: byte 0x12 is not CSV text"), binary.stderr)
    }

    func testFiltersApplyToInfo() throws {
        let root = try CLI.nmnistSmall()
        let file = root + "/Train/5/00001.bin"
        let on = try CLI.run(["info", "--json", "--polarity", "on", "--dedup", file])
        XCTAssertEqual(on.status, 0, on.stderr)
        let json = try JSONSerialization.jsonObject(with: on.stdout) as! [String: Any]
        let r = (json["recordings"] as! [[String: Any]])[0]
        XCTAssertEqual((r["off_events"] as! NSNumber).intValue, 0)
        XCTAssertEqual((r["duplicates"] as! NSNumber).intValue, 0)
        XCTAssertLessThanOrEqual((r["on_events"] as! NSNumber).intValue, 2328)
        XCTAssertGreaterThan((r["on_events"] as! NSNumber).intValue, 2300)
        let bad = try CLI.run(["info", "--crop", "1,2,3", file])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--crop '1,2,3': expected x0,y0,x1,y1"), bad.stderr)
    }
}
