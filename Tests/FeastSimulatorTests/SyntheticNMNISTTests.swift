import FeastEvents
@testable import FeastSimulator
import XCTest

final class SyntheticNMNISTTests: XCTestCase {
    let simulator = SyntheticNMNIST()

    func testSameSeedDigitAndIndexGiveIdenticalEvents() {
        let a = simulator.recording(digit: 3, index: 5, seed: 42)
        let b = simulator.recording(digit: 3, index: 5, seed: 42)
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a, b)
    }

    func testDifferentSeedIndexOrDigitGiveDifferentEvents() {
        let base = simulator.recording(digit: 3, index: 5, seed: 42)
        XCTAssertNotEqual(base, simulator.recording(digit: 3, index: 5, seed: 43))
        XCTAssertNotEqual(base, simulator.recording(digit: 3, index: 6, seed: 42))
        XCTAssertNotEqual(base, simulator.recording(digit: 4, index: 5, seed: 42))
    }

    func testEventsAreSortedInsideTheSensorAndTheRecording() {
        for digit in 0...9 {
            let events = simulator.recording(digit: digit, index: 0, seed: 9)
            XCTAssertTrue(isSortedByTime(events), "digit \(digit) not sorted")
            for e in events {
                XCTAssertTrue(SensorGeometry.nmnist.contains(x: Int(e.x), y: Int(e.y)), "\(e) off the sensor")
                XCTAssertTrue(e.t >= 0 && e.t <= simulator.dvs.duration, "\(e) outside the recording")
                XCTAssertTrue(e.polarity <= 1)
            }
        }
    }

    func testParallelGenerationEqualsOneByOneInAnyOrder() {
        let plan = SyntheticDatasetPlan(trainPerClass: 2, testPerClass: 1, seed: 11)
        let parallel = simulator.recordings(for: plan.items, seed: 11)
        for (k, item) in plan.items.enumerated().reversed() {
            XCTAssertEqual(parallel[k], simulator.recording(digit: item.digit, index: item.index, seed: 11), item.relativePath)
        }
    }

    func testGlyphsOfDifferentDigitsDifferMoreThanSamplesOfOneDigit() {
        // Mean ink images over 20 samples: two digits' means are far apart,
        // two halves of one digit's samples are close.
        func mean(_ digit: Int, _ indices: Range<Int>) -> [Double] {
            var m = [Double](repeating: 0, count: 34 * 34)
            for i in indices {
                let g = simulator.glyph(digit: digit, index: i, seed: 1)
                for p in m.indices { m[p] += g.pixels[p] / Double(indices.count) }
            }
            return m
        }
        let within = squaredDistance(mean(1, 0..<10), mean(1, 10..<20))
        for other in [0, 7, 8] {
            let between = squaredDistance(mean(1, 0..<20), mean(other, 0..<20))
            XCTAssertGreaterThan(between, 4 * within, "digit 1 vs \(other)")
        }
    }

    func testGlyphInkStaysInsideTheSensorAndCoversAPlausibleArea() {
        for digit in 0...9 { for index in 0..<20 {
            let g = simulator.glyph(digit: digit, index: index, seed: 2)
            XCTAssertTrue(g.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            let ink = g.pixels.reduce(0, +)
            XCTAssertTrue(ink > 25 && ink < 260, "digit \(digit): ink \(ink) pixels")
            // Scaled to fit like MNIST: the border of the sensor stays clear
            // and the inked box is at most 22 px + pen + edge ramp.
            var rows: [Int] = [], columns: [Int] = []
            for j in 0..<34 { for i in 0..<34 where g.pixels[j * 34 + i] > 0 { rows.append(j); columns.append(i) } }
            XCTAssertTrue(rows.min()! >= 1 && columns.min()! >= 1 && rows.max()! <= 32 && columns.max()! <= 32, "digit \(digit) touches the border")
            XCTAssertLessThanOrEqual(max(rows.max()! - rows.min()!, columns.max()! - columns.min()!), 28, "digit \(digit)")
            XCTAssertGreaterThanOrEqual(max(rows.max()! - rows.min()!, columns.max()! - columns.min()!), 16, "digit \(digit)")
        } }
    }

    func testNearestCentroidOnPixelCountsRecognisesTheDigits() {
        // A classifier could learn from these recordings: nearest centroid
        // on per-pixel event counts, 20 training and 10 test per digit.
        let plan = SyntheticDatasetPlan(trainPerClass: 20, testPerClass: 10, seed: 5)
        let recordings = simulator.recordings(for: plan.items, seed: 5)
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: 34 * 34), count: 10)
        for (k, item) in plan.items.enumerated() where item.split == "train" {
            let v = pixelCounts(recordings[k])
            for p in v.indices { centroids[item.digit][p] += v[p] }
        }
        var correct = 0, total = 0
        for (k, item) in plan.items.enumerated() where item.split == "test" {
            let v = pixelCounts(recordings[k])
            let guess = (0...9).min { squaredDistance(v, centroids[$0].map { $0 / 20 }) < squaredDistance(v, centroids[$1].map { $0 / 20 }) }!
            if guess == item.digit { correct += 1 }
            total += 1
        }
        let accuracy = Double(correct) / Double(total)
        XCTAssertGreaterThan(accuracy, 0.6, "nearest-centroid accuracy \(accuracy)")
    }

    func testSaccadePathClosesTheTriangle() {
        let path = SaccadePath.nmnist()
        let start = path.position(at: 0), end = path.position(at: 400_000)
        XCTAssertEqual(start.x, end.x, accuracy: 1e-9)
        XCTAssertEqual(start.y, end.y, accuracy: 1e-9)
        let corner = path.position(at: 100_000)
        XCTAssertEqual(corner.x - start.x, 2, accuracy: 1e-9)
        XCTAssertEqual(corner.y - start.y, 4, accuracy: 1e-9)
    }

    func testDVSModelFiresOnlyForChangesPlusNoise() {
        // A static scene gives no events without noise, and about
        // rate × pixels × duration with it.
        var quiet = DVSParameters.nmnist
        quiet.backgroundRate = 0
        var rng = SeededGenerator(seed: 1)
        let sensor = DVSPixelModel(geometry: .nmnist, parameters: quiet, sensorRNG: &rng)
        var r1 = SeededGenerator(seed: 2)
        XCTAssertEqual(sensor.record(rng: &r1) { _, b in for p in b.indices { b[p] = 0.5 } }.count, 0)
        var noisy = quiet
        noisy.backgroundRate = 10
        let noisySensor = DVSPixelModel(geometry: .nmnist, parameters: noisy, sensorRNG: &rng)
        var r2 = SeededGenerator(seed: 3)
        let n = noisySensor.record(rng: &r2) { _, b in for p in b.indices { b[p] = 0.5 } }.count
        let expected = 10 * 1156 * Double(noisy.duration) / 1e6
        XCTAssertEqual(Double(n), expected, accuracy: 4 * expected.squareRoot())
    }

    func testARampFiresOneEventPerThresholdRespectingTheRefractoryPeriod() {
        var p = DVSParameters.nmnist
        p.backgroundRate = 0; p.thresholdMismatch = 0; p.timestampJitter = 0
        p.onThreshold = 0.25; p.offThreshold = 0.25
        var rng = SeededGenerator(seed: 1)
        let sensor = DVSPixelModel(geometry: SensorGeometry(width: 1, height: 1), parameters: p, sensorRNG: &rng)
        var r = SeededGenerator(seed: 2)
        // Log intensity rises by 2.5 over the recording: 9 or 10 ON events.
        let events = sensor.record(rng: &r) { t, b in b[0] = 2.5 * Double(t) / Double(p.duration) }
        XCTAssertTrue((9...10).contains(events.count), "\(events.count) events")
        XCTAssertTrue(events.allSatisfy { $0.polarity == 1 })
        // A step of 2.5 at once: the refractory period spaces the events.
        var r3 = SeededGenerator(seed: 2)
        let step = sensor.record(rng: &r3) { t, b in b[0] = t >= 100_000 ? 2.5 : 0 }
        XCTAssertGreaterThan(step.count, 0)
        for (a, b) in zip(step, step.dropFirst()) { XCTAssertGreaterThanOrEqual(b.t - a.t, p.refractoryPeriod) }
    }
}
