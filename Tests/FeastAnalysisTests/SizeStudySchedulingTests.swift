import XCTest
import FeastAnalysis
import FeastCore
import FeastEvents
import FeastSimulator

/// `SizeStudy.run` hands the largest layers out first; the rows must still
/// come back in the order asked for, equal to running one at a time.
final class SizeStudySchedulingTests: XCTestCase {
    func testRowsKeepTheirOrderAndValuesWhateverTheWorkersAndTheClaimOrder() throws {
        let generator = KnownPatternsGenerator(k: 4, radius: 2, seed: 3)
        let recordings = (0..<6).map { generator.recording(index: $0).events }
        let split = SizeStudy.Split(events: recordings, labels: [Int](repeating: 0, count: recordings.count))
        var base = FeastParameters()
        base.radius = 2
        let study = SizeStudy(base: base, classes: 1, classifier: nil)
        // Unsorted on purpose, with a repeated N and two seeds.
        let grid = [(4, 1), (16, 1), (8, 2), (16, 2), (4, 2)].map { SizeConfiguration(neurons: $0.0, tau: 10_000, seed: UInt64($0.1)) }
        let one = try study.run(grid, train: split, test: nil, parallelism: 1)
        let two = try study.run(grid, train: split, test: nil, parallelism: 2)
        XCTAssertEqual(one.map(\.configuration), grid)
        XCTAssertEqual(two, one)
        // Each row is the row of its configuration alone.
        XCTAssertEqual(try study.row(grid[2], train: split, test: nil), one[2])
        XCTAssertNotEqual(one[0], one[4], "seeds 1 and 2 of N = 4 differ")
    }
}
