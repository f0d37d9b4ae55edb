import FeastCore
import FeastEvents
import Foundation

/// `feast bench layer --scaling`: the cost of one event against the layer's
/// size, N × R × arithmetic, next to the roofline it runs against.
///
/// The cost is CPU nanoseconds per event (training: one learning epoch;
/// inference: frozen, best of 2) over the first recordings up to
/// ``events`` events. The roofline has two bounds per configuration:
/// the compute bound, the dense score's N·K multiply-adds at the measured
/// peak (``MachinePeaks/fmaPerSecond``), and the memory bound, the N·K weights
/// read once per event at the measured memory bandwidth, which applies only
/// when they do not fit in the L2 cache. The layer scores only the nonzero
/// context entries above 32 neurons (most are zero), so it can beat the
/// dense compute bound.
public struct ScalingBenchmark: Sendable {
    public var neurons: [Int] = [16, 32, 64, 128, 256, 512, 1024]
    public var radii: [Int] = [2, 3, 5, 7]
    /// "float" and/or "fixed".
    public var arithmetics: [String] = ["float", "fixed"]
    /// Events per configuration (whole recordings, at least one).
    public var events = 300_000
    /// L2 cache per core, bytes: weights beyond it stream from L3 or memory.
    public var cacheBytes = 1 << 20

    public init() {}

    /// One measured configuration.
    public struct Row: Sendable, Hashable {
        public var arithmetic: String
        public var neurons: Int
        public var radius: Int
        /// Context length K.
        public var contextLength: Int
        /// CPU ns per event.
        public var trainNanoseconds: Double
        public var inferenceNanoseconds: Double
        /// Dense multiply-adds per event (N·K) and weight bytes read per event.
        public var denseMACs: Int
        public var weightBytes: Int
        /// Roofline bounds, ns per event (memory: 0 when the weights fit in L2).
        public var computeBound: Double
        public var memoryBound: Double

        /// The roofline: the larger bound.
        public var bound: Double { max(computeBound, memoryBound) }
    }

    /// Measures every configuration on `recordings` (cut to ``events``).
    public func run(recordings all: [ContiguousArray<Event>], peaks: MachinePeaks,
                    log: (String) -> Void = { _ in }) throws -> [Row] {
        var recordings: [ContiguousArray<Event>] = [], total = 0
        for r in all where total < events {
            recordings.append(r)
            total += r.count
        }
        var rows: [Row] = []
        for kind in arithmetics {
            for r in radii {
                for n in neurons {
                    let p = FeastParameters(neurons: n, radius: r)
                    let result = kind == "fixed"
                        ? try FeastBenchmark.run(FixedPointArithmetic.self, recordings: recordings, parameters: p,
                                                 arithmetic: FixedPointConfiguration(), inferenceRepeats: 2)
                        : try FeastBenchmark.run(FloatArithmetic.self, recordings: recordings, parameters: p,
                                                 arithmetic: .init(), inferenceRepeats: 2)
                    let k = p.contextLength
                    let bytes = n * k * (kind == "fixed" ? 2 : 4)
                    let row = Row(arithmetic: kind, neurons: n, radius: r, contextLength: k,
                                  trainNanoseconds: 1e9 / result.trainEventsPerCPUSecond,
                                  inferenceNanoseconds: 1e9 / result.inferenceEventsPerCPUSecond,
                                  denseMACs: n * k, weightBytes: bytes,
                                  computeBound: 1e9 * Double(n * k) / peaks.fmaPerSecond,
                                  memoryBound: bytes > cacheBytes ? 1e9 * Double(bytes) / peaks.bytesPerSecond : 0)
                    log(String(format: "%@ N=%d R=%d: train %.1f ns/event, infer %.1f ns/event", kind, n, r,
                               row.trainNanoseconds, row.inferenceNanoseconds))
                    rows.append(row)
                }
            }
        }
        return rows
    }

    /// The table's rows (with a header), for ``BenchConsole/table(_:)``.
    public static func table(_ rows: [Row]) -> [[String]] {
        func f(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }
        return [["layer", "N", "R", "K", "train ns/ev", "infer ns/ev", "train Mev/s", "dense GMAC/s", "bound ns/ev", "bound", "infer ÷ bound"]]
            + rows.map { r in
                [r.arithmetic, "\(r.neurons)", "\(r.radius)", "\(r.contextLength)", f(r.trainNanoseconds), f(r.inferenceNanoseconds),
                 String(format: "%.2f", 1e3 / r.trainNanoseconds), String(format: "%.1f", Double(r.denseMACs) / r.inferenceNanoseconds),
                 f(r.bound), r.memoryBound > r.computeBound ? "memory" : "compute", String(format: "%.2f×", r.inferenceNanoseconds / r.bound)]
            }
    }
}

