import FeastEvents

/// What a shard output says about itself (``ShardAttributes``), and the
/// check that a list of them is exactly the shards `0/n … n-1/n` of one run.
public struct ShardMeta: Equatable {
    public var index: Int
    public var count: Int
    /// Items in the whole run.
    public var total: Int
    public var network: String
    public var options: String
    public var inputs: String
    /// Items in this shard.
    public var items: Int

    public var shard: Shard { Shard(index: index, count: count) }

    /// Reads the shard attributes of an HDF5 output (root attributes).
    public init(file: HDF5File) throws {
        guard file.hasAttribute(ShardAttributes.index) else { throw MergeError.notAShard(file: file.name) }
        index = try file.intAttribute(ShardAttributes.index)
        count = try file.intAttribute(ShardAttributes.count)
        total = try file.intAttribute(ShardAttributes.total)
        network = try file.stringAttribute(ShardAttributes.network)
        options = try file.stringAttribute(ShardAttributes.options)
        inputs = try file.stringAttribute(ShardAttributes.inputs)
        items = 0
    }

    public init(index: Int, count: Int, total: Int, network: String, options: String, inputs: String, items: Int) {
        self.index = index
        self.count = count
        self.total = total
        self.network = network
        self.options = options
        self.inputs = inputs
        self.items = items
    }

    /// Checks that `shards` (file, meta) are all the shards of one run, each
    /// once and whole; returns the files ordered by shard index.
    public static func check(_ shards: [(file: String, meta: ShardMeta)], itemName: String) throws -> [(file: String, meta: ShardMeta)] {
        let (firstFile, first) = shards[0]
        guard first.count >= 1, first.index >= 0, first.index < first.count else {
            throw MergeError.unreadable(file: firstFile, reason: "shard \(first.index)/\(first.count) is not a valid shard")
        }
        for (file, m) in shards.dropFirst() {
            func differ(_ what: String, _ a: String, _ b: String) throws {
                if a != b { throw MergeError.mismatch(file: file, first: firstFile, what: what, found: a, expected: b) }
            }
            try differ("shard count", "\(m.count) shards", "\(first.count) shards")
            try differ("network", m.network, first.network)
            try differ("set of options", m.options, first.options)
            try differ("number of \(itemName)", "\(m.total)", "\(first.total)")
            try differ("list of input recordings", "digest \(m.inputs)", "digest \(first.inputs)")
        }
        var byIndex = [Int: String]()
        for (file, m) in shards {
            guard m.index >= 0, m.index < m.count else {
                throw MergeError.unreadable(file: file, reason: "shard \(m.index)/\(m.count) is not a valid shard")
            }
            if let other = byIndex[m.index] { throw MergeError.duplicate(shard: m.shard.description, files: [other, file]) }
            byIndex[m.index] = file
            let expected = m.shard.size(total: m.total)
            if m.items != expected {
                throw MergeError.incomplete(file: file, shard: m.shard.description, expected: "\(expected) of \(m.total) \(itemName)",
                                            found: "\(m.items)")
            }
        }
        let missing = (0..<first.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw MergeError.missing(shards: missing.map { "\($0)/\(first.count)" },
                                     have: byIndex.keys.sorted().map { "\($0)/\(first.count) (\(byIndex[$0]!))" })
        }
        return shards.sorted { $0.meta.index < $1.meta.index }
    }
}
