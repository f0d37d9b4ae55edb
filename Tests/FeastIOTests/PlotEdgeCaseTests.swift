import XCTest
@testable import FeastIO

/// Plots with awkward data: tiny and negative values, many series, log
/// axes over decades, fractional cells. Written to FEAST_IO_PNG_DIR when set.
final class PlotEdgeCaseTests: XCTestCase {
    func folder() -> String { ProcessInfo.processInfo.environment["FEAST_IO_PNG_DIR"] ?? makeTemporaryFolder(self) }

    func testTickLabelsForSmallLargeAndNegativeRanges() {
        let small = PlotAxis.linear(0.0013, 0.0291)
        XCTAssertEqual(small.ticks.map { PlotAxis.label($0, step: 0.005) }, ["0", "0.005", "0.010", "0.015", "0.020", "0.025", "0.030"])
        let large = PlotAxis.linear(0, 2_000_000)
        XCTAssertEqual(large.ticks.map { PlotAxis.label($0, step: 500_000) }, ["0", "500k", "1M", "1.5M", "2M"])
        XCTAssertEqual(PlotAxis.label(2_500, step: 500), "2500")
        XCTAssertEqual(PlotAxis.label(12_500, step: 2_500), "12.5k")
        let negative = PlotAxis.linear(-0.8, 0.3)
        XCTAssertEqual(negative.lo, -0.8, accuracy: 1e-12)
        XCTAssertTrue(negative.ticks.contains(0))
        XCTAssertEqual(PlotAxis.logarithmic(3, 40_000).ticks, [1, 10, 100, 1_000, 10_000, 100_000])
        XCTAssertEqual(PlotAxis.linear(5, 5).ticks.count > 1, true, "a flat series still gets an axis")
    }

    func testAwkwardPlotsRenderAndDecode() throws {
        let out = folder()
        let events = (1...40).map { Double($0) * 25_000 }
        let series = (0..<6).map { k in
            LinePlot.Series(name: "N = \(4 << k)", x: events,
                            y: events.map { e in 0.02 / Double(1 << k) + 0.3 * exp(-e / (150_000 * Double(k + 1))) })
        }
        let plot = LinePlot(title: "Miss rate, 6 sizes", xLabel: "events", yLabel: "miss rate", series: series,
                            referenceLines: [.init(y: 0.0123, label: "predicted N=16: 0.0123")], logX: true)
        try plot.write(to: out + "/edge-lineplot.png")
        XCTAssertEqual(try decodePNG(out + "/edge-lineplot.png").height, 500)

        let drift = LinePlot(title: "Weight drift", xLabel: "epoch", yLabel: "change",
                             series: [.init(name: "mean", x: [0, 1, 2, 3, 4], y: [-0.8, -0.2, 0.1, 0.25, 0.3], markers: true)],
                             referenceLines: [.init(y: 0, label: "zero")], width: 500, height: 320, fontScale: 1)
        try drift.write(to: out + "/edge-drift.png")

        var values: [Double] = []
        for r in 0..<4 { for c in 0..<4 { values.append(r == c ? 0.9 - 0.1 * Double(r) : -0.05 * Double(r + c)) } }
        let heatmap = Heatmap(values: values, rows: 4, columns: 4, rowLabels: ["ridge", "knn", "elm", "logistic"],
                              columnLabels: ["hist", "pol", "pool", "all"], title: "Accuracy minus baseline",
                              colourMap: .diverging, range: -1...1, cellSize: 60)
        let image = heatmap.render()
        try image.writePNG(to: out + "/edge-heatmap.png")
        XCTAssertEqual(heatmap.cellText(0.9), "0.90")
        XCTAssertEqual(try decodePNG(out + "/edge-heatmap.png"), image)
    }
}
