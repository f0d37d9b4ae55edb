import FeastEvents
import FeastSimulator
import XCTest

final class KnownPatternsGeneratorTests: XCTestCase {
    func testRecordingIsDeterministicSortedAndTagged() {
        let g = KnownPatternsGenerator(k: 8, seed: 3)
        let a = g.recording(index: 2), b = g.recording(index: 2)
        XCTAssertEqual(a.events, b.events)
        XCTAssertEqual(a.patternOfEvent, b.patternOfEvent)
        XCTAssertNotEqual(a.events, g.recording(index: 3).events)
        XCTAssertNotEqual(a.events, KnownPatternsGenerator(k: 8, seed: 4).recording(index: 2).events)
        XCTAssertTrue(isSortedByTime(a.events))
        XCTAssertEqual(a.events.count, a.patternOfEvent.count)
        XCTAssertTrue(a.events.allSatisfy { SensorGeometry.nmnist.contains(x: Int($0.x), y: Int($0.y)) })
    }

    func testEveryPatternAppearsEquallyOftenBesideTheNoise() {
        for k in [4, 8, 16] {
            let g = KnownPatternsGenerator(k: k, seed: 1)
            let r = g.recording(index: 0)
            var perPattern = [Int](repeating: 0, count: k)
            var noise = 0
            for p in r.patternOfEvent { if p < 0 { noise += 1 } else { perPattern[Int(p)] += 1 } }
            let patch = 49   // (2·3 + 1)²: half-size R + 1 for the default R = 2
            let instances = g.instancesPerRecording
            XCTAssertEqual(perPattern.reduce(0, +), instances * patch)
            XCTAssertTrue(perPattern.allSatisfy { abs($0 - instances * patch / k) <= patch }, "k \(k): \(perPattern)")
            let expectedNoise = g.backgroundRate * 1156 * 0.3
            XCTAssertEqual(Double(noise), expectedNoise, accuracy: 4 * expectedNoise.squareRoot())
        }
    }

    func testPatternsAreDistinguishableByTheirLocalContexts() {
        // FEAST-like contexts (exp(-Δt/τ) over a 5 × 5 window, L2-normalised)
        // of pattern events: assigning each to the nearest pattern's mean
        // context recovers the pattern for most events, for K up to 16.
        for k in [4, 8, 16] {
            let g = KnownPatternsGenerator(k: k, backgroundRate: 0, seed: 2)
            var means = [[Double]](repeating: [Double](repeating: 0, count: 25), count: k)
            for index in 2..<6 {
                let r = g.recording(index: index)
                let contexts = Self.contexts(r.events, radius: 2, tau: 5_000)
                for (n, p) in r.patternOfEvent.enumerated() where p >= 0 {
                    for i in 0..<25 { means[Int(p)][i] += contexts[n][i] }
                }
            }
            var correct = 0, total = 0
            let r2 = g.recording(index: 1)
            let test = Self.contexts(r2.events, radius: 2, tau: 5_000)
            for (n, p) in r2.patternOfEvent.enumerated() where p >= 0 {
                let scores = means.map { m in zip(m, test[n]).map { $0 * $1 }.reduce(0, +) / max(1e-12, m.map { $0 * $0 }.reduce(0, +).squareRoot()) }
                if scores.indices.max(by: { scores[$0] < scores[$1] }) == Int(p) { correct += 1 }
                total += 1
            }
            let accuracy = Double(correct) / Double(total)
            XCTAssertGreaterThan(accuracy, k == 16 ? 0.5 : 0.7, "k \(k): \(accuracy)")
        }
    }

    func testDefaultsFollowTheContextRadius() {
        let small = KnownPatternsGenerator(k: 4), large = KnownPatternsGenerator(k: 4, radius: 5)
        XCTAssertEqual(small.halfSize, 3)
        XCTAssertEqual(small.backgroundRate, 0.5, accuracy: 1e-12)
        XCTAssertEqual(small.instanceInterval, 20_000)
        XCTAssertEqual(large.halfSize, 6)
        XCTAssertEqual(large.backgroundRate, 0.25 / (121 * 0.02), accuracy: 1e-12)
        XCTAssertEqual(large.instanceInterval, 38_000)   // 2 × (3·6 + 1) ms
        XCTAssertEqual(large.patterns[1].offsets.count, 169)
    }

    static func contexts(_ events: ContiguousArray<Event>, radius: Int, tau: Double) -> [[Double]] {
        var last = [Int64](repeating: Int64.min, count: 1156)
        var out: [[Double]] = []
        for e in events {
            last[Int(e.y) * 34 + Int(e.x)] = e.t
            var c: [Double] = []
            for dy in -radius...radius {
                for dx in -radius...radius {
                    let x = Int(e.x) + dx, y = Int(e.y) + dy
                    guard x >= 0, y >= 0, x < 34, y < 34, last[y * 34 + x] != Int64.min else { c.append(0); continue }
                    c.append(Foundation.exp(-Double(e.t - last[y * 34 + x]) / tau))
                }
            }
            let norm = c.map { $0 * $0 }.reduce(0, +).squareRoot()
            out.append(c.map { $0 / norm })
        }
        return out
    }
}
