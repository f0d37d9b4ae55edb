import ArgumentParser
import FeastLearning

/// `--jobs`: how many recordings (or size configurations) run at once. Every
/// command that works in parallel takes this one group, so the flag, its
/// default and its check are the same everywhere.
struct WorkerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads: recordings or configurations processed at once (default: active processors).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): expected an integer >= 1") }
    }

    /// The worker count to pass to the library (≥ 1).
    var concurrency: Int { jobs ?? defaultConcurrency }
}
