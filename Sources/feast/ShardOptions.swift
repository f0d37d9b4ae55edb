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
}

/// Shard `index` of `count`: positions `index, index+count, …`.
struct Shard: Sendable, Equatable, CustomStringConvertible {
    var index: Int
    var count: Int

    var description: String { "\(index)/\(count)" }

    /// Positions of this shard among `total` items, ascending.
    func positions(total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }

    /// How many of `total` items this shard holds.
    func size(total: Int) -> Int { total > index ? (total - index + count - 1) / count : 0 }
}

/// The attributes a shard output carries besides the whole run's, so
/// `feast merge` can check that its inputs belong together. Merging drops
/// them; everything else is the whole run's.
enum ShardAttributes {
    static let index = "shard_index"
    static let count = "shard_count"
    /// Items in the whole run (recordings, or size configurations).
    static let total = "shard_total"
    /// Digest of the network file's bytes (extract) or of the parameters (size).
    static let network = "shard_network"
    /// The options that change the output, as text (compared verbatim).
    static let options = "shard_options"
    /// Digest of the names and labels of all items of the whole run, in order.
    static let inputs = "shard_inputs"

    static let all = [index, count, total, network, options, inputs]
}

/// 64-bit FNV-1a, for fingerprints of inputs that must agree across shards
/// (not a security measure: it only catches mistakes).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    }

    mutating func add(_ text: String) {
        add(text.utf8)
        add(CollectionOfOne(0))  // separator: "ab","c" ≠ "a","bc"
    }

    var hex: String { String(format: "%016llx", value) }

    /// Digest of a file's bytes, read in 1 MiB blocks.
    static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("\(path): cannot read the file")
        }
        defer { try? handle.close() }
        var h = FNV1a()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { h.add(block) }
        return h.hex
    }
}
