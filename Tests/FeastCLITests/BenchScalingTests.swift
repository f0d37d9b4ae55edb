import Foundation
import XCTest

/// `feast bench layer --scaling`: the table has a row per N × R ×
/// arithmetic with its roofline, and the plot is a PNG. (Figures are not
/// asserted: speed is measured by the benchmark, not by tests.)
final class BenchScalingTests: XCTestCase {
    func testScalingTablePrintsEveryConfigurationWithItsRooflineAndPlots() throws {
        let dir = try CLI.temporaryFolder(self)
        let r = try CLI.run(["bench", "layer", "--scaling", "--data", dir + "/absent", "--neurons", "8,16", "--radii", "1,2",
                             "--scaling-events", "2000", "--plot", dir + "/scaling.png"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.text.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("layer ") }, r.text)
        XCTAssertTrue(lines[header].contains("bound ns/ev") && lines[header].contains("infer ÷ bound"), lines[header])
        let rows = lines[(header + 1)...].map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.count, 8, r.text)
        XCTAssertEqual(Set(rows.map { "\($0[0]) \($0[1]) \($0[2]) \($0[3])" }),
                       ["float 8 1 9", "float 16 1 9", "float 8 2 25", "float 16 2 25",
                        "fixed 8 1 9", "fixed 16 1 9", "fixed 8 2 25", "fixed 16 2 25"], r.text)
        // Small layers fit in L2: the bound is the compute one.
        XCTAssertTrue(rows.allSatisfy { $0[9] == "compute" }, r.text)
        XCTAssertTrue(r.text.contains("G multiply-adds/s"), r.text)
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/scaling.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testPlotWithoutScalingNamesTheMissingFlag() throws {
        let r = try CLI.run(["bench", "layer", "--plot", "x.png"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--plot draws the scaling table: add --scaling"), r.stderr)
    }
}

