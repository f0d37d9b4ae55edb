import Foundation
import XCTest
import FeastEvents
import FeastTestSupport
@testable import FeastLearning

/// Test-only access to the real recordings in `$FEAST_DATA/nmnist-small`
/// (default `../shared/datasets` from the package root). The decoder here is
/// deliberately tiny and local: the real codec lives in FeastEvents.
enum NMNISTSmall {
    static var folder: URL {
        URL(fileURLWithPath: RealData.root + "/nmnist-small")
    }

    struct Recording: Sendable {
        let file: String
        let label: Int
        let split: String
    }

    /// Rows of labels.csv, or an XCTSkip when the data set is absent.
    static func recordings() throws -> [Recording] {
        let csv = folder.appendingPathComponent("labels.csv")
        guard let text = try? String(contentsOf: csv, encoding: .utf8) else {
            throw XCTSkip("N-MNIST subset not found at \(csv.path); set FEAST_DATA to the datasets folder to run the real-data tests")
        }
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return Recording(file: f[0], label: Int(f[1])!, split: f[2])
        }
    }

    /// 5-byte N-MNIST events: x, y, p|t22..16, t15..8, t7..0 (µs).
    static func decode(_ file: String) throws -> [Event] {
        let data = try Data(contentsOf: folder.appendingPathComponent(file))
        precondition(data.count % 5 == 0)
        return data.withUnsafeBytes { b in
            (0..<(data.count / 5)).map { i in
                let o = i * 5
                let high: Int64 = Int64(b[o + 2] & 127) << 16
                let mid: Int64 = Int64(b[o + 3]) << 8
                let t: Int64 = high | mid | Int64(b[o + 4])
                return Event(t: t, x: UInt16(b[o]), y: UInt16(b[o + 1]), polarity: b[o + 2] >> 7)
            }
        }
    }

    /// Feature matrix and labels of one split, extracted in parallel.
    static func pixelFeatures(split: String, extractor: PixelCountExtractor = PixelCountExtractor()) throws -> (Matrix, [Int]) {
        let recs = try recordings().filter { $0.split == split }
        let rows = try parallelMap(recs) { try extractor.features(ofEvents: decode($0.file)) }
        return (try Matrix(rows), recs.map(\.label))
    }
}
