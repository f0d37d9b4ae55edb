/// Which arithmetic a layer computes in: float32, or fixed point with its
/// word configuration. The one run-time description of the choice; the
/// generic code below it is specialised per ``FeastArithmetic`` type, and
/// ``AnyFeastLayer`` carries a layer built from it.
public enum LayerArithmetic: Sendable, Equatable {
    case float
    case fixed(FixedPointConfiguration)

    /// The name network files record (``LayerState/arithmetic``).
    public var name: String {
        switch self {
        case .float: FloatArithmetic.name
        case .fixed: FixedPointArithmetic.name
        }
    }

    /// The fixed-point configuration, nil for float.
    public var fixedPoint: FixedPointConfiguration? {
        if case .fixed(let c) = self { return c }
        return nil
    }
}
