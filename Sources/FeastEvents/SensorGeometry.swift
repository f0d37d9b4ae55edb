/// The pixel array of a sensor: `width × height` pixels, addresses
/// `0..<width` by `0..<height`.
public struct SensorGeometry: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Number of columns (> 0).
    public var width: Int
    /// Number of rows (> 0).
    public var height: Int

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "sensor geometry must be positive")
        self.width = width
        self.height = height
    }

    /// N-MNIST recordings: 34 × 34 pixels (ATIS sensor cropped to the digit).
    public static let nmnist = SensorGeometry(width: 34, height: 34)

    /// Number of pixels.
    @inlinable public var pixelCount: Int { width * height }

    /// True when `(x, y)` is on the sensor.
    @inlinable public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    public var description: String { "\(width)×\(height)" }
}
