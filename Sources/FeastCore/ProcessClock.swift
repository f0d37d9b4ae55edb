#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall and CPU seconds since creation. CPU time is the whole process's
/// (user + system, all threads), so a parallel phase shows more CPU than
/// wall seconds.
public struct ProcessClock: Sendable {
    private let wallAtStart = FeastBenchmark.now()
    private let cpuAtStart = ProcessClock.processCPU()

    public init() {}

    /// Seconds of wall time since creation.
    public var wall: Double { FeastBenchmark.now() - wallAtStart }
    /// CPU seconds of the process since creation.
    public var cpu: Double { ProcessClock.processCPU() - cpuAtStart }

    /// CPU seconds of the process since it started (user + system, all threads).
    public static func processCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)   // Glibc imports RUSAGE_SELF as an enum
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}
