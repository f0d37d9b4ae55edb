import FeastEvents

/// Accumulates events into per-pixel ON and OFF counts and draws them:
/// hue from the ON share (ON red, OFF blue, mixed purple), strength from
/// the count (none white); each pixel a `scale × scale` square. Counts are
/// normalised by the 99th percentile of non-zero pixels so one hot pixel
/// does not wash out the rest.
public struct EventFrame: Sendable {
    public let geometry: SensorGeometry
    /// ON events per pixel, row-major (`y * width + x`).
    public private(set) var on: [UInt32]
    /// OFF events per pixel, row-major.
    public private(set) var off: [UInt32]

    public init(geometry: SensorGeometry) {
        self.geometry = geometry
        on = [UInt32](repeating: 0, count: geometry.pixelCount)
        off = on
    }

    /// Adds events (those outside the sensor are ignored).
    public mutating func add(_ events: ContiguousArray<Event>) {
        let width = geometry.width
        for event in events where geometry.contains(x: Int(event.x), y: Int(event.y)) {
            let i = Int(event.y) * width + Int(event.x)
            if event.isOn { on[i] &+= 1 } else { off[i] &+= 1 }
        }
    }

    /// Colour of a pixel with only ON / only OFF events at full strength.
    public static let onColour = RGB(200, 20, 30)
    public static let offColour = RGB(20, 80, 200)

    /// Renders the frame; `title` (if any) goes above it.
    public func render(scale: Int = 8, title: String = "", fontScale: Int = 1) -> RGBImage {
        let counts = (on + off).filter { $0 > 0 }.sorted()
        let reference = Double(counts.isEmpty ? 1 : counts[min(counts.count - 1, counts.count * 99 / 100)])
        let titleH = title.isEmpty ? 0 : BitmapFont.height(scale: fontScale) + 6 * fontScale
        let width = max(geometry.width * scale, BitmapFont.width(of: title, scale: fontScale) + 4)
        var image = RGBImage(width: width, height: titleH + geometry.height * scale)
        if !title.isEmpty { image.text(title, centreX: width / 2, y: 3 * fontScale, scale: fontScale) }
        for y in 0..<geometry.height {
            for x in 0..<geometry.width {
                let i = y * geometry.width + x
                let total = Double(on[i]) + Double(off[i])
                guard total > 0 else { continue }
                // Hue from the ON share (red ... purple ... blue), strength
                // from the count.
                let hue = EventFrame.offColour.mixed(with: EventFrame.onColour, Double(on[i]) / total)
                let colour = RGB.white.mixed(with: hue, min(1, total / reference))
                image.fillRect(x: x * scale, y: titleH + y * scale, width: scale, height: scale, colour)
            }
        }
        return image
    }
}
