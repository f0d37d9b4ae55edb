import Foundation

/// Shard `index` of `count`: positions `index, index+count, …`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// Positions of this shard among `total` items, ascending.
    public func positions(total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }

    /// How many of `total` items this shard holds.
    public func size(total: Int) -> Int { total > index ? (total - index + count - 1) / count : 0 }
}

/// The attributes a shard output carries besides the whole run's, so
/// `feast merge` can check that its inputs belong together. Merging drops
/// them; everything else is the whole run's.
public enum ShardAttributes {
    public static let index = "shard_index"
    public static let count = "shard_count"
    /// Items in the whole run (recordings, or size configurations).
    public static let total = "shard_total"
    /// Digest of the network file's bytes (extract) or of the parameters (size).
    public static let network = "shard_network"
    /// The options that change the output, as text (compared verbatim).
    public static let options = "shard_options"
    /// Digest of the names and labels of all items of the whole run, in order.
    public static let inputs = "shard_inputs"

    public static let all = [index, count, total, network, options, inputs]
}

/// 64-bit FNV-1a, for fingerprints of inputs that must agree across shards
/// (not a security measure: it only catches mistakes).
public struct FNV1a {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    }

    public mutating func add(_ text: String) {
        add(text.utf8)
        add(CollectionOfOne(0))  // separator: "ab","c" ≠ "a","bc"
    }

    public var hex: String { String(format: "%016llx", value) }

    /// Digest of a file's bytes, read in 1 MiB blocks.
    public static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FeastIOError.cannotOpen(file: path, reason: "cannot read the file")
        }
        defer { try? handle.close() }
        var h = FNV1a()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { h.add(block) }
        return h.hex
    }
}
