/// The order of the four columns of an event CSV file: a permutation of
/// t (µs), x, y, p. Default `t,x,y,p`.
public struct CSVColumns: Sendable, Hashable, CustomStringConvertible {
    /// One column of an event CSV.
    public enum Field: Int, Sendable, Hashable, CaseIterable {
        case t, x, y, p
        /// The canonical header name.
        public var name: String { ["t", "x", "y", "p"][rawValue] }

        /// Parses a column name as written in headers or `--columns`
        /// (case-insensitive): t/ts/timestamp/time/t_us, x, y, p/pol/polarity.
        public init?(name: some StringProtocol) {
            switch name.lowercased().trimmingSpaces {
            case "t", "ts", "timestamp", "time", "t_us", "timestamp_us": self = .t
            case "x": self = .x
            case "y": self = .y
            case "p", "pol", "polarity": self = .p
            default: return nil
            }
        }
    }

    /// Fields in file order; always the four fields, each once.
    public let order: [Field]

    public static let standard = CSVColumns(validated: [.t, .x, .y, .p])

    private init(validated order: [Field]) { self.order = order }

    /// Builds from names; `nil` unless the names are t, x, y, p each once.
    public init?<S: StringProtocol>(names: [S]) {
        let fields = names.compactMap { Field(name: $0) }
        guard fields.count == 4, names.count == 4, Set(fields).count == 4 else { return nil }
        self.order = fields
    }

    /// Parses a `--columns` value such as `x,y,p,t`.
    public init?(spec: String) {
        self.init(names: spec.split(separator: ",", omittingEmptySubsequences: false))
    }

    /// The header line without newline, e.g. `t,x,y,p`.
    public var description: String { order.map(\.name).joined(separator: ",") }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
