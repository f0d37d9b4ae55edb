import FeastCore

/// Everything that can go wrong reading or writing HDF5 and PNG files.
///
/// Every case names the file (the path the user gave, never a temporary
/// path) and, for HDF5, the object path inside it (`/events/x`, or `/` for
/// the root), and says what was expected; `description` is the message a
/// user sees.
public enum FeastIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is missing, unreadable, or cannot be created.
    case cannotOpen(file: String, reason: String)
    /// The file exists but is not an HDF5 file (including an empty file).
    case notHDF5(file: String)
    /// A dataset or group that must exist does not.
    case missing(file: String, object: String, expected: String)
    /// An attribute that must exist does not.
    case missingAttribute(file: String, object: String, attribute: String, expected: String)
    /// The object exists but holds the wrong kind of data.
    case wrongType(file: String, object: String, expected: String, found: String)
    /// The object has the wrong rank or size.
    case wrongShape(file: String, object: String, expected: String, found: String)
    /// A value inside the object is unacceptable; `index` is the element
    /// (event, row) index when there is one.
    case invalidValue(file: String, object: String, index: Int?, expected: String, found: String)
    /// A versioned file was written by a newer (or unknown) format version.
    case unsupportedVersion(file: String, object: String, found: Int, supported: Int)
    /// HDF5 itself reported a failure; `detail` is its error stack condensed
    /// to "what failed: why" (outermost and innermost messages).
    case library(file: String, object: String, operation: String, detail: String)
    /// A caller passed arguments that cannot be written (mismatched sizes).
    case invalidArgument(file: String, object: String, reason: String)
    /// libpng failed to write an image.
    case png(file: String, reason: String)
    /// A network file whose layer does not restore (`reason`: the core's error).
    case unusableLayer(file: String, object: String, underlying: FeastCoreError)
    /// A stacked network given to a command that works on one layer.
    case stackedNetwork(file: String, layers: Int, command: String)
    /// An output path whose extension names no output format.
    case unknownOutputFormat(file: String, expected: String)
    /// A recording from a larger sensor than the network it is fed to.
    case sensorTooLarge(file: String, sensor: String, network: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file): cannot open: \(reason)"
        case let .notHDF5(file):
            return "\(file): not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)"
        case let .missing(file, object, expected):
            return "\(file): \(object): missing (expected \(expected))"
        case let .missingAttribute(file, object, attribute, expected):
            return "\(file): \(object): missing attribute '\(attribute)' (expected \(expected))"
        case let .wrongType(file, object, expected, found):
            return "\(file): \(object): wrong type: expected \(expected), found \(found)"
        case let .wrongShape(file, object, expected, found):
            return "\(file): \(object): wrong shape: expected \(expected), found \(found)"
        case let .invalidValue(file, object, index, expected, found):
            let at = index.map { " at index \($0)" } ?? ""
            return "\(file): \(object)\(at): \(found) (expected \(expected))"
        case let .unsupportedVersion(file, object, found, supported):
            return "\(file): \(object): format_version \(found) is newer than this feast understands (\(supported)); upgrade feast"
        case let .library(file, object, operation, detail):
            return "\(file): \(object): cannot \(operation): \(detail)"
        case let .invalidArgument(file, object, reason):
            return "\(file): \(object): \(reason)"
        case let .png(file, reason):
            return "\(file): cannot write PNG: \(reason)"
        case let .unusableLayer(file, object, underlying):
            return "\(file): \(object): \(underlying)"
        case let .stackedNetwork(file, layers, command):
            return "\(file): a stacked network of \(layers) layers; \(command) works on a single layer (train one with --layers 1)"
        case let .unknownOutputFormat(file, expected):
            return "\(file): cannot tell the output format from the extension; expected \(expected)"
        case let .sensorTooLarge(file, sensor, network):
            return "\(file): the recording's sensor is \(sensor), larger than the network's \(network): train a network on this sensor (feast train sizes it from the file)"
        }
    }
}
