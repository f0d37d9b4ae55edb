import XCTest
import FeastEvents
@testable import FeastIO

final class PNGTests: XCTestCase {
    /// Where rendered examples go: FEAST_IO_PNG_DIR if set (to look at
    /// them), else the test's temporary folder.
    func outputFolder() -> String {
        ProcessInfo.processInfo.environment["FEAST_IO_PNG_DIR"] ?? makeTemporaryFolder(self)
    }

    func testWrittenPNGDecodesWithDrawnPixels() throws {
        let folder = makeTemporaryFolder(self)
        var image = RGBImage(width: 40, height: 30)
        image.fillRect(x: 5, y: 6, width: 10, height: 4, RGB(255, 0, 0))
        image.line(0, 29, 39, 29, RGB(0, 0, 255))
        image.line(20, 0, 39, 19, RGB(0, 200, 0))
        image.text("7", x: 30, y: 2, scale: 1, .black)
        try image.writePNG(to: folder + "/a.png")
        let back = try decodePNG(folder + "/a.png")
        XCTAssertEqual(back.width, 40)
        XCTAssertEqual(back.height, 30)
        XCTAssertEqual(back, image)
        XCTAssertEqual(back[5, 6], RGB(255, 0, 0))
        XCTAssertEqual(back[14, 9], RGB(255, 0, 0))
        XCTAssertEqual(back[15, 9], .white)
        XCTAssertEqual(back[17, 29], RGB(0, 0, 255))
        XCTAssertEqual(back[30, 10], RGB(0, 200, 0), "the diagonal passes (30, 10)")
        XCTAssertEqual(back[30, 2], .black, "top-left of the 7's bar")
        XCTAssertEqual(listFolder(folder), ["a.png"])
    }

    func testTextDrawsGlyphBitsAtScale() {
        var image = RGBImage(width: 20, height: 20)
        image.text("1", x: 2, y: 3, scale: 2)
        // Row 0 of "1" is ..#.. : column 2 set, column 1 clear; scale 2.
        XCTAssertEqual(image[2 + 4, 3], .black)
        XCTAssertEqual(image[2 + 5, 4], .black)
        XCTAssertEqual(image[2 + 2, 3], .white)
        XCTAssertEqual(BitmapFont.width(of: "ab", scale: 2), 22)
        XCTAssertEqual(BitmapFont.rows(for: "a"), BitmapFont.rows(for: "A"))
        XCTAssertNotEqual(BitmapFont.rows(for: "µ"), BitmapFont.rows(for: "M"))
    }

    func testColourMapsHitTheirEnds() {
        XCTAssertEqual(ColourMap.diverging.colour(1), RGB(178, 24, 43))
        XCTAssertEqual(ColourMap.diverging.colour(-1), RGB(33, 102, 172))
        XCTAssertEqual(ColourMap.diverging.colour(0), RGB(247, 247, 247))
        XCTAssertEqual(ColourMap.diverging.colour(7), ColourMap.diverging.colour(1))
        XCTAssertEqual(ColourMap.sequential.colour(0), RGB(68, 1, 84))
        XCTAssertEqual(ColourMap.sequential.colour(1), RGB(253, 231, 37))
        XCTAssertLessThan(ColourMap.blues.colour(0.2).luminance, ColourMap.blues.colour(0.1).luminance)
    }

    func testUnwritablePathGivesPNGError() {
        let message = errorMessage { try RGBImage(width: 2, height: 2).writePNG(to: "/nonexistent-dir/x.png") }
        XCTAssertNotNil(message)
        XCTAssertTrue(message!.hasPrefix("/nonexistent-dir/x.png: cannot write PNG: "), message!)
    }

