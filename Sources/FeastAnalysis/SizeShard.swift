import FeastIO
import Foundation

/// The partial result of `feast size --shard i/n -o PART.json`: the rows of
/// the configurations at positions `i, i+n, …` of the whole grid (tau ×
/// neurons × seed, in that nesting) with what `feast merge` needs to check
/// and order them. Doubles survive the JSON round trip exactly, so the
/// merged report equals a single run's (wall time aside: the merge reports
/// the shards' summed wall time).
public struct SizeShard: JSONShard {
    public static let kind = "feast-size-shard"
    public static let title = "feast size shard"

    public var kind: String
    public var shard_index: Int
    public var shard_count: Int
    /// Configurations in the whole grid.
    public var shard_total: Int
    /// The layer and training parameters, as text.
    public var shard_network: String
    /// The grid and classifier options, as text.
    public var shard_options: String
    /// Digest of the dataset's recording names and labels.
    public var shard_inputs: String
    /// The whole run's time constants, µs, in order (the report groups by them).
    public var taus: [Double]
    /// Position in the whole grid of each row.
    public var positions: [Int]
    public var rows: [SizeRow]
    public var wall_seconds: Double

    public var shardItems: Int { positions.count }

    public init(kind: String = SizeShard.kind, shard_index: Int, shard_count: Int, shard_total: Int, shard_network: String, shard_options: String,
                shard_inputs: String, taus: [Double], positions: [Int], rows: [SizeRow], wall_seconds: Double) {
        self.kind = kind
        self.shard_index = shard_index
        self.shard_count = shard_count
        self.shard_total = shard_total
        self.shard_network = shard_network
        self.shard_options = shard_options
        self.shard_inputs = shard_inputs
        self.taus = taus
        self.positions = positions
        self.rows = rows
        self.wall_seconds = wall_seconds
    }

    /// The whole run's report from checked shards (ordered by shard index).
    public static func merge(_ shards: [SizeShard]) -> SizeReport {
        var rows = [SizeRow?](repeating: nil, count: shards[0].shard_total)
        for s in shards {
            for (p, r) in zip(s.positions, s.rows) { rows[p] = r }
        }
        return SizeReport(rows: rows.map { $0! }, taus: shards[0].taus, wallSeconds: shards.map(\.wall_seconds).reduce(0, +))
    }
}
