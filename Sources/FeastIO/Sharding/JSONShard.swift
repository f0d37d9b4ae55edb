import FeastCore
import Foundation
import FeastEvents

/// A shard output kept as JSON (`feast size` and `feast evaluate --shard i/n
/// -o PART.json`): the shard attributes extract writes into HDF5 as
/// top-level keys, plus the partial result. One reader and writer for both.
public protocol JSONShard: Codable {
    /// The `kind` key's value, e.g. "feast-size-shard".
    static var kind: String { get }
    /// What a user calls it in messages, e.g. "feast size shard".
    static var title: String { get }
    var shardIndex: Int { get }
    var shardCount: Int { get }
    var shardTotal: Int { get }
    var shardNetwork: String { get }
    var shardOptions: String { get }
    var shardInputs: String { get }
    /// Items of the whole run this shard holds.
    var shardItems: Int { get }
}

extension JSONShard {
    public var meta: ShardMeta {
        ShardMeta(index: shardIndex, count: shardCount, total: shardTotal, network: shardNetwork,
                  options: shardOptions, inputs: shardInputs, items: shardItems)
    }

    public func write(to path: String) throws {
        try FeastJSON.text(self).writeAtomically(to: path)
    }

    /// Reads a partial result; nil when the file is JSON of another kind.
    public static func read(from path: String) throws -> Self? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MergeError.unreadable(file: path, reason: "cannot read the file")
        }
        guard (try? JSONDecoder().decode(JSONShardKind.self, from: data))?.kind == kind else { return nil }
        do {
            return try FeastJSON.decoder().decode(Self.self, from: data)
        } catch {
            throw MergeError.unreadable(file: path, reason: "not a complete \(title): \(error)")
        }
    }

    /// `first` (read from `paths[0]`) and the shards in the other files,
    /// each checked to be of this kind.
    public static func readAll(_ paths: [String], first: Self) throws -> [Self] {
        var parts = [first]
        for path in paths.dropFirst() {
            guard let s = try read(from: path) else {
                throw MergeError.kindMismatch(file: path, kind: "no \(title)", first: paths[0], firstKind: "a \(title)")
            }
            parts.append(s)
        }
        return parts
    }
}

/// Just the `kind` key of a JSON file.
private struct JSONShardKind: Decodable { var kind: String? }
