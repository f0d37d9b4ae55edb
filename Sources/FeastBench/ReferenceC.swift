import Foundation

/// The plain C FEAST of `../shared/reference/feast_ref.c`, compiled and run on
/// the same input in the same benchmark run, so the speed table compares like
/// with like on a noisy machine. Nothing of it is part of feast: it is built
/// into a temporary folder and run as a separate process.
public struct ReferenceC {
    /// The compiled binary.
    public let binary: String

    /// Throughput the reference printed (events per second; per CPU-second
    /// when built with the CPU clock).
    public struct Figures {
        public var train: Double
        public var inference: Double
    }

    /// A link-time wrapper of `clock_gettime`: the reference times itself
    /// with CLOCK_MONOTONIC; this answers those calls with the process's CPU
    /// time (it is single-threaded), so its events/s are per CPU-second like
    /// ours, and a loaded, shared machine does not distort the comparison.
    public static let cpuClockShim = """
        #include <time.h>
        int __real_clock_gettime(clockid_t, struct timespec *);
        int __wrap_clock_gettime(clockid_t c, struct timespec *ts) {
            return __real_clock_gettime(c == CLOCK_MONOTONIC ? CLOCK_PROCESS_CPUTIME_ID : c, ts);
        }
        """

    /// Compiles `source` with `gcc -O3 -march=native -ffast-math`, as its
    /// README says (plus ``cpuClockShim`` when `cpuClock`); `nil` (with a
    /// note on stderr) when gcc or the source is missing.
    public static func build(source: String, cpuClock: Bool = true, console: BenchConsole) -> ReferenceC? {
        guard FileManager.default.fileExists(atPath: source) else {
            console.log("note: no C reference at \(source); its column is left empty")
            return nil
        }
        let tmp = FileManager.default.temporaryDirectory
        let out = tmp.appendingPathComponent("feast_ref-\(getpid())").path
        var args = ["gcc", "-O3", "-march=native", "-ffast-math", "-o", out, source]
        if cpuClock {
            let shim = tmp.appendingPathComponent("feast_ref_cpuclock-\(getpid()).c").path
            try? cpuClockShim.write(toFile: shim, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: shim) }
            args += [shim, "-Wl,--wrap=clock_gettime"]
            let status = run("/usr/bin/env", args + ["-lm"]).status
            guard status == 0 else {
                console.log("note: could not compile \(source) with gcc (status \(status)); its column is left empty")
                return nil
            }
            return ReferenceC(binary: out)
        }
        let status = run("/usr/bin/env", args + ["-lm"]).status
        guard status == 0 else {
            console.log("note: could not compile \(source) with gcc (status \(status)); its column is left empty")
            return nil
        }
        return ReferenceC(binary: out)
    }

    /// Runs one training epoch plus a frozen inference pass over `files`.
    public func measure(files: [String], neurons: Int, radius: Int, tau: Double, eta: Double,
                 thresholdRise: Double, thresholdFall: Double, fixed: Bool, seed: UInt64) -> Figures? {
        var args = ["--N", "\(neurons)", "--R", "\(radius)", "--tau", "\(tau)", "--eta", "\(eta)",
                    "--dclose", "\(thresholdRise)", "--dopen", "\(thresholdFall)", "--seed", "\(seed)",
                    "--epochs", "1", "--infer-reps", "3"]
        if fixed { args.append("--fixed") }
        // The list goes through a file: 800 paths would be a long argv.
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("feast_ref-list-\(getpid()).txt").path
        try? files.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: list) }
        args += ["--train-list", list]
        let result = Self.run(binary, args)
        guard result.status == 0 else { return nil }
        var figures = Figures(train: 0, inference: 0)
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let evs = fields.first(where: { $0.hasPrefix("evs=") }).flatMap({ Double($0.dropFirst(4)) }) else { continue }
            if line.hasPrefix("TRAIN") { figures.train = evs }
            if line.hasPrefix("INFER") { figures.inference = evs }
        }
        return figures
    }

    private static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
