import Foundation
import XCTest

/// `--shard i/n` on extract and size, and `feast merge`: n shard runs
/// merged give the single run's file, byte for byte (the HDF5 writer is
/// deterministic: no object timestamps, objects written in the same order);
/// wrong sets of shards are refused with messages naming the files.
final class ShardMergeTests: XCTestCase {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func ok(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, "feast \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
    }

    /// Ten synthetic recordings (one per digit) and an 8-neuron network trained on them.
    func synthetic(_ folder: String, perClass: Int = 1) throws -> (network: String, data: String) {
        try ok(["simulate", "--out", folder + "/sim", "--train-per-class", "\(perClass)", "--test-per-class", "0", "--seed", "3"])
        try ok(["train", folder + "/sim", "-o", folder + "/net.h5", "--neurons", "8", "--seed", "3"])
        return (folder + "/net.h5", folder + "/sim")
    }

    /// A labels CSV of the first `count` real training recordings (absolute paths).
    func realSubset(_ count: Int, in folder: String) throws -> String {
        let root = try CLI.nmnistSmall()
        let lines = try String(contentsOfFile: root + "/labels.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var csv = "file,label,split\n"
        for line in lines.filter({ $0.contains(",train") }).prefix(count) {
            let f = line.split(separator: ",")
            csv += "\(root)/\(f[0]),\(f[1]),\(f[2])\n"
        }
        let path = folder + "/subset.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs extract whole and in `n` shards (merged in reverse order), and
    /// asserts the two files are byte-identical.
    func assertShardsMergeIntoTheWholeRun(network: String, data: String, extra: [String], n: Int, folder: String,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let tag = extra.isEmpty ? "events" : "features"
        let whole = "\(folder)/whole-\(tag)-\(n).h5", merged = "\(folder)/merged-\(tag)-\(n).h5"
        try ok(["extract", "--network", network, data, "-o", whole] + extra, file: file, line: line)
        var parts = [String]()
        for i in 0..<n {
            let part = "\(folder)/part-\(tag)-\(i)of\(n).h5"
            try ok(["extract", "--network", network, data, "-o", part, "--shard", "\(i)/\(n)", "--jobs", "1"] + extra, file: file, line: line)
            parts.append(part)
        }
        try ok(["merge", merged] + parts.reversed(), file: file, line: line)
        XCTAssertEqual(try bytes(merged), try bytes(whole), "\(tag), \(n) shards", file: file, line: line)
        XCTAssertNotEqual(try bytes(parts[0]), try bytes(whole), "a shard alone is not the whole run", file: file, line: line)
    }

    func testExtractInThreeShardsOfRealRecordingsMergesIntoTheByteIdenticalFileOfOneRun() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = try realSubset(10, in: folder)
        try ok(["train", data, "-o", folder + "/net.h5", "--neurons", "8"])
        try assertShardsMergeIntoTheWholeRun(network: folder + "/net.h5", data: data, extra: [], n: 3, folder: folder)
        try assertShardsMergeIntoTheWholeRun(network: folder + "/net.h5", data: data, extra: ["--features", "hist:polarity,pool=2"],
                                             n: 3, folder: folder)
    }

    func testExtractShardsOfSyntheticRecordingsMergeIntoTheWholeRunAlsoWithEmptyShards() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, data) = try synthetic(folder)
        try assertShardsMergeIntoTheWholeRun(network: network, data: data, extra: ["--emit-misses"], n: 3, folder: folder)
        // 12 shards of 10 recordings: two shards are empty and still merge.
        try assertShardsMergeIntoTheWholeRun(network: network, data: data, extra: [], n: 12, folder: folder)
        try assertShardsMergeIntoTheWholeRun(network: network, data: data, extra: ["--features", "hist"], n: 12, folder: folder)
    }

    func testMergeRefusesMissingDuplicateMismatchedAndNonShardInputs() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, data) = try synthetic(folder)
        for i in 0..<3 { try ok(["extract", "--network", network, data, "-o", "\(folder)/p\(i).h5", "--shard", "\(i)/3"]) }
        try ok(["train", data, "-o", folder + "/other.h5", "--neurons", "8", "--seed", "4"])
        try ok(["extract", "--network", folder + "/other.h5", data, "-o", folder + "/other1.h5", "--shard", "1/3"])
        try ok(["extract", "--network", network, data, "-o", folder + "/misses1.h5", "--shard", "1/3", "--emit-misses"])
        try ok(["extract", "--network", network, data, "-o", folder + "/four1.h5", "--shard", "1/4"])
        try ok(["extract", "--network", network, data, "-o", folder + "/f1.h5", "--shard", "1/3", "--features", "hist"])
        try ok(["extract", "--network", network, data, "-o", folder + "/whole.h5"])
        let out = folder + "/merged.h5"
        func refused(_ inputs: [String], _ message: String, line: UInt = #line) throws {
            let r = try CLI.run(["merge", out] + inputs.map { "\(folder)/\($0)" })
            XCTAssertNotEqual(r.status, 0, line: line)
            XCTAssertTrue(r.stderr.contains(message), "expected «\(message)» in: \(r.stderr)", line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written", line: line)
        }
        try refused(["p0.h5", "p2.h5"], "shard 1/3 missing (have 0/3 (\(folder)/p0.h5), 2/3 (\(folder)/p2.h5))")
        try refused(["p0.h5", "p1.h5", "p1.h5", "p2.h5"], "shard 1/3 given twice: \(folder)/p1.h5 and \(folder)/p1.h5")
        try refused(["p0.h5", "other1.h5", "p2.h5"], "\(folder)/other1.h5: made with another network than \(folder)/p0.h5 (file digest ")
        try refused(["p0.h5", "misses1.h5", "p2.h5"],
                    "\(folder)/misses1.h5: made with another set of options than \(folder)/p0.h5 (emit-misses=true features=none")
        try refused(["p0.h5", "four1.h5", "p2.h5"], "\(folder)/four1.h5: made with another shard count than \(folder)/p0.h5 (4 shards vs 3 shards)")
        try refused(["p0.h5", "f1.h5", "p2.h5"],
                    "\(folder)/f1.h5: holds feature vectors (extract with features), but \(folder)/p0.h5 holds output events (extract)")
        try refused(["whole.h5"], "\(folder)/whole.h5: not a shard (no shard_index attribute)")
        try refused(["p0.h5", "missing.h5"], "\(folder)/missing.h5: no such file")
        let csv = try CLI.run(["merge", folder + "/merged.csv", folder + "/p0.h5"])
        XCTAssertTrue(csv.stderr.contains("\(folder)/merged.csv: extract shards merge into an HDF5 file: OUT must end in .h5 or .hdf5"), csv.stderr)
    }

    func testShardOptionIsValidated() throws {
        let folder = try CLI.temporaryFolder(self)
        let (network, data) = try synthetic(folder)
        for spec in ["3/3", "1", "a/b", "0/0", "2/-1"] {
            let r = try CLI.run(["extract", "--network", network, data, "-o", folder + "/x.h5", "--shard", spec])
            XCTAssertTrue(r.stderr.contains("--shard \(spec): expected i/n with 0 <= i < n, e.g. 0/4"), r.stderr)
        }
        let csv = try CLI.run(["extract", "--network", network, data, "-o", folder + "/x.csv", "--shard", "0/2"])
        XCTAssertTrue(csv.stderr.contains("--shard 0/2: shards are merged as HDF5; -o must end in .h5 or .hdf5, got \(folder)/x.csv"), csv.stderr)
        let size = try CLI.run(["size", data, "--shard", "0/2", "--no-classifier"])
        XCTAssertTrue(size.stderr.contains("--shard 0/2 writes a partial result for feast merge: give it a file with -o PART.json"), size.stderr)
        let plot = try CLI.run(["size", data, "--shard", "0/2", "--no-classifier", "-o", folder + "/p.json", "--csv", folder + "/p.csv"])
        XCTAssertTrue(plot.stderr.contains("--shard 0/2: --csv and --plot describe the whole grid; merge the shards first"), plot.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/p.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/x.h5"))
    }

    /// size's grid (2 taus × 2 N) in 3 shards merges into the report of one
    /// run: equal JSON but for the wall time.
    func testSizeShardsMergeIntoTheReportOfOneRun() throws {
        let folder = try CLI.temporaryFolder(self)
        let (_, data) = try synthetic(folder, perClass: 2)  // two per class: finite Fisher ratios in the JSON report
        let grid = ["--neurons", "4,8", "--tau", "10000,20000", "--no-classifier", "--radius", "3"]
        try ok(["size", data, "-o", folder + "/whole.json"] + grid)
        var parts = [String]()
        for i in 0..<3 {
            parts.append("\(folder)/size\(i).json")
            try ok(["size", data, "--shard", "\(i)/3", "-o", parts[i]] + grid)
        }
        try ok(["merge", folder + "/merged.json"] + parts)
        func report(_ path: String) throws -> NSDictionary {
            let object = try JSONSerialization.jsonObject(with: try bytes(path)) as! [String: Any]
            XCTAssertNotNil(object["wall_seconds"])
            return object.filter { $0.key != "wall_seconds" } as NSDictionary
        }
        let whole = try report(folder + "/whole.json")
        XCTAssertEqual((whole["rows"] as? [Any])?.count, 4)
        XCTAssertEqual(try report(folder + "/merged.json"), whole)
        try ok(["size", data, "--shard", "1/3", "-o", folder + "/other.json", "--neurons", "4,16", "--tau", "10000,20000",
                "--no-classifier", "--radius", "3"])
        let r = try CLI.run(["merge", folder + "/x.json", parts[0], folder + "/other.json", parts[2]])
        XCTAssertTrue(r.stderr.contains("\(folder)/other.json: made with another set of options than \(parts[0]) (neurons=4,16 tau=10000,20000"), r.stderr)
    }

    func testEvaluateShardsMergeIntoTheReportOfOneRun() throws {
        let folder = try CLI.temporaryFolder(self)
        try ok(["simulate", "--out", folder + "/sim", "--train-per-class", "4", "--test-per-class", "2", "--seed", "3"])
        let args = ["evaluate", "--train", folder + "/sim", "--neurons", "8", "--radius", "3", "--classifier", "centroid,knn",
                    "--seeds", "2", "--cv", "2"]
        try ok(args + ["-o", folder + "/whole.json"])
        var parts = [String]()
        for i in 0..<3 {
            parts.append("\(folder)/eval\(i).json")
            try ok(args + ["--shard", "\(i)/3", "-o", parts[i], "--jobs", "1"])
        }
        try ok(["merge", folder + "/merged.json"] + parts.reversed())
        func report(_ path: String) throws -> NSDictionary {
            let object = try JSONSerialization.jsonObject(with: try bytes(path)) as! [String: Any]
            XCTAssertNotNil(object["seconds"])
            return object.filter { $0.key != "seconds" } as NSDictionary
        }
        let whole = try report(folder + "/whole.json")
        XCTAssertEqual(whole["test_recordings"] as? Int, 20)
        XCTAssertEqual((whole["results"] as? [Any])?.count, 10, "5 stage rows × 2 classifiers")
        XCTAssertEqual(try report(folder + "/merged.json"), whole)
        // A shard alone scores 6 or 7 of the 20 test recordings.
        let part = try JSONSerialization.jsonObject(with: try bytes(parts[0])) as! [String: Any]
        XCTAssertEqual(part["test_recordings"] as? Int, 7)
        XCTAssertEqual(part["kind"] as? String, "feast-evaluate-shard")
        let text = try CLI.run(["merge", "-"] + parts)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.text.contains("40 training, 20 test recordings; 2 seed(s); 2-fold CV within training"), text.text)
    }

    func testEvaluateMergeRefusesForeignMissingAndEmptyShards() throws {
        let folder = try CLI.temporaryFolder(self)
        try ok(["simulate", "--out", folder + "/sim", "--train-per-class", "2", "--test-per-class", "1", "--seed", "3"])
        let args = ["evaluate", "--train", folder + "/sim", "--stages", "a", "--classifier", "centroid"]
        for i in 0..<2 { try ok(args + ["--shard", "\(i)/2", "-o", "\(folder)/e\(i).json"]) }
        try ok(args + ["--shard", "1/2", "-o", folder + "/other.json", "--seed", "9"])
        let foreign = try CLI.run(["merge", folder + "/m.json", folder + "/e0.json", folder + "/other.json"])
        XCTAssertNotEqual(foreign.status, 0)
        XCTAssertTrue(foreign.stderr.contains("\(folder)/other.json: made with another set of options than \(folder)/e0.json"), foreign.stderr)
        let missing = try CLI.run(["merge", folder + "/m.json", folder + "/e0.json"])
        XCTAssertTrue(missing.stderr.contains("shard 1/2 missing (have 0/2 (\(folder)/e0.json))"), missing.stderr)
        let badOut = try CLI.run(["merge", folder + "/m.h5", folder + "/e0.json", folder + "/e1.json"])
        XCTAssertTrue(badOut.stderr.contains("\(folder)/m.h5: evaluate shards merge into a report: OUT must end in .json"), badOut.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.h5"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.json"), "nothing written on a refusal")
        let empty = try CLI.run(args + ["--shard", "12/13", "-o", folder + "/e12.json"])
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("--shard 12/13: this shard has no test recordings (10 in all): use at most 10 shards"), empty.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/e12.json"))
    }
}
