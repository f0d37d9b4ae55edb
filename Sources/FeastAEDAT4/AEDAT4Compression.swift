/// How the packets of an AEDAT 4.0 file are compressed (the IOHeader's
/// `compression` field; each packet is one complete frame of that codec).
public enum AEDAT4Compression: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case lz4 = 1
    case lz4High = 2
    case zstd = 3
    case zstdHigh = 4

    public var description: String {
        switch self {
        case .none: "none"
        case .lz4: "LZ4"
        case .lz4High: "LZ4 (high)"
        case .zstd: "zstd"
        case .zstdHigh: "zstd (high)"
        }
    }
}
