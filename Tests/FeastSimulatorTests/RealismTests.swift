import FeastEvents
@testable import FeastSimulator
import XCTest

/// The synthetic recordings against the figures of the real N-MNIST subset
/// (nmnist-small: median 4177 events, p5 2270, p95 6017, ON fraction
/// 0.499, three bursts of ~100 ms, 0–33 in x and y).
final class RealismTests: XCTestCase {
    static let statistics: RecordingStatistics = {
        let plan = SyntheticDatasetPlan(trainPerClass: 12, testPerClass: 0, seed: 1)
        return RecordingStatistics.measure(SyntheticNMNIST().recordings(for: plan.items, seed: 1))
    }()

    func testEventCountMedianIsWithin30PercentOfTheRealOne() {
        let s = Self.statistics
        XCTAssertEqual(s.eventsMedian, 4177, accuracy: 0.3 * 4177)
        XCTAssertTrue(s.eventsP5 > 1500 && s.eventsP95 < 8000, "p5 \(s.eventsP5), p95 \(s.eventsP95)")
    }

    func testOnFractionIsNearOneHalf() {
        XCTAssertTrue((0.4...0.6).contains(Self.statistics.onFraction), "ON fraction \(Self.statistics.onFraction)")
    }

    func testThreeSaccadeBurstsAreVisible() {
        let s = Self.statistics
        XCTAssertGreaterThan(s.burstContrast(), 3, "profile \(s.profile)")
        for (n, share) in s.thirds.enumerated() {
            XCTAssertTrue((0.25...0.42).contains(share), "third \(n) holds \(share) of the events")
        }
        XCTAssertEqual(s.lastTimestamp, 307_700, accuracy: 10_000)
    }

    func testEventsSpanTheSensorAndTheDigitSitsInItsMiddle() {
        let s = Self.statistics
        XCTAssertEqual(s.xMin, 0, accuracy: 1)
        XCTAssertEqual(s.yMin, 0, accuracy: 1)
        XCTAssertEqual(s.xMax, 33, accuracy: 1)
        XCTAssertEqual(s.yMax, 33, accuracy: 1)
        XCTAssertTrue(s.xP5 >= 6 && s.xP95 <= 27 && s.yP5 >= 5 && s.yP95 <= 31,
                      "digit extent x \(s.xP5)–\(s.xP95), y \(s.yP5)–\(s.yP95)")
    }

    func testSyntheticFiguresAreCloseToTheRealRecordings() throws {
        let folder = dataRoot() + "/nmnist-small/Test"
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("real N-MNIST subset not found at \(folder) (set FEAST_DATA)")
        }
        let report = try RealismReport.run(realDirectory: folder, perClass: 6, seed: 3)
        let (r, s) = (report.real, report.synthetic)
        XCTAssertEqual(r.recordings, 100)
        XCTAssertEqual(s.eventsMedian, r.eventsMedian, accuracy: 0.3 * r.eventsMedian)
        XCTAssertEqual(s.onFraction, r.onFraction, accuracy: 0.05)
        XCTAssertEqual(s.activePixels, r.activePixels, accuracy: 0.3 * r.activePixels)
        for n in 0..<3 { XCTAssertEqual(s.thirds[n], r.thirds[n], accuracy: 0.06) }
        XCTAssertTrue(report.markdown.contains("| ON fraction (mean) |"))
    }

    func testRealismReportNamesAFolderWithoutRecordings() throws {
        let empty = NSTemporaryDirectory() + "feast-sim-empty-\(getpid())"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        XCTAssertThrowsError(try RealismReport.run(realDirectory: empty, perClass: 1)) { error in
            XCTAssertEqual("\(error)", "\(empty): no N-MNIST recordings (*.bin) found in this folder or its sub-folders")
        }
        XCTAssertThrowsError(try RealismReport.run(realDirectory: empty + "/missing", perClass: 1)) { error in
            XCTAssertEqual("\(error)", "\(empty)/missing: cannot read: no such folder")
        }
    }
}
