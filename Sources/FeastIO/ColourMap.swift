/// Maps numbers to colours.
public enum ColourMap: Sendable, Equatable {
    /// Blue (-1) – white (0) – red (+1): signed values such as ON/OFF
    /// weights or differences. Input is clamped to -1...1.
    case diverging
    /// Dark purple (0) – teal – yellow (1), perceptually ordered (a
    /// viridis approximation): magnitudes such as counts or weights ≥ 0.
    /// Input is clamped to 0...1.
    case sequential
    /// White (0) – dark blue (1): for tables with numbers printed on cells.
    case blues

    /// The colour of `value` (see each case for the expected range).
    public func colour(_ value: Double) -> RGB {
        let v = value.isNaN ? 0 : value
        switch self {
        case .diverging:
            let t = min(1, max(-1, v))
            let white = RGB(247, 247, 247)
            return t >= 0 ? white.mixed(with: RGB(178, 24, 43), t) : white.mixed(with: RGB(33, 102, 172), -t)
        case .sequential:
            return ColourMap.interpolate(ColourMap.viridis, min(1, max(0, v)))
        case .blues:
            return ColourMap.interpolate(ColourMap.bluesStops, min(1, max(0, v)))
        }
    }

    private static let viridis: [RGB] = [
        RGB(68, 1, 84), RGB(72, 40, 120), RGB(62, 74, 137), RGB(49, 104, 142), RGB(38, 130, 142),
        RGB(31, 158, 137), RGB(53, 183, 121), RGB(109, 205, 89), RGB(180, 222, 44), RGB(253, 231, 37),
    ]
    private static let bluesStops: [RGB] = [
        RGB(247, 251, 255), RGB(198, 219, 239), RGB(107, 174, 214), RGB(33, 113, 181), RGB(8, 48, 107),
    ]

    private static func interpolate(_ stops: [RGB], _ t: Double) -> RGB {
        let position = t * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(position))
        return stops[i].mixed(with: stops[i + 1], position - Double(i))
    }
}
