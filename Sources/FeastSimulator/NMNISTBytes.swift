import FeastEvents

/// The N-MNIST `.bin` encoding (5 bytes per event, big-endian 40-bit word:
/// x, y, polarity bit + 23-bit timestamp in µs), enough for the realism
/// report and for `feast simulate`.
///
/// TEMPORARY: the real codec (errors with offsets, overflow markers,
/// streaming) belongs to FeastEvents (branch `events`); swap this for it
/// once it is merged.
public enum NMNISTBytes {
    /// Largest timestamp the format holds without overflow markers, µs.
    public static let maxTimestamp: Int64 = (1 << 23) - 1

    /// Decodes a whole file's bytes. A trailing partial record is ignored;
    /// overflow markers (y == 240) add 8192 µs to later events.
    public static func decode(_ bytes: [UInt8]) -> ContiguousArray<Event> {
        var events = ContiguousArray<Event>()
        events.reserveCapacity(bytes.count / 5)
        var offset: Int64 = 0
        var k = 0
        while k + 5 <= bytes.count {
            let x = bytes[k], y = bytes[k + 1], b2 = bytes[k + 2]
            let t = Int64(b2 & 0x7F) << 16 | Int64(bytes[k + 3]) << 8 | Int64(bytes[k + 4])
            if y == 240 { offset += 8192 } else {
                events.append(Event(t: t + offset, x: UInt16(x), y: UInt16(y), polarity: b2 >> 7))
            }
            k += 5
        }
        return events
    }

    /// Encodes events (x, y < 256, 0 ≤ t ≤ ``maxTimestamp``; checked).
    public static func encode(_ events: ContiguousArray<Event>) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: events.count * 5)
        for (n, e) in events.enumerated() {
            precondition(e.x < 256 && e.y < 256 && e.y != 240 && e.t >= 0 && e.t <= maxTimestamp,
                         "event \(n) does not fit the N-MNIST format: \(e)")
            let k = n * 5
            bytes[k] = UInt8(e.x)
            bytes[k + 1] = UInt8(e.y)
            bytes[k + 2] = (e.polarity != 0 ? 0x80 : 0) | UInt8((e.t >> 16) & 0x7F)
            bytes[k + 3] = UInt8((e.t >> 8) & 0xFF)
            bytes[k + 4] = UInt8(e.t & 0xFF)
        }
        return bytes
    }
}
