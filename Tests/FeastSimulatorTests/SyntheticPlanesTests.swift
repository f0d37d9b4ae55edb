import FeastEvents
@testable import FeastSimulator
import XCTest

final class SyntheticPlanesTests: XCTestCase {
    let simulator = SyntheticPlanes()

    func testARecordingIsAPureFunctionOfSeedClassAndIndex() {
        let a = simulator.recording(kind: 2, index: 7, seed: 3)
        XCTAssertEqual(a, simulator.recording(kind: 2, index: 7, seed: 3))
        XCTAssertNotEqual(a, simulator.recording(kind: 2, index: 8, seed: 3))
        XCTAssertNotEqual(a, simulator.recording(kind: 2, index: 7, seed: 4))
        XCTAssertNotEqual(a, simulator.recording(kind: 1, index: 7, seed: 3))
    }

    func testEveryPassCrossesTheWholeSensorInsideTheRecording() {
        let geometry = SyntheticPlanes.atis
        for kind in 0..<4 {
            for index in 0..<3 {
                let events = simulator.recording(kind: kind, index: index, seed: 1)
                XCTAssertTrue(zip(events, events.dropFirst()).allSatisfy { $0.t <= $1.t }, "sorted by time")
                XCTAssertTrue(events.allSatisfy { geometry.contains(x: Int($0.x), y: Int($0.y)) && (0...400_000).contains($0.t) })
                // The object's edges (pixels with ≥ 4 events) reach both side
                // columns: the pass enters at one edge and leaves at the other.
                var perPixel = [Int](repeating: 0, count: geometry.pixelCount)
                for e in events { perPixel[Int(e.y) * geometry.width + Int(e.x)] += 1 }
                let busyColumns = Set((0..<geometry.pixelCount).filter { perPixel[$0] >= 4 }.map { $0 % geometry.width })
                XCTAssertTrue(busyColumns.contains { $0 < 8 } && busyColumns.contains { $0 >= geometry.width - 8 },
                              "class \(kind) pass \(index): object edges in columns \(busyColumns.min() ?? -1)…\(busyColumns.max() ?? -1)")
                // A dark object in motion: OFF events lead, ON trail, about as many of each.
                let on = Double(events.filter { $0.polarity != 0 }.count) / Double(events.count)
                XCTAssertEqual(on, 0.5, accuracy: 0.08, "class \(kind) pass \(index)")
            }
        }
    }

    func testPassesVaryInSpeedDirectionHeightAndDistance() {
        let passes = (0..<40).map { simulator.pass(kind: $0 % 4, index: $0, seed: 1) }
        XCTAssertTrue(passes.contains { _cos($0.heading) > 0 } && passes.contains { _cos($0.heading) < 0 }, "both directions")
        XCTAssertTrue(passes.allSatisfy { abs(_sin($0.heading)) <= _sin(SyntheticPlanes.maxTilt) + 1e-12 })
        let speeds = passes.map(\.speed), lengths = passes.map(\.length), heights = passes.map(\.crossingY)
        XCTAssertGreaterThan(speeds.max()! / speeds.min()!, 1.5)
        XCTAssertTrue(lengths.allSatisfy { simulator.lengths.contains($0) })
        XCTAssertGreaterThan(lengths.max()! - lengths.min()!, 20)
        XCTAssertGreaterThan(heights.max()! - heights.min()!, 80)
        for p in passes {
            // The whole crossing fits in the recording.
            let half = p.crossingDuration(width: 304) / 2
            XCTAssertGreaterThanOrEqual(p.crossingTime - half, -1e-6)
            XCTAssertLessThanOrEqual(p.crossingTime + half, 400_000 + 1e-6)
        }
    }

