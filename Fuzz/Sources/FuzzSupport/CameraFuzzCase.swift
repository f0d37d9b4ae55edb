import FeastEvents

/// How the camera-format fuzz targets read libFuzzer's bytes: the first
/// byte picks the read buffer (64…323 bytes, so words and packets split
/// across refills), whether a 40×30 geometry is given, and the chunk size
/// (1…46 events); the rest is the file, header included.
public struct CameraFuzzCase {
    public let input: ByteInput
    public let geometry: SensorGeometry?
    public let chunkCapacity: Int
    /// The file's bytes (without the options byte).
    public let bodyCount: Int

    /// nil for an empty input.
    public init?(_ data: UnsafePointer<UInt8>?, _ size: Int, name: String) {
        guard let data, size > 0 else { return nil }
        let options = data[0]
        let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
        input = FuzzInput.descriptorInput(body, capacity: 64 + Int(options & 0x7) * 37, name: name)
        geometry = options & 0x8 != 0 ? SensorGeometry(width: 40, height: 30) : nil
        chunkCapacity = 1 + Int(options >> 4) * 3
        bodyCount = body.count
    }
}
