import XCTest
import FeastCore
import FeastEvents
@testable import FeastLearning

final class ExtractorTests: XCTestCase {
    private func out(_ x: UInt16, _ y: UInt16, p: UInt8, n: Int32, t: Int64 = 0) -> OutputEvent {
        OutputEvent(event: Event(t: t, x: x, y: y, polarity: p), neuron: n)
    }

    func testWinHistogramWithPolarityAndPoolingMatchesHandCount() throws {
        let ex = WinHistogramExtractor(neurons: 3, geometry: SensorGeometry(width: 4, height: 4), splitPolarity: true, pool: 2)
        XCTAssertEqual(ex.dimension, 2 * 4 * 3)
        let events = [
            out(0, 0, p: 1, n: 2),   // cell 0, ON  → ((0·2+1)·4+0)·3+2 = 14
            out(3, 0, p: 0, n: 1),   // cell 1, OFF → (0·4+1)·3+1 = 4
            out(2, 3, p: 1, n: 0),   // cell 3, ON  → (1·4+3)·3+0 = 21
            out(1, 1, p: 0, n: -1),  // miss: not counted
            out(1, 1, p: 0, n: 1),   // cell 0, OFF → 1
            out(0, 1, p: 0, n: 1),   // cell 0, OFF → 1 again
        ]
        var expected = [Double](repeating: 0, count: 24)
        expected[1] = 2; expected[4] = 1; expected[14] = 1; expected[21] = 1
        XCTAssertEqual(try ex.features(of: events), expected)
    }

    func testPlainHistogramCountsWinsPerNeuron() throws {
        let ex = WinHistogramExtractor(neurons: 4)
        let f = try ex.features(of: [out(5, 5, p: 1, n: 3), out(6, 5, p: 0, n: 3), out(7, 5, p: 0, n: 0)])
        XCTAssertEqual(f, [1, 0, 0, 2])
    }

    func testPoolingCellsTileAThirtyFourPixelSensorAsTwelveElevenEleven() throws {
        let ex = WinHistogramExtractor(neurons: 1, geometry: .nmnist, pool: 3)
        var cellOfX = [Int]()
        for x in 0..<34 {
            let f = try ex.features(of: [out(UInt16(x), 0, p: 0, n: 0)])
            cellOfX.append(f.firstIndex(of: 1)!)
        }
        XCTAssertEqual(cellOfX, Array(repeating: 0, count: 12) + Array(repeating: 1, count: 11) + Array(repeating: 2, count: 11))
        let bottom = try ex.features(of: [out(33, 33, p: 0, n: 0)])
        XCTAssertEqual(bottom.firstIndex(of: 1), 8)
    }

    func testTimeBinsSplitAtTheBinWidthAndClampTheLastBin() throws {
        let ex = WinHistogramExtractor(neurons: 2, timeBins: 3, binWidth: 100)
        let f = try ex.features(of: [
            out(0, 0, p: 0, n: 0, t: 0), out(0, 0, p: 0, n: 1, t: 99), out(0, 0, p: 0, n: 1, t: 100),
            out(0, 0, p: 0, n: 0, t: 250), out(0, 0, p: 0, n: 0, t: 10_000),
        ])
        XCTAssertEqual(f, [1, 1, 0, 1, 2, 0])
    }

    func testNormalisationScalesToUnitL1AndL2() throws {
        let events = [out(0, 0, p: 0, n: 0), out(0, 0, p: 0, n: 0), out(0, 0, p: 0, n: 0), out(0, 0, p: 0, n: 1),
                      out(0, 0, p: 0, n: 1), out(0, 0, p: 0, n: 1), out(0, 0, p: 0, n: 1)]
        XCTAssertEqual(try WinHistogramExtractor(neurons: 2, normalisation: .l1).features(of: events), [3.0 / 7, 4.0 / 7])
        XCTAssertEqual(try WinHistogramExtractor(neurons: 2, normalisation: .l2).features(of: events), [0.6, 0.8])
        XCTAssertEqual(try WinHistogramExtractor(neurons: 2, normalisation: .l2).features(of: [OutputEvent]()), [0, 0])
    }

    func testSqrtNormalisationIsTheRootOfTheL1Distribution() throws {
        let events = [out(0, 0, p: 0, n: 0)] + Array(repeating: out(0, 0, p: 0, n: 1), count: 3)
        XCTAssertEqual(try WinHistogramExtractor(neurons: 3, normalisation: .sqrt).features(of: events), [0.5, 0.75.squareRoot(), 0])
        XCTAssertEqual(try WinHistogramExtractor(neurons: 2, normalisation: .sqrt).features(of: [OutputEvent]()), [0, 0])
        var signed = [-1.0, 3.0]
        FeatureNormalisation.sqrt.apply(&signed)
        XCTAssertEqual(signed, [-0.5, 0.75.squareRoot()])
    }