/// What one core of this machine can do at most: multiply-adds per second
/// (float, SIMD, independent chains) and bytes per second read from memory
/// (a buffer far larger than the caches). Measured, not looked up.
public struct MachinePeaks: Sendable, Hashable {
    public var fmaPerSecond: Double
    public var bytesPerSecond: Double

    public init(fmaPerSecond: Double, bytesPerSecond: Double) {
        self.fmaPerSecond = fmaPerSecond
        self.bytesPerSecond = bytesPerSecond
    }

    /// Measures both (about a second).
    public static func measure() -> MachinePeaks {
        MachinePeaks(fmaPerSecond: measureFMA(), bytesPerSecond: measureBandwidth())
    }

    /// Independent fused multiply-add chains held in registers, enough in
    /// flight to hide the FMA latency on two pipes: twelve of SIMD16 and ten
    /// of SIMD8 (what fits depends on the vector width this build's code
    /// uses: with 256-bit registers twelve SIMD16 chains spill). The best of
    /// both, best of 3 each.
    static func measureFMA(iterations: Int = 20_000_000) -> Double {
        var best = 0.0
        for _ in 0..<3 {
            let start = FeastBenchmark.cpuNow()
            let result = fmaChains(iterations)
            let seconds = FeastBenchmark.cpuNow() - start
            let start8 = FeastBenchmark.cpuNow()
            let result8 = fmaChains8(iterations)
            let seconds8 = FeastBenchmark.cpuNow() - start8
            // Keep the results observable so the loops are not removed.
            if result == .infinity || result8 == .infinity { print("") }
            best = max(best, Double(iterations * 12 * 16) / seconds, Double(iterations * 10 * 8) / seconds8)
        }
        return best
    }

    @inline(never)
    static func fmaChains(_ iterations: Int) -> Float {
        let m = SIMD16<Float>(repeating: 0.999_999), c = SIMD16<Float>(repeating: 1e-7)
        var a0 = SIMD16<Float>(repeating: 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
        var a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0
        for _ in 0..<iterations {
            a0 = c.addingProduct(a0, m); a1 = c.addingProduct(a1, m); a2 = c.addingProduct(a2, m); a3 = c.addingProduct(a3, m)
            a4 = c.addingProduct(a4, m); a5 = c.addingProduct(a5, m); a6 = c.addingProduct(a6, m); a7 = c.addingProduct(a7, m)
            a8 = c.addingProduct(a8, m); a9 = c.addingProduct(a9, m); a10 = c.addingProduct(a10, m); a11 = c.addingProduct(a11, m)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
    }

    @inline(never)
    static func fmaChains8(_ iterations: Int) -> Float {
        let m = SIMD8<Float>(repeating: 0.999_999), c = SIMD8<Float>(repeating: 1e-7)
        var a0 = SIMD8<Float>(repeating: 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0
        for _ in 0..<iterations {
            a0 = c.addingProduct(a0, m); a1 = c.addingProduct(a1, m); a2 = c.addingProduct(a2, m); a3 = c.addingProduct(a3, m)
            a4 = c.addingProduct(a4, m); a5 = c.addingProduct(a5, m); a6 = c.addingProduct(a6, m); a7 = c.addingProduct(a7, m)
            a8 = c.addingProduct(a8, m); a9 = c.addingProduct(a9, m)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).sum()
    }

    /// Sums a 512 MiB buffer of UInt64 with SIMD8 lanes. Best of 3.
    static func measureBandwidth(bytes: Int = 512 << 20) -> Double {
        let count = bytes / 8
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: count)
        var best = 0.0
        for _ in 0..<3 {
            let start = FeastBenchmark.cpuNow()
            var acc = SIMD8<UInt64>(repeating: 0)
            UnsafeRawPointer(buffer).withMemoryRebound(to: SIMD8<UInt64>.self, capacity: count / 8) { v in
                for i in 0..<(count / 8) { acc &+= v[i] }
            }
            let seconds = FeastBenchmark.cpuNow() - start
            if acc.wrappedSum() == 0 { print("") }
            best = max(best, Double(bytes) / seconds)
        }
        return best
    }
}
