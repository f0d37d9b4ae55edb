import FeastEvents

/// The recordings one `feast extract` run does: all of them, or shard `i/n`
/// (positions `i, i+n, …` of the whole list), with the attributes its
/// output carries so `feast merge` can check and place it.
public struct ExtractShard: Sendable {
    /// The recordings of this run, in order.
    public let items: [InputRecordings.Item]
    /// Position of each of `items` in the whole run's list.
    public let positions: [Int]
    /// Recordings in the whole run.
    public let total: Int
    /// The whole run's first recording (its geometry is the features' default).
    public let first: InputRecordings.Item
    /// Shard attributes for the output (empty for a whole run).
    public let attributes: [String: HDF5AttributeValue]

    /// `network` is the network file's path (its contents' digest is
    /// recorded), `options` the run's options that change its output, as
    /// text, so `feast merge` refuses shards of different runs.
    public init(all: [InputRecordings.Item], shard: Shard?, network: String, options: String) throws {
        total = all.count
        first = all[0]
        guard let shard else {
            items = all
            positions = Array(all.indices)
            attributes = [:]
            return
        }
        positions = shard.positions(total: all.count)
        items = positions.map { all[$0] }
        var names = FNV1a()
        for item in all {
            names.add(item.name)
            names.add(item.label.map { String($0) } ?? "-")
        }
        attributes = [
            ShardAttributes.index: .int(shard.index),
            ShardAttributes.count: .int(shard.count),
            ShardAttributes.total: .int(all.count),
            ShardAttributes.network: .string("file digest " + (try FNV1a.file(network))),
            ShardAttributes.options: .string(options),
            ShardAttributes.inputs: .string(names.hex),
        ]
    }
}
