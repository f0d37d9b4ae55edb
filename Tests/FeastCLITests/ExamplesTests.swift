import Foundation
import XCTest

/// Runs the scripts in examples/ with the built `feast` on PATH, so none of
/// them can rot: each test fails when its example stops working or its
/// output stops saying what the example promises.
final class ExamplesTests: XCTestCase {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `bash examples/NAME args...` with the built binary's folder
    /// first on PATH (and no FEAST override), plus `environment`.
    static func runExample(_ name: String, _ args: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        let binary = try CLI.binary()
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["FEAST"] = nil
        env.merge(environment) { $1 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root + "/examples/" + name] + args
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorData = CLI.readInBackground(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errorData(), as: UTF8.self)
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: outData, stderr: stderr)
    }

    /// Lines after the `== title` marker line, up to the next marker.
    static func section(_ text: String, after marker: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("== " + marker) }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("== ") && !$0.isEmpty })
    }

    /// examples/stream-pipeline.sh: simulate, train, then convert | stream |
    /// head prints t,x,y,p,neuron rows of the layer's neurons, stream and
    /// extract over stdin agree, and the win histogram and features exist.
    func testStreamPipelineExamplePrintsOutputEventsAndStreamMatchesExtract() throws {
        let work = try CLI.temporaryFolder(self)
        let r = try Self.runExample("stream-pipeline.sh", [work])
        XCTAssertEqual(r.status, 0, r.stderr + r.text)
        let head = Self.section(r.text, after: "feast convert")
        XCTAssertEqual(head.count, 6, r.text)
        XCTAssertEqual(head.first, "t,x,y,p,neuron", r.text)
        var lastT = Int64.min
        for row in head.dropFirst() {
            let f = row.split(separator: ",").map(String.init)
            XCTAssertEqual(f.count, 5, row)
            guard f.count == 5, let t = Int64(f[0]), let x = Int(f[1]), let y = Int(f[2]), let p = Int(f[3]), let n = Int(f[4]) else {
                XCTFail("not t,x,y,p,neuron integers: \(row)"); continue
            }
            XCTAssertTrue((0..<34).contains(x) && (0..<34).contains(y) && (0...1).contains(p), row)
            XCTAssertTrue((0..<16).contains(n), "a winner of the 16-neuron layer: \(row)")
            XCTAssertGreaterThanOrEqual(t, lastT, "time order")
            lastT = t
        }
        XCTAssertTrue(r.text.contains("== stream and extract agree: "), r.text)
        let busiest = Self.section(r.text, after: "five busiest")
        XCTAssertEqual(busiest.count, 5, r.text)
        let counts = busiest.compactMap { Int($0.split(separator: " ").first ?? "") }
        XCTAssertEqual(counts, counts.sorted(by: >), "sorted by wins: \(busiest)")
        let features = try Data(contentsOf: URL(fileURLWithPath: work + "/features.h5"))
        XCTAssertEqual(Array(features.prefix(8)), [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], "an HDF5 file")
    }

    /// examples/planes.sh, small: simulated passes on 304×240, the stage
    /// table with every stage and pooling grid, CV-selected, a weight
    /// mosaic and a size table, each file where the script says.
    func testPlanesExampleRunsTheSecondExperimentEndToEnd() throws {
        let work = try CLI.temporaryFolder(self)
        let r = try Self.runExample("planes.sh", [work], environment: [
            "TRAIN_PER_CLASS": "3", "TEST_PER_CLASS": "1", "SEEDS": "1", "FOLDS": "2", "NEURONS": "8", "SIZES": "4,8"])
        XCTAssertEqual(r.status, 0, r.stderr + r.text)
        XCTAssertTrue(r.text.contains("16 recordings (12 train, 4 test)"), r.text)
        let json = try Data(contentsOf: URL(fileURLWithPath: work + "/evaluate.json"))
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        let rows = try XCTUnwrap(report["results"] as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["stage"] as? String }), ["a", "b", "c", "d"])
        XCTAssertEqual(Set(rows.compactMap { $0["features"] as? String }),
                       ["pixels:block=8", "hist", "hist:polarity", "hist:polarity,pool=2", "hist:polarity,pool=4"])
        XCTAssertEqual(report["selected_by"] as? String, "cv", "features chosen inside the training passes")
        for png in ["weights.png", "confusion.png"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: work + "/" + png))
            XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47], png)
        }
        let size = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/size.json"))) as? [String: Any])
        XCTAssertEqual((size["rows"] as? [[String: Any]])?.compactMap { $0["neurons"] as? Int }, [4, 8])
    }

    /// examples/size-study.sh with a small sweep: a table row per neuron
    /// count, a recommendation among them, and the three outputs.
    func testSizeStudyExampleReportsEveryNeuronCountAndARecommendation() throws {
        let work = try CLI.temporaryFolder(self)
        let r = try Self.runExample("size-study.sh", [work], environment: ["NEURONS": "4,16", "PER_CLASS": "4", "TEST_PER_CLASS": "2"])
        XCTAssertEqual(r.status, 0, r.stderr + r.text)
        let table = Self.section(r.text, after: "size study over N = 4,16")
        XCTAssertEqual(table.count, 3, "header + one row per N: \(r.text)")
        XCTAssertTrue(table.first?.hasPrefix("neurons,") ?? false, r.text)
        XCTAssertEqual(table.dropFirst().compactMap { Int($0.split(separator: ",").first ?? "") }, [4, 16], r.text)
        let json = try Data(contentsOf: URL(fileURLWithPath: work + "/size.json"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        let recommended = try XCTUnwrap(object["recommended_neurons"] as? Int)
        XCTAssertTrue(r.text.contains("== recommended: \(recommended) neurons"), r.text)
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["neurons"] as? Int }, [4, 16])
        for row in rows { XCTAssertNotNil(row["accuracy"] as? Double, "scored on the Test/ split: \(row)") }
        let png = try Data(contentsOf: URL(fileURLWithPath: work + "/size.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    /// examples/python/classify_features.py (h5py + scikit-learn) on
    /// features `feast extract --features` wrote from synthetic digits,
    /// against feast's own logistic regression on the same layer, spec and
    /// recordings (`feast evaluate --network --stages d`). Both are
    /// standardised multinomial logistic regressions, so they should agree
    /// closely; both figures are printed for the record.
    func testPythonExampleMatchesTheBuiltInLogisticClassifier() throws {
        let check = try CLI.shell("command -v python3 >/dev/null && python3 -c 'import h5py, sklearn, numpy'")
        guard check.status == 0 else {
            throw XCTSkip("examples/python needs python3 with h5py, numpy and scikit-learn (pip install h5py scikit-learn): \(check.stderr)")
        }
        let work = try CLI.temporaryFolder(self)
        // Plain win counts of a 16-neuron layer and 6 training recordings per
        // digit keep the accuracy well below 1, so the comparison means something.
        let data = work + "/data", net = work + "/net.h5", spec = "hist"
        for args in [["simulate", "--out", data, "--train-per-class", "6", "--test-per-class", "10", "--seed", "5"],
                     ["train", data, "-o", net, "--neurons", "16", "--seed", "5"],
                     ["extract", "--network", net, "--features", spec, data + "/Train", "-o", work + "/train.h5"],
                     ["extract", "--network", net, "--features", spec, data + "/Test", "-o", work + "/test.h5"]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 0, "feast \(args.joined(separator: " ")): \(r.stderr)")
            guard r.status == 0 else { return }
        }
        let python = try CLI.shell("python3 '\(Self.root)/examples/python/classify_features.py' '\(work)/train.h5' '\(work)/test.h5' --json")
        XCTAssertEqual(python.status, 0, python.stderr)
        let py = try XCTUnwrap(JSONSerialization.jsonObject(with: python.stdout) as? [String: Any], python.text)
        XCTAssertEqual(py["train"] as? Int, 60)
        XCTAssertEqual(py["test"] as? Int, 100)
        let sklearn = try XCTUnwrap(py["accuracy"] as? Double)

        let builtIn = try CLI.run(["evaluate", "--train", data, "--network", net, "--stages", "d", "--features", spec,
                                   "--classifier", "logistic", "--json"])
        XCTAssertEqual(builtIn.status, 0, builtIn.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: builtIn.stdout) as? [String: Any], builtIn.text)
        XCTAssertEqual(object["test_recordings"] as? Int, 100)
        let feast = try XCTUnwrap(object["accuracy"] as? Double)
        print("classify_features.py (scikit-learn logistic): \(sklearn); feast logistic: \(feast) (100 synthetic test recordings, \(spec) of 16 neurons)")
        XCTAssertGreaterThan(sklearn, 0.3, "far above chance (0.1) on synthetic digits")
        XCTAssertLessThanOrEqual(abs(sklearn - feast), 0.08, "scikit-learn \(sklearn) vs feast \(feast) on the same features")
    }
}
