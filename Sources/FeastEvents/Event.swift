/// One address event from an event camera.
///
/// - `t`: timestamp in integer microseconds (µs) since the start of the
///   recording's clock. Never negative in files this tool writes.
/// - `x`, `y`: pixel address, 0-based, `x < width`, `y < height` of the
///   recording's ``SensorGeometry``.
/// - `polarity`: 1 = ON (brightness increased), 0 = OFF.
///
/// 16 bytes in memory; events travel in `ContiguousArray<Event>` chunks.
public struct Event: Sendable, Hashable, CustomStringConvertible {
    /// Timestamp in microseconds.
    public var t: Int64
    /// Column, 0-based.
    public var x: UInt16
    /// Row, 0-based.
    public var y: UInt16
    /// 1 = ON, 0 = OFF. Between stacked FEAST layers: the channel, the
    /// winning neuron of the layer before (0…255).
    public var polarity: UInt8

    @inlinable
    public init(t: Int64, x: UInt16, y: UInt16, polarity: UInt8) {
        self.t = t
        self.x = x
        self.y = y
        self.polarity = polarity
    }

    /// True for an ON event.
    @inlinable public var isOn: Bool { polarity != 0 }

    public var description: String { "Event(t: \(t) µs, x: \(x), y: \(y), p: \(polarity))" }
}
