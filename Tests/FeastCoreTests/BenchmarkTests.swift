import FeastCore
import FeastEvents
import Foundation
import XCTest

/// Not a test of speed (never asserted): prints the throughput table when
/// FEAST_BENCH=1, e.g. `FEAST_BENCH=1 swift test -c release --filter Benchmark`.
final class BenchmarkTests: XCTestCase {
    func testPrintsThroughputWhenRequested() throws {
        guard ProcessInfo.processInfo.environment["FEAST_BENCH"] == "1" else { throw XCTSkip("set FEAST_BENCH=1") }
        let recordings = try TestData.nmnistSmall("Train")
        let sizes = (ProcessInfo.processInfo.environment["FEAST_BENCH_N"] ?? "16,64,256").split(separator: ",").compactMap { Int($0) }
        for n in sizes {
            let p = FeastParameters(neurons: n, radius: 5)
            let f = try FeastBenchmark.run(FloatArithmetic.self, recordings: recordings, parameters: p, arithmetic: .init())
            let q = try FeastBenchmark.run(FixedPointArithmetic.self, recordings: recordings, parameters: p, arithmetic: FixedPointConfiguration())
            for r in [f, q] {
                print(String(format: "BENCH N=%d %@ train %.3f Mev/s infer %.3f Mev/s (per CPU second: train %.3f infer %.3f) miss %.5f",
                             r.neurons, r.arithmetic, r.trainEventsPerSecond / 1e6, r.inferenceEventsPerSecond / 1e6,
                             r.trainEventsPerCPUSecond / 1e6, r.inferenceEventsPerCPUSecond / 1e6, r.trainMissRate))
            }
        }
    }
}
