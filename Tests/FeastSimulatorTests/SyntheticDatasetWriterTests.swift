import FeastEvents
@testable import FeastSimulator
import XCTest

final class SyntheticDatasetWriterTests: XCTestCase {
    func testWritesTheNMNISTLayoutAndLabelsAndRoundTrips() throws {
        let dir = NSTemporaryDirectory() + "feast-sim-out-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = SyntheticDatasetPlan(trainPerClass: 2, testPerClass: 1, seed: 8)
        try SyntheticDatasetWriter.write(plan: plan, to: dir)
        let labels = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(labels.first, "file,label,split")
        XCTAssertEqual(labels.count, 1 + 30)
        XCTAssertTrue(labels.contains("Train/3/00004.bin,3,train"))
        XCTAssertTrue(labels.contains("Test/9/00010.bin,9,test"))
        let simulator = SyntheticNMNIST()
        for item in plan.items {
            var reader = try NMNISTReader(path: dir + "/" + item.relativePath)
            XCTAssertEqual(try reader.readAll(), simulator.recording(digit: item.digit, index: item.index, seed: 8), item.relativePath)
        }
        // No temporary files left behind.
        let leftovers = (FileManager.default.subpaths(atPath: dir) ?? []).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testTestSamplesDoNotDependOnTheTrainingCount() {
        let small = SyntheticDatasetPlan(trainPerClass: 1, testPerClass: 2, seed: 1)
        let large = SyntheticDatasetPlan(trainPerClass: 5, testPerClass: 2, seed: 1)
        XCTAssertEqual(small.items.filter { $0.split == "test" }, large.items.filter { $0.split == "test" })
        XCTAssertTrue(Set(large.items.filter { $0.split == "train" }.map(\.index)).isDisjoint(with: large.items.filter { $0.split == "test" }.map(\.index)))
    }

    func testWritesKnownPatternRecordingsThatReadBackTagForTag() throws {
        let dir = NSTemporaryDirectory() + "feast-sim-kp-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let generator = KnownPatternsGenerator(k: 4, seed: 2)
        try SyntheticDatasetWriter.write(knownPatterns: generator, count: 3, to: dir)
        let labels = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8)
        XCTAssertEqual(labels, "file,label,split\nTrain/0/00001.bin,0,train\nTrain/0/00002.bin,0,train\nTrain/0/00003.bin,0,train\n")
        for index in 0..<3 {
            var reader = try NMNISTReader(path: dir + "/Train/0/0000\(index + 1).bin")
            XCTAssertEqual(try reader.readAll(), generator.recording(index: index).events)
        }
    }
}
