/// Why `feast merge` refused its inputs. Every message names the file(s)
/// and what was expected, so the user can find the missing or stray shard.
public enum MergeError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    /// The file carries no shard attributes.
    case notAShard(file: String)
    /// Two inputs hold different kinds of output (events, features, size).
    case kindMismatch(file: String, kind: String, first: String, firstKind: String)
    /// A fingerprint differs from the first input's.
    case mismatch(file: String, first: String, what: String, found: String, expected: String)
    case duplicate(shard: String, files: [String])
    case missing(shards: [String], have: [String])
    /// A shard holds other items than its positions in the whole run.
    case incomplete(file: String, shard: String, expected: String, found: String)
    case badOutput(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        case let .notAShard(file):
            return "\(file): not a shard (no shard_index attribute); expected the output of one shard of a sharded extract, size or evaluate run"
        case let .kindMismatch(file, kind, first, firstKind):
            return "\(file): holds \(kind), but \(first) holds \(firstKind); merge shards of one run"
        case let .mismatch(file, first, what, found, expected):
            return "\(file): made with another \(what) than \(first) (\(found) vs \(expected)); merge shards of one run"
        case let .duplicate(shard, files):
            return "shard \(shard) given twice: \(files.joined(separator: " and "))"
        case let .missing(shards, have):
            return "shard\(shards.count > 1 ? "s" : "") \(shards.joined(separator: ", ")) missing (have \(have.joined(separator: ", ")))"
        case let .incomplete(file, shard, expected, found):
            return "\(file): shard \(shard) should hold \(expected), found \(found)"
        case let .badOutput(path, reason):
            return "\(path): \(reason)"
        }
    }
}
