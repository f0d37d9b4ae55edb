import FeastAnalysis
import FeastCore
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
    public var shardIndex: Int
    public var shardCount: Int
    /// Configurations in the whole grid.
    public var shardTotal: Int
    /// The layer and training parameters, as text.
    public var shardNetwork: String
    /// The grid and classifier options, as text.
    public var shardOptions: String
    /// Digest of the dataset's recording names and labels.
    public var shardInputs: String
    /// The whole run's time constants, µs, in order (the report groups by them).
    public var taus: [Double]
    /// Position in the whole grid of each row.
    public var positions: [Int]
    public var rows: [SizeRow]
    public var wallSeconds: Double

    public var shardItems: Int { positions.count }

    public init(kind: String = SizeShard.kind, shardIndex: Int, shardCount: Int, shardTotal: Int, shardNetwork: String, shardOptions: String,
                shardInputs: String, taus: [Double], positions: [Int], rows: [SizeRow], wallSeconds: Double) {
        self.kind = kind
        self.shardIndex = shardIndex
        self.shardCount = shardCount
        self.shardTotal = shardTotal
        self.shardNetwork = shardNetwork
        self.shardOptions = shardOptions
        self.shardInputs = shardInputs
        self.taus = taus
        self.positions = positions
        self.rows = rows
        self.wallSeconds = wallSeconds
    }

    /// The whole run's report from checked shards (ordered by shard index).
    public static func merge(_ shards: [SizeShard]) -> SizeReport {
        var rows = [SizeRow?](repeating: nil, count: shards[0].shardTotal)
        for s in shards {
            for (p, r) in zip(s.positions, s.rows) { rows[p] = r }
        }
        return SizeReport(rows: rows.map { $0! }, taus: shards[0].taus, wallSeconds: shards.map(\.wallSeconds).reduce(0, +))
    }
}
