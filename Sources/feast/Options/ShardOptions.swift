import FeastIO
import ArgumentParser
import FeastEvents
import Foundation

/// `--shard i/n`: this run does shard `i` (0-based) of `n` of the work, so a
/// Slurm job array or GNU parallel can spread one run over machines and
/// `feast merge` can assemble the file the whole run would give.
///
/// The rule (the same as `feast evaluate --shard`): the work items are put
/// in their fixed order (recordings: each dataset sorted by name, inputs in
/// the order given; size: the configuration grid tau × neurons × seed) and
/// shard `i` takes positions `i, i+n, i+2n, …`. The `n` shards partition the
/// items, and interleaving spreads classes and costs evenly over shards.
struct ShardOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Do shard i of n (0-based): the items at positions i, i+n, i+2n, … of the run's fixed order; merge the n outputs with feast merge.",
        valueName: "i/n"))
    var shard: String?

    /// The parsed shard, nil when the whole run is wanted.
    func parsed() throws -> Shard? {
        guard let shard else { return nil }
        guard let (i, n) = Dataset.parseShard(shard) else {
            throw ValidationError("--shard \(shard): expected i/n with 0 <= i < n, e.g. 0/4")
        }
        return Shard(index: i, count: n)
    }

    func validate() throws { _ = try parsed() }

    /// The arguments that change a shard's result, as text for its
    /// fingerprint: all but --shard, -o/--output, --jobs, --json and --plots
    /// (and their values), so shards run with other workers or outputs merge.
    static func settings<C: Collection>(_ arguments: C) -> String where C.Element == String {
        let withValue: Set = ["--shard", "-o", "--output", "--jobs", "--plots"]
        var kept = [String](), skipNext = false
        for a in arguments {
            if skipNext { skipNext = false; continue }
            if withValue.contains(a) { skipNext = true; continue }
            if a == "--json" || withValue.contains(where: { a.hasPrefix($0 + "=") }) { continue }
            kept.append(a)
        }
        return kept.joined(separator: " ")
    }
}
