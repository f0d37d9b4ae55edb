import FeastEvents

/// What the FEAST layer emits for one input event.
///
/// `neuron` is the winning neuron's global index (`population * N + n`, see
/// ``PolarityMode``), or `-1` for a miss (no neuron was eligible; emitted only
/// on request) — skipped events (border policy) are never emitted.
public struct OutputEvent: Sendable, Hashable {
    /// The input event (t in µs, x, y, polarity).
    public var event: Event
    /// Winning neuron, or -1 for a miss.
    public var neuron: Int32

    @inlinable
    public init(event: Event, neuron: Int32) {
        self.event = event
        self.neuron = neuron
    }
}
