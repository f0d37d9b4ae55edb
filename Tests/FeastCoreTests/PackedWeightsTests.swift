@testable import FeastCore
import FeastEvents
import XCTest

/// Fixed-point layers with N ≥ 128 also keep their weights as bytes for the
/// score kernel; the bytes must give exactly the scores of the Float
/// weights, and a layer with them must behave exactly as one without.
final class PackedWeightsTests: XCTestCase {
    func testPackedOffsetsPutByteQOfLaneJAtNeuron16QPlusJ() {
        var seen = Set<Int>()
        for n in 0..<128 {
            let o = FeastKernels.packedOffset(neuron: n)
            let block = o / 64, lane = (o % 64) / 4, byte = o % 4
            XCTAssertEqual(block * 64 + byte * 16 + lane, n, "neuron \(n) at offset \(o)")
            seen.insert(o)
        }
        XCTAssertEqual(seen.count, 128)
    }

    func testByteKernelGivesTheScoresOfTheFloatKernel() {
        var rng = SplitMix64(state: 3)
        for (neurons, k) in [(64, 121), (80, 49), (256, 121), (200, 289)] {
            let stride = (neurons + 15) / 16 * 16, rowBytes = FeastKernels.packedRowBytes(stride: stride)
            var weights = [Float](repeating: 0, count: k * stride)
            let packed = UnsafeMutableRawPointer.allocate(byteCount: k * rowBytes, alignment: 64)
            defer { packed.deallocate() }
            packed.initializeMemory(as: UInt8.self, repeating: 0, count: k * rowBytes)
            for i in 0..<k {
                for n in 0..<neurons {
                    let w = UInt8(rng.below(256))
                    weights[i * stride + n] = Float(w)
                    packed.storeBytes(of: w, toByteOffset: i * rowBytes + FeastKernels.packedOffset(neuron: n), as: UInt8.self)
                }
            }
            let context = (0..<(k + 16)).map { i in i < k && rng.below(3) > 0 ? Float(rng.below(256)) : 0 }
            let nonzero = (0..<k).filter { context[$0] != 0 }.map(Int32.init)
            var floats = [Float](repeating: 0, count: stride)
            var sums = [Int32](repeating: -1, count: rowBytes)
            weights.withUnsafeBufferPointer { w in
                FeastKernels.sparseScores(weights: w.baseAddress!, stride: stride, context: context, nonzero: nonzero, count: nonzero.count, into: &floats)
            }
            FeastKernels.byteScores(packed, rowBytes: rowBytes, context: context, nonzero: nonzero, count: nonzero.count, into: &sums)
            for n in 0..<neurons {
                var exact: Int64 = 0
                for j in nonzero { exact += Int64(weights[Int(j) * stride + n]) * Int64(context[Int(j)]) }
                XCTAssertEqual(Int64(sums[n]), exact, "N \(neurons), K \(k), neuron \(n)")
                XCTAssertEqual(Int64(floats[n]), exact, "N \(neurons), K \(k), neuron \(n) (float kernel)")
            }
        }
    }

    func testLayersWithAndWithoutPackedWeightsBehaveTheSame() throws {
        for neurons in [128, 150] {
            let p = FeastParameters(neurons: neurons, radius: 3, eta: 1.0 / 128)
            var packed = try FeastLayer<FixedPointArithmetic>(parameters: p, arithmetic: FixedPointConfiguration())
            XCTAssertGreaterThan(packed.packedRowBytes, 0, "N \(neurons) keeps packed weights")
            var plain = packed
            plain.packedRowBytes = 0
            let events = TestData.randomEvents(30_000, seed: 21)
            for (i, e) in events.enumerated() {
                let learn = i < 20_000
                let a = packed.process(e, learn: learn), b = plain.process(e, learn: learn)
                if a != b { XCTFail("N \(neurons): winners differ at event \(i): \(a) vs \(b)"); return }
            }
            XCTAssertEqual(packed.state.rawWeights, plain.state.rawWeights, "N \(neurons)")
            XCTAssertEqual(packed.state.rawThresholds, plain.state.rawThresholds, "N \(neurons)")
            XCTAssertEqual(packed.arithmetic.counters, plain.arithmetic.counters, "N \(neurons)")
            XCTAssertGreaterThan(packed.counters.wins, 5_000, "N \(neurons)")
            // Chunks: the Float weights are rewritten once per call.
            var chunked = packed, single = plain
            var output = ContiguousArray<OutputEvent>()
            let more = TestData.randomEvents(8_000, seed: 23)
            chunked.process(more, learn: true, into: &output, emitMisses: true)
            let expected = more.map { single.process($0, learn: true) }
            XCTAssertEqual(output.map(\.neuron), expected, "N \(neurons), chunk")
            XCTAssertEqual(chunked.state.rawWeights, single.state.rawWeights, "N \(neurons), chunk")
            // A layer restored from a file packs its weights again.
            var restored = try FeastLayer<FixedPointArithmetic>(restoring: packed.state)
            XCTAssertGreaterThan(restored.packedRowBytes, 0)
            for e in TestData.randomEvents(5_000, seed: 22) {
                XCTAssertEqual(restored.process(e, learn: true), plain.process(e, learn: true))
            }
        }
    }
}
