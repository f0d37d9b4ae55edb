import FeastCore
import FeastEvents

/// How a feature vector is scaled after accumulation.
public enum FeatureNormalisation: String, Sendable, Hashable, CaseIterable {
    /// Raw counts.
    case none
    /// Divided by the sum of absolute values (a distribution over features).
    case l1
    /// Divided by the Euclidean norm (unit length).
    case l2
    /// Square root of the l1-normalised vector (the Hellinger map): for
    /// counts, it evens out the variance of large and small bins, so a
    /// linear classifier on it compares distributions by Hellinger distance.
    /// Meant for non-negative features (counts); a negative entry keeps its sign.
    case sqrt

    /// Scales `v` in place; an all-zero vector stays zero.
    public func apply(_ v: inout [Double]) {
        switch self {
        case .none: return
        case .l1:
            var s = 0.0
            for x in v { s += abs(x) }
            if s > 0 { for i in v.indices { v[i] /= s } }
        case .l2:
            var s = 0.0
            for x in v { s += x * x }
            if s > 0 { let r = s.squareRoot(); for i in v.indices { v[i] /= r } }
        case .sqrt:
            var s = 0.0
            for x in v { s += abs(x) }
            if s > 0 { for i in v.indices { let q = (abs(v[i]) / s).squareRoot(); v[i] = v[i] < 0 ? -q : q } }
        }
    }
}

/// Turns one recording's output events into a fixed-length feature vector.
///
/// Use: `var f = extractor.makeVector()`, then `accumulate` every chunk of the
/// recording in stream order, then `finish(&f)` (normalisation). Or call
/// ``features(of:)`` on a whole recording. Implementations are values
/// configured for one network size and sensor; they hold no per-recording
/// state, so one extractor serves many recordings in parallel.
public protocol FeatureExtractor: Sendable, CustomStringConvertible {
    /// Length of every feature vector.
    var dimension: Int { get }
    /// Adds the events of one chunk into `features` (length `dimension`).
    /// Throws for an event the extractor cannot place (neuron or address out
    /// of range); `indexOffset` is the index of the chunk's first event in the
    /// recording, for the error message.
    func accumulate(_ chunk: UnsafeBufferPointer<OutputEvent>, into features: inout [Double], indexOffset: Int) throws
    /// Final scaling after the last chunk (normalisation).
    func finish(_ features: inout [Double])
}

extension FeatureExtractor {
    /// A zero vector of length `dimension`.
    public func makeVector() -> [Double] { [Double](repeating: 0, count: dimension) }

    /// Adds one chunk given as any contiguous collection (array, slice).
    public func accumulate<C: Collection>(_ chunk: C, into features: inout [Double], indexOffset: Int = 0) throws where C.Element == OutputEvent {
        if let done: Void = try chunk.withContiguousStorageIfAvailable({ try accumulate($0, into: &features, indexOffset: indexOffset) }) {
            return done
        }
        try ContiguousArray(chunk).withUnsafeBufferPointer { try accumulate($0, into: &features, indexOffset: indexOffset) }
    }

    /// The finished feature vector of a whole recording.
    public func features<C: Collection>(of events: C) throws -> [Double] where C.Element == OutputEvent {
        var f = makeVector()
        try accumulate(events, into: &f, indexOffset: 0)
        finish(&f)
        return f
    }

    public func finish(_ features: inout [Double]) {}
}
