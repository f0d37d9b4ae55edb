/// Wraps a classifier with standardisation fitted on the training rows
/// (``FeatureStandardizer``, global scale by default), applied to every later input.
///
/// The wrapper keeps the base's `name`; its state is the base's state plus
/// the arrays `standardizer.mean` and `standardizer.scale`, so
/// ``ClassifierRegistry/restore(_:)`` knows to re-wrap.
public struct Standardised<Base: Classifier>: Classifier {
    /// The wrapped classifier.
    public private(set) var base: Base
    /// Fitted statistics (nil before `fit`).
    public private(set) var standardiser: FeatureStandardiser?

    /// State keys of the standardiser's arrays.
    public static var meanKey: String { "standardizer.mean" }
    public static var scaleKey: String { "standardizer.scale" }

    /// How `fit` chooses the scale (the saved state holds the result, not the mode).
    public let mode: FeatureStandardiser.Mode

    public init(_ base: Base, mode: FeatureStandardiser.Mode = .global) {
        self.base = base
        self.mode = mode
    }

    public var name: String { base.name }

    public mutating func fit(_ x: Matrix, labels: [Int], classes: Int) throws {
        try ClassifierChecks.training(x, labels: labels, classes: classes, classifier: name)
        let s = try FeatureStandardiser(fitting: x, mode: mode)
        try base.fit(s.apply(x), labels: labels, classes: classes)
        standardiser = s
    }

    public func scores(_ x: Matrix) throws -> Matrix {
        guard let s = standardiser else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: s.dimension, classifier: name)
        return try base.scores(s.apply(x))
    }

    public func predict(_ x: Matrix) throws -> [Int] {
        guard let s = standardiser else { throw FeastLearningError.notFitted(classifier: name) }
        try ClassifierChecks.features(x, dimension: s.dimension, classifier: name)
        return try base.predict(s.apply(x))
    }

    public func state() throws -> ClassifierState {
        guard let s = standardiser else { throw FeastLearningError.notFitted(classifier: name) }
        var st = try base.state()
        st.set(Self.meanKey, s.mean)
        st.set(Self.scaleKey, s.scale)
        return st
    }

    public init(state: ClassifierState) throws {
        let mean = try state.array(Self.meanKey)
        let scale = try state.array(Self.scaleKey)
        var inner = state
        inner.arrays[Self.meanKey] = nil; inner.shapes[Self.meanKey] = nil
        inner.arrays[Self.scaleKey] = nil; inner.shapes[Self.scaleKey] = nil
        standardiser = try FeatureStandardiser(mean: mean, scale: scale)
        mode = Set(scale).count <= 1 ? .global : .perFeature
        base = try Base(state: inner)
    }

    /// True when `state` was written by a `Standardized` wrapper.
    public static func isStandardised(_ state: ClassifierState) -> Bool {
        state.arrays[meanKey] != nil
    }
}
