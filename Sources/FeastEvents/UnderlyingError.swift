/// An error kept whole inside another (a recording that failed while
/// training or extracting), so a caller can still switch on its type and
/// fields: the CLI names the flag that fixes a read error even when the
/// read happened inside a training run. Equal when the messages are equal.
public struct UnderlyingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let error: any Error

    public init(_ error: any Error) {
        // Never nest the wrapper itself.
        self.error = (error as? UnderlyingError)?.error ?? error
    }

    public var description: String { "\(error)" }

    public static func == (a: UnderlyingError, b: UnderlyingError) -> Bool { a.description == b.description }
}
