import Foundation

/// Where a benchmark's tables and progress go: `out` for the tables
/// (stdout in the CLI), `log` for progress and notes (stderr).
public struct BenchConsole: Sendable {
    public var out: @Sendable (String) -> Void
    public var log: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.log = log
    }

    /// Prints rows as a table: columns padded to their widest cell, the
    /// first `leftAligned` columns left-aligned, the rest right-aligned.
    public func table(_ rows: [[String]], leftAligned: Int = 1) {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        for row in rows {
            out(row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < leftAligned ? cell + pad : pad + cell
            }.joined(separator: "  "))
        }
    }
}

/// A benchmark that could not measure (a child process failed, a decode
/// gave the wrong count): the message says which and why.
public enum BenchError: Error, CustomStringConvertible, Equatable {
    case failed(String)

    public var description: String {
        switch self {
        case .failed(let message): message
        }
    }
}
