import FeastEvents
import FeastIO

/// The recordings one `feast extract` run does: all of them, or shard `i/n`
/// (positions `i, i+n, …` of the whole list), with the attributes its
/// output carries so `feast merge` can check and place it.
struct ExtractShard {
    /// The recordings of this run, in order.
    let items: [InputRecordings.Item]
    /// Position of each of `items` in the whole run's list.
    let positions: [Int]
    /// Recordings in the whole run.
    let total: Int
    /// The whole run's first recording (its geometry is the features' default).
    let first: InputRecordings.Item
    /// Shard attributes for the output (empty for a whole run).
    let attributes: [String: HDF5AttributeValue]

    init(all: [InputRecordings.Item], shard: Shard?, command: Extract) throws {
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
            ShardAttributes.network: .string("file digest " + (try FNV1a.file(command.network))),
            ShardAttributes.options: .string(Self.options(of: command)),
            ShardAttributes.inputs: .string(names.hex),
        ]
    }

    /// The options besides the network and inputs that change extract's output.
    static func options(of c: Extract) -> String {
        [
            "emit-misses=\(c.emitMisses)",
            "features=\(c.features ?? "none")",
            "format=\(c.format.map { "\($0)" } ?? "auto")",
            "lenient=\(c.input.lenient)",
            "columns=\(c.input.columns.map { "\($0.columns)" } ?? "auto")",
            "geometry=\(c.input.geometry.map { "\($0.geometry.width)x\($0.geometry.height)" } ?? "auto")",
        ].joined(separator: " ")
    }
}
