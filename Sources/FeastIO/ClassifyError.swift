import FeastEvents

/// Why `feast classify` refused its classifier file. Every message names
/// the file(s) and what was expected; nothing is written.
public enum ClassifyError: Error, CustomStringConvertible, Equatable {
    /// The network's bytes differ from the ones the classifier was fitted with.
    case networkMismatch(classifier: String, network: String, fittedWith: String, recorded: String, found: String)
    /// The classifier's features would have another dimension than the file says.
    case featureDimension(classifier: String, features: String, expected: Int, network: String, found: Int)
    /// An attribute of the file cannot be used.
    case badAttribute(classifier: String, attribute: String, underlying: UnderlyingError)
    /// The saved state does not restore into a working classifier.
    case unusableState(classifier: String, name: String, underlying: UnderlyingError)

    public var description: String {
        switch self {
        case let .networkMismatch(classifier, network, fittedWith, recorded, found):
            return "\(classifier): fitted on the features of another network than \(network) (network digest \(recorded), from \(fittedWith); "
                + "\(network) has \(found)); expected the network file given to feast fit"
        case let .featureDimension(classifier, features, expected, network, found):
            return "\(classifier): fitted on \(expected) features per recording (\(features)), but \(network) gives \(found) "
                + "with that spec; expected the network and feature spec of feast fit"
        case let .badAttribute(classifier, attribute, underlying):
            return "\(classifier): / attribute '\(attribute)': \(underlying)"
        case let .unusableState(classifier, name, underlying):
            return "\(classifier): /state: cannot restore a fitted '\(name)' classifier: \(underlying)"
        }
    }
}
