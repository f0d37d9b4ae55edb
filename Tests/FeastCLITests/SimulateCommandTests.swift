import Foundation
import XCTest

final class SimulateCommandTests: XCTestCase {
    func testSimulateWritesTheLayoutAndTheSameBytesForTheSameSeed() throws {
        let dir = try CLI.temporaryFolder(self)
        let a = try CLI.run(["simulate", "--out", dir + "/a", "--train-per-class", "2", "--test-per-class", "1", "--seed", "5"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout.count, 0, "stdout carries data only")
        XCTAssertTrue(a.stderr.contains("30 recordings (20 train, 10 test)"), a.stderr)
        let labels = try String(contentsOfFile: dir + "/a/labels.csv", encoding: .utf8)
        XCTAssertTrue(labels.hasPrefix("file,label,split\nTrain/0/00001.bin,0,train\n"), labels)
        XCTAssertEqual(labels.split(separator: "\n").count, 31)
        let b = try CLI.run(["simulate", "--out", dir + "/b", "--train-per-class", "2", "--test-per-class", "1", "--seed", "5"])
        XCTAssertEqual(b.status, 0, b.stderr)
        let c = try CLI.run(["simulate", "--out", dir + "/c", "--train-per-class", "2", "--test-per-class", "1", "--seed", "6"])
        XCTAssertEqual(c.status, 0, c.stderr)
        for file in ["Train/3/00004.bin", "Test/9/00010.bin"] {
            let fa = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/a/\(file)"), file)
            XCTAssertGreaterThan(fa.count, 5 * 500)
            XCTAssertEqual(fa, FileManager.default.contents(atPath: "\(dir)/b/\(file)"), file)
            XCTAssertNotEqual(fa, FileManager.default.contents(atPath: "\(dir)/c/\(file)"), file)
        }
    }

    func testKnownPatternsOptionWritesUnlabelledRecordings() throws {
        let dir = try CLI.temporaryFolder(self)
        let r = try CLI.run(["simulate", "--out", dir, "--known-patterns", "8", "--train-per-class", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/Train/0").sorted()
        XCTAssertEqual(files, ["00001.bin", "00002.bin", "00003.bin"])
        let bad = try CLI.run(["simulate", "--out", dir, "--known-patterns", "0"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--known-patterns must be at least 1"), bad.stderr)
    }

    func testSimulateWithoutOutputFolderExplainsWhatIsMissing() throws {
        let r = try CLI.run(["simulate"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("give --out DIR"), r.stderr)
    }

    func testRealismFlagPrintsTheMarkdownTable() throws {
        let real = try CLI.nmnistSmall() + "/Test"
        let r = try CLI.run(["simulate", "--realism", real, "--realism-per-class", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.text.contains("| figure | real N-MNIST | synthetic |"), r.text)
        XCTAssertTrue(r.text.contains("| recordings | 100 | 20 |"), r.text)
    }

    func testPlanesKindWritesEventStreamPassesThatTrainAndEvaluate() throws {
        let dir = try CLI.temporaryFolder(self)
        let r = try CLI.run(["simulate", "--kind", "planes", "--out", dir + "/p", "--train-per-class", "3", "--test-per-class", "1", "--seed", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("16 recordings (12 train, 4 test)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("| isolated events (no neighbour within 10 ms) |"), r.stderr)
        let info = try CLI.run(["info", dir + "/p/Test/3/00004.es"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.text.contains("304×240"), info.text)
        // The whole pipeline takes the larger sensor: the stage table of evaluate.
        let e = try CLI.run(["evaluate", "--train", dir + "/p", "--neurons", "8", "--stages", "a,c",
                             "--baseline-features", "pixels:block=16", "--features", "hist", "--json"])
        XCTAssertEqual(e.status, 0, e.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: e.stdout) as? [String: Any])
        XCTAssertEqual(json["test_recordings"] as? Int, 4, e.text)
        XCTAssertEqual(json["train_recordings"] as? Int, 12, e.text)
        let rows = try XCTUnwrap(json["results"] as? [[String: Any]], e.text)
        XCTAssertEqual(rows.compactMap { $0["stage"] as? String }.sorted(), ["a", "c"], e.text)
        // Misuse names the flag.
        let bad = try CLI.run(["simulate", "--kind", "planes", "--out", dir + "/q", "--known-patterns", "3"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--kind planes: --known-patterns and --realism are for digits; expected --kind digits"), bad.stderr)
        let unknown = try CLI.run(["simulate", "--kind", "jets", "--out", dir + "/q"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("jets"), unknown.stderr)
    }
}
