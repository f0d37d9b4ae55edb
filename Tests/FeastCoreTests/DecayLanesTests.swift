@testable import FeastCore
import FeastEvents
import XCTest

/// The decay table computed in Float lanes is used only where it equals the
/// table, and a layer gives the same results with and without it.
final class DecayLanesTests: XCTestCase {
    func arithmetic(bits: Int, tau: Double) throws -> FixedPointArithmetic {
        var c = FixedPointConfiguration(weightBits: bits, contextBits: bits, thresholdBits: 16, accumulatorBits: 40)
        c.timestampBits = 32
        return try FixedPointArithmetic(configuration: c, parameters: FeastParameters(tau: tau), contextLength: 121)
    }

    func testLanesGiveEveryTableEntryWhereverTheyAreUsed() throws {
        var used = 0, total = 0
        for bits in [4, 6, 8, 10, 12, 16] {
            for tau in [1_000.0, 5_000, 10_000, 20_000, 33_333, 50_000, 100_000] {
                let a = try arithmetic(bits: bits, tau: tau)
                total += 1
                guard let lanes = a.decayLanes else { continue }
                used += 1
                let last = Int(a.table.last)
                for start in stride(from: 0, through: last, by: 16) {
                    let index = SIMD16<UInt32>((0..<16).map { UInt32(min(start + $0, last)) })
                    let v = lanes.values(index)
                    for j in 0..<16 {
                        XCTAssertEqual(v[j], a.table.entries[Int(index[j])], "\(bits) bits, τ \(tau), entry \(index[j])")
                    }
                }
                XCTAssertEqual(lanes.values(SIMD16(repeating: UInt32(last)))[0], 0, "the entry past the horizon is 0")
            }
        }
        let lanes = try XCTUnwrap(try arithmetic(bits: 8, tau: 20_000).decayLanes, "the default configuration uses the lanes")
        XCTAssertLessThan(lanes.degree, 7, "8-bit contexts need less than the Taylor polynomial")
        XCTAssertGreaterThan(used, total * 3 / 4, "lanes used for \(used) of \(total) configurations")
    }

    func testLanesRefuseATableTheyDoNotReproduce() throws {
        let a = try arithmetic(bits: 8, tau: 20_000)
        var entries = (0..<a.table.count).map { a.table.entries[$0] }
        XCTAssertNotNil(DecayLanes(table: DecayTable(entries), stepShift: Int(a.tableShift), tau: 20_000, contextFraction: 7))
        entries[700] += 1
        XCTAssertNil(DecayLanes(table: DecayTable(entries), stepShift: Int(a.tableShift), tau: 20_000, contextFraction: 7))
    }

    func testIndicesPastTheLastEntryGiveZero() throws {
        for bits in [4, 8, 12] {
            for tau in [1_000.0, 20_000, 100_000] {
                guard let lanes = try arithmetic(bits: bits, tau: tau).decayLanes else { continue }
                let last = Int(lanes.last)
                var past = [last, last + 1, last + 2, last + 15, 2 * last + 1]
                for b in 0..<23 where 1 << b > last { past.append(1 << b); past.append((1 << b) | (1 << (b - 1))) }
                past.append((1 << 23) - 1)
                for start in stride(from: 0, to: past.count, by: 16) {
                    let chunk = (0..<16).map { UInt32(past[min(start + $0, past.count - 1)]) }
                    let v = lanes.values(SIMD16(chunk))
                    for j in 0..<16 { XCTAssertEqual(v[j], 0, "\(bits) bits, τ \(tau), index \(chunk[j])") }
                }
            }
        }
    }

    func testLayersWithAndWithoutLanesLearnTheSameNetwork() throws {
        // 24-bit counters take the unclamped indices, 32-bit the clamped ones.
        for (radius, timestampBits) in [(3, 24), (5, 24), (8, 24), (5, 32)] {
            let p = FeastParameters(neurons: 8, radius: radius, eta: 1.0 / 128)
            var c = FixedPointConfiguration()
            c.timestampBits = timestampBits
            var lanes = try FeastLayer<FixedPointArithmetic>(parameters: p, arithmetic: c)
            XCTAssertNotNil(lanes.arithmetic.decayLanes)
            XCTAssertEqual(lanes.arithmetic.directIndex, timestampBits == 24)
            var table = lanes
            table.arithmetic.decayLanes = nil
            for e in TestData.randomEvents(20_000, seed: 11) {
                let a = lanes.process(e, learn: true), b = table.process(e, learn: true)
                if a != b { XCTFail("R \(radius): winners differ at t = \(e.t): \(a) vs \(b)"); break }
            }
            XCTAssertEqual(lanes.state.rawWeights, table.state.rawWeights, "R \(radius)")
            XCTAssertEqual(lanes.state.rawThresholds, table.state.rawThresholds, "R \(radius)")
            XCTAssertGreaterThan(lanes.counters.wins, 1000, "R \(radius)")
        }
    }
}
