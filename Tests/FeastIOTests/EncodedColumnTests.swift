import Foundation
import XCTest
import FeastEvents
@testable import FeastIO

/// Chunks encoded off the writer's thread (``EncodedColumn``) give the same
/// file, byte for byte, as HDF5's own shuffle + deflate pipeline.
final class EncodedColumnTests: XCTestCase {
    func testEncodedColumnsWriteTheSameBytesAsHDF5sFilterPipeline() throws {
        let folder = makeTemporaryFolder(self)
        var generator = SplitMix64(seed: 12345)
        // Sizes around the 256 KiB chunk: empty, tiny, a partial last chunk, several chunks.
        let sizes = [0, 1, 7, 131_071, 131_072, 131_073, 300_001]
        func arrays() -> (x: [[UInt16]], p: [[UInt8]], t: [[Int64]], n: [[Int32]]) {
            var x = [[UInt16]](), p = [[UInt8]](), t = [[Int64]](), n = [[Int32]]()
            for s in sizes {
                var time: Int64 = 0
                x.append((0..<s).map { _ in UInt16.random(in: 0..<34, using: &generator) })
                p.append((0..<s).map { _ in UInt8.random(in: 0...1, using: &generator) })
                t.append((0..<s).map { _ in time += Int64.random(in: 0..<50, using: &generator); return time })
                n.append((0..<s).map { _ in Int32.random(in: -1..<64, using: &generator) })
            }
            return (x, p, t, n)
        }
        let a = arrays()
        try HDF5File.writeAtomically(to: folder + "/library.h5") { file in
            for i in sizes.indices {
                try file.write(a.x[i], to: "/\(i)/x")
                try file.write(a.p[i], to: "/\(i)/p")
                try file.write(a.t[i], to: "/\(i)/t")
                try file.write(a.n[i], to: "/\(i)/neuron", compression: 9)
            }
        }
        try HDF5File.writeAtomically(to: folder + "/encoded.h5") { file in
            for i in sizes.indices {
                try file.write(EncodedColumn(a.x[i]), to: "/\(i)/x")
                try file.write(EncodedColumn(a.p[i]), to: "/\(i)/p")
                try file.write(EncodedColumn(a.t[i]), to: "/\(i)/t")
                try file.write(EncodedColumn(a.n[i], compression: 9), to: "/\(i)/neuron")
            }
        }
        let library = try Data(contentsOf: URL(fileURLWithPath: folder + "/library.h5"))
        let encoded = try Data(contentsOf: URL(fileURLWithPath: folder + "/encoded.h5"))
        XCTAssertEqual(library.count, encoded.count)
        XCTAssertTrue(library == encoded, "the two files differ")
        // And HDF5 reads the values back.
        let file = try HDF5File.open(folder + "/encoded.h5")
        defer { try? file.close() }
        for i in sizes.indices {
            XCTAssertEqual(try file.read1D(Int64.self, from: "/\(i)/t"), a.t[i])
            XCTAssertEqual(try file.read1D(UInt8.self, from: "/\(i)/p"), a.p[i])
        }
    }
}