    func testPyramidConcatenatesEachGridsHistogramInTheOrderGiven() throws {
        let geometry = SensorGeometry(width: 34, height: 34)
        let pyramid = WinHistogramExtractor(neurons: 3, geometry: geometry, splitPolarity: true, pools: [1, 2, 4], timeBins: 2, binWidth: 50)
        XCTAssertEqual(pyramid.dimension, 2 * 2 * 21 * 3)
        var rng = SplitMix64(seed: 4)
        let events = (0..<400).map { i in
            out(UInt16(rng.nextIndex(below: 34)), UInt16(rng.nextIndex(below: 34)), p: UInt8(i % 2),
                n: Int32(rng.nextIndex(below: 4)) - 1, t: Int64(rng.nextIndex(below: 120)))
        }
        let f = try pyramid.features(of: events)
        // Each (bin, polarity) plane holds grid 1, then 2, then 4, each laid out as that grid alone.
        let single = try [1, 2, 4].map { k in
            try WinHistogramExtractor(neurons: 3, geometry: geometry, splitPolarity: true, pool: k, timeBins: 2, binWidth: 50).features(of: events)
        }
        var expected = [Double]()
        for plane in 0..<4 {
            for (g, k) in [1, 2, 4].enumerated() {
                let size = k * k * 3
                expected += single[g][(plane * size)..<((plane + 1) * size)]
            }
        }
        XCTAssertEqual(f, expected)
        XCTAssertEqual(f.reduce(0, +), 3 * Double(events.filter { $0.neuron >= 0 }.count))
    }

    func testChunkedAccumulationEqualsWholeRecording() throws {
        let ex = WinHistogramExtractor(neurons: 5, splitPolarity: true, pool: 2)
        var rng = SplitMix64(seed: 9)
        let events = (0..<500).map { i in
            out(UInt16(rng.nextIndex(below: 34)), UInt16(rng.nextIndex(below: 34)), p: UInt8(i % 2), n: Int32(rng.nextIndex(below: 6)) - 1)
        }
        var f = ex.makeVector()
        try ex.accumulate(events[0..<123], into: &f, indexOffset: 0)
        try ex.accumulate(events[123...], into: &f, indexOffset: 123)
        ex.finish(&f)
        XCTAssertEqual(f, try ex.features(of: events))
        XCTAssertEqual(f.reduce(0, +), Double(events.filter { $0.neuron >= 0 }.count))
    }

    func testNeuronOutOfRangeNamesTheEventIndex() {
        let ex = WinHistogramExtractor(neurons: 3)
        var f = ex.makeVector()
        XCTAssertThrowsError(try ex.accumulate([out(0, 0, p: 0, n: 0), out(0, 0, p: 0, n: 3)], into: &f, indexOffset: 10)) { error in
            XCTAssertEqual("\(error)", "output event 11: neuron 3 out of range, expected -1 (miss) or 0..<3")
        }
        XCTAssertThrowsError(try ex.features(of: [out(0, 0, p: 0, n: -2)])) { error in
            XCTAssertEqual("\(error)", "output event 0: neuron -2 out of range, expected -1 (miss) or 0..<3")
        }
    }

    func testEventOutsideTheSensorIsRejected() {
        let ex = WinHistogramExtractor(neurons: 1, geometry: SensorGeometry(width: 4, height: 4))
        XCTAssertThrowsError(try ex.features(of: [out(4, 0, p: 0, n: 0)])) { error in
            XCTAssertEqual("\(error)", "event 0: address (4, 0) outside the 4×4 sensor")
        }
    }

    func testPixelCountsWithBlocksMatchHandCount() throws {
        let ex = PixelCountExtractor(geometry: SensorGeometry(width: 4, height: 4), block: 2)
        XCTAssertEqual(ex.dimension, 2 * 2 * 2)
        let f = try ex.features(ofEvents: [
            Event(t: 0, x: 3, y: 1, polarity: 1),  // ON, block (1, 0) → (1·2+0)·2+1 = 5
            Event(t: 1, x: 2, y: 0, polarity: 1),  // same block
            Event(t: 2, x: 0, y: 3, polarity: 0),  // OFF, block (0, 1) → (0·2+1)·2+0 = 2
        ])
        XCTAssertEqual(f, [0, 0, 1, 0, 0, 2, 0, 0])
        // Uneven blocks round up: 4 pixels in blocks of 3 → 2 per side.
        XCTAssertEqual(PixelCountExtractor(geometry: SensorGeometry(width: 4, height: 4), splitPolarity: false, block: 3).dimension, 4)
    }

    func testPixelCountsPerPixelTimesPolarityOnNMNIST() throws {
        let ex = PixelCountExtractor()
        XCTAssertEqual(ex.dimension, 2 * 34 * 34)
        let f = try ex.features(ofEvents: [Event(t: 0, x: 33, y: 33, polarity: 1), Event(t: 0, x: 1, y: 0, polarity: 0)])
        XCTAssertEqual(f[34 * 34 + 33 * 34 + 33], 1)
        XCTAssertEqual(f[1], 1)
        XCTAssertEqual(f.reduce(0, +), 2)
        // Through the output-event protocol, misses count too (the input event happened).
        XCTAssertEqual(try ex.features(of: [out(1, 0, p: 0, n: -1)])[1], 1)
    }
}
