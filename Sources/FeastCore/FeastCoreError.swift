import FeastEvents

/// Every error FeastCore throws. Messages name the field or position and
/// what was expected, so a user can fix the input without reading code.
public enum FeastCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A layer parameter is out of range: which field, the offending
    /// value, and what would be accepted.
    case invalidParameter(field: FeastParameters.Field, value: String, expected: String)
    /// A fixed-point configuration field is out of range or inconsistent.
    case invalidFixedPoint(field: String, value: String, expected: String)
    /// A snapshot does not fit the layer it is restored into (or is corrupt):
    /// which field, what was expected and what was found.
    case snapshotMismatch(field: String, expected: String, found: String)
    /// Reading recording `index` (its source `name`) failed while training;
    /// `underlying` is the reader's error, still typed.
    case recordingFailed(index: Int, name: String, underlying: UnderlyingError)
    /// A resume position does not exist in this training run.
    case invalidResumePosition(epoch: Int, recording: Int, expected: String)

    public var description: String {
        switch self {
        case let .invalidParameter(field, value, expected):
            return "invalid \(field.rawValue) \(value): expected \(expected)"
        case let .invalidFixedPoint(field, value, expected):
            return "invalid fixed-point \(field) \(value): expected \(expected)"
        case let .snapshotMismatch(field, expected, found):
            return "layer snapshot field \(field): expected \(expected), found \(found)"
        case let .recordingFailed(index, name, underlying):
            return "recording \(index) (\(name)): \(underlying)"
        case let .invalidResumePosition(epoch, recording, expected):
            return "cannot resume at epoch \(epoch), recording \(recording): expected \(expected)"
        }
    }
}