    func testEventFrameColoursOnRedOffBlueBothPurple() throws {
        var frame = EventFrame(geometry: .nmnist)
        var events = ContiguousArray<Event>()
        func add(_ n: Int, x: UInt16, y: UInt16, p: UInt8) {
            events.append(contentsOf: repeatElement(Event(t: 0, x: x, y: y, polarity: p), count: n))
        }
        // A diagonal of ON events for shape, then pixels with known counts.
        for i in 0..<34 { add(30, x: UInt16(i), y: UInt16(i), p: 1) }
        add(50, x: 5, y: 20, p: 1)
        add(50, x: 6, y: 20, p: 0)
        add(25, x: 7, y: 20, p: 1)
        add(25, x: 7, y: 20, p: 0)
        add(5, x: 8, y: 20, p: 0)
        add(1, x: 40, y: 1, p: 1) // outside: ignored
        frame.add(events)
        XCTAssertEqual(frame.on.reduce(0, +), 34 * 30 + 50 + 25)
        let image = frame.render(scale: 6, title: "events")
        try image.writePNG(to: outputFolder() + "/frame.png")
        let top = BitmapFont.height() + 6
        func pixel(_ x: Int, _ y: Int) -> RGB { image[x * 6 + 3, top + y * 6 + 3] }
        XCTAssertEqual(pixel(5, 20), EventFrame.onColour, "50 ON events: full red (the 99th percentile is 50)")
        XCTAssertEqual(pixel(6, 20), EventFrame.offColour, "50 OFF events: full blue")
        XCTAssertEqual(pixel(7, 20), EventFrame.offColour.mixed(with: EventFrame.onColour, 0.5), "half and half: purple")
        XCTAssertEqual(pixel(8, 20), RGB.white.mixed(with: EventFrame.offColour, 0.1), "few OFF events: pale blue")
        XCTAssertEqual(pixel(0, 33), .white)
    }

    func testLinePlotRendersSeriesLegendAndReferenceLine() throws {
        let folder = outputFolder()
        let neurons: [Double] = [4, 8, 16, 32, 64]
        let plot = LinePlot(
            title: "Miss rate while training", xLabel: "events", yLabel: "miss rate",
            series: [
                .init(name: "N = 16", x: (0..<50).map { Double($0) * 2000 }, y: (0..<50).map { 0.9 * exp(-Double($0) / 8) + 0.05 }),
                .init(name: "N = 32", x: (0..<50).map { Double($0) * 2000 }, y: (0..<50).map { 0.9 * exp(-Double($0) / 12) + 0.03 }),
            ],
            referenceLines: [.init(y: 0.05, label: "predicted 0.05")])
        let image = plot.render()
        try plot.write(to: folder + "/lineplot.png")
        XCTAssertEqual(try decodePNG(folder + "/lineplot.png"), image)
        let palette0 = RGB.palette[0]
        XCTAssertTrue(image.pixels.count == 800 * 500 * 3)
        XCTAssertTrue((0..<image.width).contains { x in (0..<image.height).contains { image[x, $0] == palette0 } }, "first series drawn")

        let logPlot = LinePlot(title: "Accuracy vs neurons", xLabel: "neurons", yLabel: "accuracy",
                               series: [.init(name: "histogram", x: neurons, y: [0.62, 0.74, 0.83, 0.88, 0.9], markers: true),
                                        .init(name: "predictor", x: neurons, y: [0.5, 0.7, 0.8, 0.86, 0.87], markers: true)],
                               logX: true, yRange: 0...1)
        try logPlot.write(to: folder + "/lineplot-log.png")
        XCTAssertEqual(try decodePNG(folder + "/lineplot-log.png").width, 800)
    }

    func testHeatmapPrintsNumbersInCells() throws {
        let folder = outputFolder()
        var generator = SplitMix64(seed: 4)
        var values = [Double](repeating: 0, count: 100)
        for r in 0..<10 { for c in 0..<10 { values[r * 10 + c] = Double(r == c ? Int.random(in: 70...99, using: &generator) : Int.random(in: 0...6, using: &generator)) } }
        let heatmap = Heatmap(values: values, rows: 10, columns: 10, rowLabels: (0..<10).map(String.init),
                              columnLabels: (0..<10).map(String.init), title: "Confusion matrix (test, 1000)",
                              rowAxisLabel: "true class", columnAxisLabel: "predicted class")
        let image = heatmap.render()
        try heatmap.write(to: folder + "/heatmap.png")
        XCTAssertEqual(try decodePNG(folder + "/heatmap.png"), image)
        XCTAssertEqual(heatmap.cellText(7), "7")
        // The largest value's cell is the dark end of the map with white
        // digits; the layout puts cell (r, c) at (56 + 44c, 82 + 44r).
        let best = values.indices.max { values[$0] < values[$1] }!
        let (r, c) = (best / 10, best % 10)
        let cell = (0..<44).flatMap { y in (0..<44).map { x in image[56 + c * 44 + x, 82 + r * 44 + y] } }
        XCTAssertTrue(cell.contains(ColourMap.blues.colour(1)), "dark fill")
        XCTAssertTrue(cell.contains(.white), "white digits")
        XCTAssertFalse(cell.contains(.black))
    }

