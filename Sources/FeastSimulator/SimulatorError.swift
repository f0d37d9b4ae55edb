/// Errors of FeastSimulator: each names the path and what was expected.
public enum SimulatorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A file or folder could not be read.
    case cannotRead(path: String, reason: String)
    /// A folder held no `.bin` recordings.
    case noRecordings(directory: String)
    /// An output could not be written.
    case cannotWrite(path: String, reason: String)
    /// A parameter is out of its range.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .noRecordings(directory):
            return "\(directory): no N-MNIST recordings (*.bin) found in this folder or its sub-folders"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value): expected \(expected)"
        }
    }
}
