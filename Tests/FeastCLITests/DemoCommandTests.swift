import Foundation
import XCTest
@testable import FeastIO

final class DemoCommandTests: XCTestCase {
    /// Decodes a PNG with libpng and checks it is a real picture: not tiny,
    /// and not one flat colour.
    func assertPicture(_ path: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let image = try decodePNG(path)
            XCTAssertGreaterThan(image.width, 100, path, file: file, line: line)
            XCTAssertGreaterThan(image.height, 100, path, file: file, line: line)
            XCTAssertGreaterThan(Set(image.pixels.map { "\($0)" }).count, 2, "\(path) is one flat colour", file: file, line: line)
        } catch {
            XCTFail("\(path): \(error)", file: file, line: line)
        }
    }

    /// `feast demo` at a tiny size, end to end: simulates, trains,
    /// evaluates, prints the stage table with every stage and default
    /// classifier, the accuracy and the way to the real N-MNIST, and writes
    /// three decodable pictures and the network into the folder it names.
    func testDemoAtATinySizePrintsTheStageTableAndWritesThreeDecodablePictures() throws {
        let out = try CLI.temporaryFolder(self) + "/demo"
        let r = try CLI.run(["demo", "--out", out, "--train-per-class", "3", "--test-per-class", "1", "--seed", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = r.text
        XCTAssertTrue(text.contains("30 training, 10 test recordings"), text)
        let header = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("stage ") }, text)
        XCTAssertEqual(header.split(separator: " ").map(String.init), ["stage", "features", "logistic", "ridge", "centroid", "knn"])
        for row in ["a raw events", "b untrained layer", "c trained, win counts", "d trained, pooled"] {
            XCTAssertTrue(text.contains("\n" + row), "stage row '\(row)' in:\n\(text)")
        }
        let accuracyLine = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("accuracy: ") }, text)
        let accuracy = try XCTUnwrap(Double(accuracyLine.dropFirst("accuracy: ".count).prefix(5)), String(accuracyLine))
        XCTAssertTrue(accuracyLine.contains("with trained FEAST (stage d, hist:pool=4,norm=sqrt, logistic) on 10 synthetic test recordings"), String(accuracyLine))
        XCTAssertTrue((0...1).contains(accuracy), String(accuracyLine))
        XCTAssertTrue(text.contains("written to \(out)/:"), text)
        XCTAssertTrue(text.contains("demo time: "), text)
        XCTAssertTrue(text.hasSuffix("""
              bash datasets/fetch-nmnist.sh
              feast evaluate --train datasets/nmnist/Train.zip --test datasets/nmnist/Test.zip --plots out/

            """), "ends with the way to the real N-MNIST:\n\(text)")
        for picture in ["weights.png", "history.png", "confusion.png"] { assertPicture(out + "/" + picture) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/network.h5"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/data/labels.csv"))
        XCTAssertFalse(r.stderr.isEmpty, "progress goes to stderr")
    }

    /// `--json`: one object with every stage result, the accuracy (the best
    /// result's), the output folder, the pictures and the seconds.
    func testDemoJSONIsOneObjectWithStageResultsAccuracyFolderAndSeconds() throws {
        let out = try CLI.temporaryFolder(self) + "/demo-json"
        let r = try CLI.run(["demo", "--out", out, "--train-per-class", "2", "--test-per-class", "1", "--classifier", "centroid", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.text)
        XCTAssertEqual(object["output"] as? String, out)
        let results = try XCTUnwrap(object["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["stage"] as? String }, ["a", "b", "b", "c", "d"], "b has c's and d's features")
        let accuracies = results.compactMap { $0["accuracy"] as? Double }
        XCTAssertEqual(object["accuracy"] as? Double, accuracies.last, "trained FEAST's (stage d)")
        XCTAssertEqual(object["best_accuracy"] as? Double, accuracies.max())
        XCTAssertEqual((object["confusion"] as? [[Int]])?.joined().reduce(0, +), 10, "every test recording once")
        XCTAssertEqual(object["train_recordings"] as? Int, 20)
        XCTAssertEqual(object["test_recordings"] as? Int, 10)
        let seconds = try XCTUnwrap(object["seconds"] as? [String: Double])
        for key in ["simulate", "training", "features", "classifiers", "pictures", "wall", "cpu"] {
            XCTAssertGreaterThanOrEqual(seconds[key] ?? -1, 0, "seconds.\(key)")
        }
        XCTAssertGreaterThan(seconds["wall"] ?? 0, 0)
        XCTAssertGreaterThan(seconds["cpu"] ?? 0, 0)
        let pictures = try XCTUnwrap(object["pictures"] as? [String])
        XCTAssertEqual(pictures, ["weights.png", "history.png", "confusion.png"].map { out + "/" + $0 })
        for p in pictures { assertPicture(p) }
    }

    func testDemoRejectsEmptySplitsWithAClearMessage() throws {
        let r = try CLI.run(["demo", "--out", try CLI.temporaryFolder(self), "--test-per-class", "0"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--train-per-class and --test-per-class must be at least 1 (got 100 and 0)"), r.stderr)
        XCTAssertTrue(r.stdout.isEmpty)
    }
}
