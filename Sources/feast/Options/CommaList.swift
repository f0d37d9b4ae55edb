import ArgumentParser
import Foundation

/// Comma-separated lists of positive values, e.g. `--neurons 4,8,16` or
/// `--tau 10000,20000`: one parser, so every list flag refuses a bad list
/// with the same message shape.
enum CommaList {
    /// The values of `text`, each > 0. Throws a ValidationError naming
    /// `flag` and saying what was expected (`what`, e.g. "integers").
    static func positive<Value: LosslessStringConvertible & Comparable & ExpressibleByIntegerLiteral>(
        _ text: String, flag: String, what: String) throws -> [Value] {
        let values = text.split(separator: ",", omittingEmptySubsequences: false).map { Value($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("\(flag) expects positive \(what) separated by commas, got '\(text)'")
        }
        return values.map { $0! }
    }
}