    func testSilhouettesAreSymmetricAndDifferInShape() {
        var areas: [Double] = []
        for silhouette in AircraftSilhouette.allCases {
            let sprite = silhouette.sprite(length: 40, heading: 0)
            let image = sprite.image
            XCTAssertTrue(image.pixels.allSatisfy { (0...1).contains($0) })
            // Mirror symmetry about the fuselage axis (y = 0 in sprite space).
            var asymmetry = 0.0
            for j in 0..<image.height {
                for i in 0..<image.width {
                    let y = sprite.originY + Double(j) + 0.5
                    let mirrored = Int((-y - sprite.originY - 0.5).rounded())
                    if (0..<image.height).contains(mirrored) {
                        asymmetry = max(asymmetry, abs(image.pixels[j * image.width + i] - image.pixels[mirrored * image.width + i]))
                    }
                }
            }
            XCTAssertLessThan(asymmetry, 1e-9, "\(silhouette)")
            areas.append(image.pixels.reduce(0, +))
            // A point inside the fuselage is covered, a point beyond the nose is not.
            XCTAssertEqual(image.sample(x: -sprite.originX - 0.5, y: -sprite.originY - 0.5), 1, accuracy: 0.3, "\(silhouette) fuselage")
            XCTAssertEqual(image.sample(x: -sprite.originX + 21, y: -sprite.originY - 0.5), 0, "\(silhouette) beyond the nose")
        }
        // Planform areas (pixels at length 40) all differ by > 5 %.
        for a in 0..<areas.count { for b in (a + 1)..<areas.count { XCTAssertGreaterThan(abs(areas[a] - areas[b]) / max(areas[a], areas[b]), 0.05) } }
    }

    func testPlanesDatasetIsWrittenAsEventStreamFilesThatReadBack() throws {
        let dir = NSTemporaryDirectory() + "feast-planes-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = SyntheticDatasetPlan.planes(trainPerClass: 1, testPerClass: 1, seed: 9)
        let figures = try SyntheticDatasetWriter.write(planes: plan, to: dir)
        let labels = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8)
        XCTAssertEqual(labels, """
            file,label,split
            Train/0/00001.es,0,train
            Train/1/00002.es,1,train
            Train/2/00003.es,2,train
            Train/3/00004.es,3,train
            Test/0/00001.es,0,test
            Test/1/00002.es,1,test
            Test/2/00003.es,2,test
            Test/3/00004.es,3,test

            """)
        var recordings: [ContiguousArray<Event>] = []
        for item in plan.items {
            var reader = try EventStreamReader(path: dir + "/" + item.relativePath)
            XCTAssertEqual(reader.geometry, SyntheticPlanes.atis)
            let events = try reader.readAll()
            XCTAssertEqual(events, simulator.recording(kind: item.digit, index: item.index, seed: 9), item.relativePath)
            recordings.append(events)
        }
        XCTAssertEqual(figures, PassStatistics.measure(recordings, geometry: SyntheticPlanes.atis))
        XCTAssertEqual(figures.recordings, 8)
    }

    func testIsolatedEventsAreThoseTheTenMillisecondDenoiseFilterDrops() {
        let geometry = SensorGeometry(width: 20, height: 20)
        let events: ContiguousArray<Event> = [
            Event(t: 0, x: 5, y: 5, polarity: 1),        // no earlier neighbour: isolated
            Event(t: 4_000, x: 6, y: 5, polarity: 0),    // neighbour 4 ms before: kept
            Event(t: 5_000, x: 15, y: 15, polarity: 1),  // alone: isolated
            Event(t: 30_000, x: 16, y: 15, polarity: 1), // neighbour 25 ms before: isolated
        ]
        let s = PassStatistics.Sample(events, geometry: geometry)
        XCTAssertEqual(s.isolatedEvents, 3)
        XCTAssertEqual(s.onEvents, 3)
        XCTAssertEqual(s.activePixels, 4)
        XCTAssertEqual(s.rate, 4 / 0.03, accuracy: 1e-9)
        let figures = PassStatistics(samples: [s])
        XCTAssertEqual(figures.isolatedShare, 0.75)
        XCTAssertEqual(figures.onFraction, 0.75)
    }
}
