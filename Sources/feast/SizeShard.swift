import FeastAnalysis
import Foundation

/// The partial result of `feast size --shard i/n -o PART.json`: the rows of
/// the configurations at positions `i, i+n, …` of the whole grid (tau ×
/// neurons × seed, in that nesting) with what `feast merge` needs to check
/// and order them. Doubles survive the JSON round trip exactly, so the
/// merged report equals a single run's (wall time aside: the merge reports
/// the shards' summed wall time).
struct SizeShard: JSONShard {
    static let kind = "feast-size-shard"
    static let title = "feast size shard"

    var kind: String
    var shard_index: Int
    var shard_count: Int
    /// Configurations in the whole grid.
    var shard_total: Int
    /// The layer and training parameters, as text.
    var shard_network: String
    /// The grid and classifier options, as text.
    var shard_options: String
    /// Digest of the dataset's recording names and labels.
    var shard_inputs: String
    /// The whole run's time constants, µs, in order (the report groups by them).
    var taus: [Double]
    /// Position in the whole grid of each row.
    var positions: [Int]
    var rows: [SizeRow]
    var wall_seconds: Double

    var shardItems: Int { positions.count }

    /// The whole run's report from checked shards (ordered by shard index).
    static func merge(_ shards: [SizeShard]) -> SizeReport {
        var rows = [SizeRow?](repeating: nil, count: shards[0].shard_total)
        for s in shards {
            for (p, r) in zip(s.positions, s.rows) { rows[p] = r }
        }
        return SizeReport(rows: rows.map { $0! }, taus: shards[0].taus, wallSeconds: shards.map(\.wall_seconds).reduce(0, +))
    }
}
