import XCTest
import FeastEvents
@testable import FeastIO

final class FeatureFileTests: XCTestCase {
    func sample(rows: Int, columns: Int, seed: UInt64) -> FeatureFile {
        var generator = SplitMix64(seed: seed)
        let features = (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &generator) }
        return FeatureFile(features: features, rows: rows, columns: columns,
                           labels: (0..<rows).map { Int32($0 % 10) },
                           files: (0..<rows).map { "Train/\($0 % 10)/\($0).bin" },
                           attributes: ["spec": .string("histogram"), "neurons": .int(16), "tau_us": .double(20_000)])
    }

    func testFeaturesRoundTripExactly() throws {
        let folder = makeTemporaryFolder(self)
        for (rows, columns) in [(0, 5), (1, 1), (37, 16)] {
            let original = sample(rows: rows, columns: columns, seed: UInt64(rows))
            let path = "\(folder)/f\(rows).h5"
            try original.write(to: path)
            let back = try FeatureFile.read(from: path)
            XCTAssertEqual(back, original)
            if rows > 0 { XCTAssertEqual(Array(back.row(rows - 1)), Array(original.features.suffix(columns))) }
        }
    }

    func testH5pyReadsFeatures() throws {
        let path = makeTemporaryFolder(self) + "/py.h5"
        try sample(rows: 3, columns: 2, seed: 1).write(to: path)
        guard let (status, output) = runPythonH5py("""
        import h5py
        f = h5py.File('\(path)', 'r')
        print(f['features'].dtype, f['features'].shape, f['labels'].dtype, f['labels'][:].tolist(), f['files'].asstr()[0], f.attrs['spec'], f.attrs['neurons'])
        """) else { throw XCTSkip("python3 with h5py is not available") }
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output, "float32 (3, 2) int32 [0, 1, 2] Train/0/0.bin histogram 16\n")
    }

    func testMismatchedAndMalformedFeatureFilesGiveClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        var bad = sample(rows: 3, columns: 2, seed: 2)
        bad.labels.removeLast()
        XCTAssertEqual(errorMessage { try bad.write(to: "\(folder)/x.h5") }, "\(folder)/x.h5: /labels: 2 labels for 3 rows")
        XCTAssertEqual(listFolder(folder), [])

        try HDF5File.writeAtomically(to: "\(folder)/rows.h5") { f in
            try f.write([Float](repeating: 0, count: 6), rows: 3, columns: 2, to: "/features")
            try f.write([Int32](arrayLiteral: 1, 2), to: "/labels")
        }
        XCTAssertEqual(errorMessage { _ = try FeatureFile.read(from: "\(folder)/rows.h5") },
                       "\(folder)/rows.h5: /labels: wrong shape: expected 3 labels, one per row of /features, found 2")

        try HDF5File.writeAtomically(to: "\(folder)/rank.h5") { f in
            try f.write([Float](repeating: 0, count: 6), to: "/features")
            try f.write([Int32](arrayLiteral: 1, 2), to: "/labels")
        }
        XCTAssertEqual(errorMessage { _ = try FeatureFile.read(from: "\(folder)/rank.h5") },
                       "\(folder)/rank.h5: /features: wrong shape: expected a 2-D dataset, found 1-D 6")

        try HDF5File.writeAtomically(to: "\(folder)/files.h5") { f in
            try f.write([Float](repeating: 0, count: 2), rows: 2, columns: 1, to: "/features")
            try f.write([Int64](arrayLiteral: 1, 2), to: "/labels")
            try f.write(strings: ["a"], to: "/files")
        }
        XCTAssertEqual(errorMessage { _ = try FeatureFile.read(from: "\(folder)/files.h5") },
                       "\(folder)/files.h5: /files: wrong shape: expected 2 names, one per row of /features, found 1")

        try HDF5File.writeAtomically(to: "\(folder)/nolabels.h5") { f in
            try f.write([Float](repeating: 0, count: 2), rows: 2, columns: 1, to: "/features")
        }
        XCTAssertEqual(errorMessage { _ = try FeatureFile.read(from: "\(folder)/nolabels.h5") },
                       "\(folder)/nolabels.h5: /labels: missing (expected a 1-D dataset of integers)")
    }

    func testFailedAtomicWriteKeepsPreviousFile() throws {
        let folder = makeTemporaryFolder(self)
        let path = folder + "/keep.h5"
        let original = sample(rows: 4, columns: 3, seed: 3)
        try original.write(to: path)
        struct Interrupted: Error {}
        XCTAssertThrowsError(try HDF5File.writeAtomically(to: path) { f in
            try f.write([Float](repeating: 9, count: 100), to: "/features")
            throw Interrupted()
        })
        XCTAssertEqual(listFolder(folder), ["keep.h5"])
        XCTAssertEqual(try FeatureFile.read(from: path), original)
    }
}
