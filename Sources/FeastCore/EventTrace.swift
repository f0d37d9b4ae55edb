import FeastEvents

/// Everything one event computed, for golden test vectors (`feast vectors`)
/// and debugging. Raw values are the fixed-point words (context in context
/// LSBs, scores in score LSBs, thresholds in threshold LSBs); for float they
/// are the IEEE-754 bit patterns.
public struct EventTrace: Sendable, Equatable {
    public var event: Event
    /// Global winner index, −1 miss, −2 skipped (then the arrays are empty).
    public var winner: Int32 = -2
    public var population = 0
    /// K entries, real values after normalisation.
    public var context: [Double] = []
    public var contextRaw: [Int64] = []
    /// N scores of the event's population.
    public var scores: [Double] = []
    public var scoresRaw: [Int64] = []
    /// score ≥ threshold, per neuron.
    public var eligible: [Bool] = []
    public var thresholdsBefore: [Double] = []
    public var thresholdsBeforeRaw: [Int64] = []
    public var thresholdsAfter: [Double] = []
    public var thresholdsAfterRaw: [Int64] = []

    public init(event: Event) { self.event = event }
}