    func testMosaicDrawsTilesWithGapAndColours() throws {
        let folder = outputFolder()
        let k = 11
        var generator = SplitMix64(seed: 5)
        var oneChannel: [[Float]] = []
        var twoChannel: [[Float]] = []
        for n in 0..<16 {
            let angle = Double(n) * .pi / 16
            var on = [Float](repeating: 0, count: k * k), off = on
            for y in 0..<k {
                for x in 0..<k {
                    let d = Double(x - k / 2) * cos(angle) + Double(y - k / 2) * sin(angle)
                    let noise = Float.random(in: 0...0.05, using: &generator)
                    on[y * k + x] = Float(max(0, exp(-d * d / 4))) + noise
                    off[y * k + x] = Float(max(0, exp(-(d - 2.5) * (d - 2.5) / 4))) + noise
                }
            }
            oneChannel.append(on)
            twoChannel.append(on + off)
        }
        let mosaic = Mosaic(tiles: oneChannel, kernelSize: k, labels: (0..<16).map { "n\($0)" }, title: "Layer weights")
        let image = mosaic.render()
        try mosaic.write(to: folder + "/mosaic.png")
        XCTAssertEqual(try decodePNG(folder + "/mosaic.png"), image)
        // Tile 0 starts after the title and one gap; its brightest weight is
        // the yellow end of the sequential map, the gap stays background.
        XCTAssertEqual(image[0, image.height - 1], RGB(250, 250, 250))
        let tileTop0 = BitmapFont.height() + 6 + 6
        let tile0 = (0..<(k * 8)).flatMap { y in (0..<(k * 8)).map { x in image[6 + x, tileTop0 + y] } }
        XCTAssertTrue(tile0.contains(ColourMap.sequential.colour(1)), "brightest weight at the top of the map")
        XCTAssertEqual(image[6 + k * 8 + 3, tileTop0 + 5], RGB(250, 250, 250), "gap between tiles")

        let onOff = Mosaic(tiles: twoChannel, kernelSize: k, channels: 2, labels: (0..<16).map(String.init), title: "ON - OFF")
        try onOff.write(to: folder + "/mosaic-onoff.png")
        let sideBySide = Mosaic(tiles: Array(twoChannel.prefix(6)), kernelSize: k, channels: 2, style: .sideBySide, columns: 3,
                                labels: (0..<6).map { "neuron \($0)" }, title: "ON | OFF", fontScale: 1)
        let sbs = sideBySide.render()
        try sideBySide.write(to: folder + "/mosaic-sbs.png")
        XCTAssertEqual(sbs.width, 3 * (2 * k * 8 + 4 + 6) + 6)
        // ON panel of tile 0 has red pixels, OFF panel blue ones.
        let titleH = BitmapFont.height() + 6
        let tileTop = titleH + 6
        let onPanel = (0..<(k * 8)).flatMap { y in (0..<(k * 8)).map { x in sbs[6 + x, tileTop + y] } }
        let offPanel = (0..<(k * 8)).flatMap { y in (0..<(k * 8)).map { x in sbs[6 + k * 8 + 4 + x, tileTop + y] } }
        XCTAssertTrue(onPanel.contains { $0.r > 150 && $0.b < 80 }, "ON weights are red")
        XCTAssertTrue(offPanel.contains { $0.b > 150 && $0.r < 80 }, "OFF weights are blue")
    }
}
