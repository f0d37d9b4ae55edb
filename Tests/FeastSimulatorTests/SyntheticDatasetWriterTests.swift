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
            let data = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/" + item.relativePath), item.relativePath)
            XCTAssertEqual(data.count % 5, 0)
            XCTAssertEqual(NMNISTBytes.decode([UInt8](data)), simulator.recording(digit: item.digit, index: item.index, seed: 8))
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

    func testNMNISTBytesRoundTripTheFiveByteLayout() {
        let events: ContiguousArray<Event> = [
            Event(t: 0, x: 0, y: 0, polarity: 0), Event(t: 0x7F_FFFF, x: 33, y: 33, polarity: 1), Event(t: 70_000, x: 12, y: 5, polarity: 1),
        ]
        let bytes = NMNISTBytes.encode(events)
        XCTAssertEqual(Array(bytes[5..<10]), [33, 33, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(Array(bytes[10..<15]), [12, 5, 0x81, 0x11, 0x70])
        XCTAssertEqual(NMNISTBytes.decode(bytes), events)
    }
}
