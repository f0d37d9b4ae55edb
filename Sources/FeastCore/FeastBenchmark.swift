import FeastEvents
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Training and inference throughput of one layer configuration on
/// recordings already in memory (decoding excluded), for `feast bench`.
public struct FeastBenchmarkResult: Sendable, Codable, Equatable {
    public var arithmetic: String
    public var neurons: Int
    public var radius: Int
    /// Events per pass over the recordings.
    public var events: Int
    /// One learning epoch (time surface reset per recording), events/s.
    public var trainEventsPerSecond: Double
    /// Frozen inference, best of the repeats, events/s.
    public var inferenceEventsPerSecond: Double
    /// Miss rate of the learning epoch.
    public var trainMissRate: Double
    /// The same rates per second of this thread's CPU time: on a shared,
    /// overloaded machine these are the comparable figures.
    public var trainEventsPerCPUSecond: Double
    public var inferenceEventsPerCPUSecond: Double
}

public enum FeastBenchmark {
    /// Monotonic seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
    }

    /// CPU seconds used by the calling thread.
    public static func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
    }

    /// Trains one epoch over `recordings` in order, then runs inference
    /// `inferenceRepeats` times, timing each; weights start from `parameters.seed`.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public static func run<A: FeastArithmetic>(_ type: A.Type, recordings: [ContiguousArray<Event>],
                                                parameters: FeastParameters, geometry: SensorGeometry = .nmnist,
                                                arithmetic configuration: A.Configuration,
                                                inferenceRepeats: Int = 3) throws -> FeastBenchmarkResult {
        var layer = try FeastLayer<A>(parameters: parameters, geometry: geometry, arithmetic: configuration)
        var out = ContiguousArray<OutputEvent>()
        out.reserveCapacity(recordings.map(\.count).max() ?? 0)
        let events = recordings.reduce(0) { $0 + $1.count }
        var t0 = now(), c0 = cpuNow()
        for r in recordings {
            layer.reset()
            out.removeAll(keepingCapacity: true)
            layer.process(r, learn: true, into: &out, emitMisses: false)
        }
        let train = now() - t0, trainCPU = cpuNow() - c0
        let miss = layer.counters.events > 0 ? Double(layer.counters.misses) / Double(layer.counters.events) : 0
        var best = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<max(1, inferenceRepeats) {
            t0 = now()
            c0 = cpuNow()
            for r in recordings {
                layer.reset()
                out.removeAll(keepingCapacity: true)
                layer.process(r, learn: false, into: &out, emitMisses: false)
            }
            best = min(best, now() - t0)
            bestCPU = min(bestCPU, cpuNow() - c0)
        }
        return FeastBenchmarkResult(arithmetic: A.name, neurons: parameters.neurons, radius: parameters.radius, events: events,
                                    trainEventsPerSecond: Double(events) / train,
                                    inferenceEventsPerSecond: Double(events) / best, trainMissRate: miss,
                                    trainEventsPerCPUSecond: Double(events) / trainCPU,
                                    inferenceEventsPerCPUSecond: Double(events) / bestCPU)
    }
}
