import FeastLearning
import XCTest
import FeastEvents
@testable import FeastIO

/// `ClassifierFile`: the fitted classifiers of `feast fit` as HDF5.
final class ClassifierFileTests: XCTestCase {
    /// Three separable classes in 4 dimensions.
    func data() throws -> (x: Matrix, labels: [Int]) {
        var rows = [[Double]](), labels = [Int]()
        var g = SplitMix64(seed: 5)
        for i in 0..<30 {
            let c = i % 3
            rows.append((0..<4).map { d in Double(d == c ? 5 : 0) + Double(g.next() % 1000) / 1000 })
            labels.append(c)
        }
        return (try Matrix(rows), labels)
    }

    func file(_ state: ClassifierState, dimension: Int = 4) -> ClassifierFile {
        ClassifierFile(state: state, classifierSpec: state.name, features: "hist:polarity,pool=2", classes: 3, featureDimension: dimension,
                       networkDigest: "0123456789abcdef", network: "net.h5", trainRecordings: 30)
    }

    func testEveryBuiltInClassifierStateRoundTripsEqualAndPredictsTheSame() throws {
        let folder = makeTemporaryFolder(self)
        let (x, labels) = try data()
        for spec in ["centroid", "ridge", "logistic", "elm:hidden=20", "knn:k=3", "centroid:standardize=off", "knn:standardize=feature"] {
            var model = try ClassifierRegistry.builtIn.make(spec, seed: 7)
            try model.fit(x, labels: labels, classes: 3)
            let written = file(try model.state())
            let path = "\(folder)/\(spec.replacingOccurrences(of: ":", with: "_")).h5"
            try written.write(to: path)
            let back = try ClassifierFile.read(from: path)
            XCTAssertEqual(back.state, written.state, spec)
            XCTAssertEqual(back, written, spec)
            let restored = try ClassifierRegistry.builtIn.restore(back.state)
            XCTAssertEqual(try restored.predict(x), try model.predict(x), spec)
        }
    }

    func testScalarsShapesAndEmptyArraysRoundTrip() throws {
        let path = makeTemporaryFolder(self) + "/c.h5"
        var state = ClassifierState(name: "mine", scalars: ["k": 3, "lambda": 0.125, "neg": -2.5])
        state.set("cube", (0..<24).map(Double.init), shape: [2, 3, 4])
        state.set("row", [1.5, -0.0, .infinity])
        state.set("none", [], shape: [0, 5])
        let written = file(state)
        try written.write(to: path)
        XCTAssertEqual(try ClassifierFile.read(from: path), written)
    }

    func testForeignGarbageTruncatedAndNewerFilesAreRefusedNamingTheFile() throws {
        let folder = makeTemporaryFolder(self)
        var model = try ClassifierRegistry.builtIn.make("centroid")
        let (x, labels) = try data()
        try model.fit(x, labels: labels, classes: 3)
        let good = folder + "/good.h5"
        try file(try model.state()).write(to: good)

        try NamedArrayGroup(attributes: ["kind": .string("feast-network")]).writeFile(to: folder + "/net.h5")
        XCTAssertEqual(errorMessage { _ = try ClassifierFile.read(from: folder + "/net.h5") },
                       "\(folder)/net.h5: / attribute 'kind': \"feast-network\" (expected \"feast-classifier\": a classifier file written by feast fit)")
        try NamedArrayGroup(arrays: ["x": NamedArray([Float](arrayLiteral: 1))]).writeFile(to: folder + "/plain.h5")
        XCTAssertEqual(errorMessage { _ = try ClassifierFile.read(from: folder + "/plain.h5") },
                       "\(folder)/plain.h5: /: missing attribute 'kind' (expected \"feast-classifier\": a classifier file written by feast fit)")
        writeBytes(Array("centroids,0.5,1\n".utf8), to: folder + "/garbage.h5")
        XCTAssertEqual(errorMessage { _ = try ClassifierFile.read(from: folder + "/garbage.h5") },
                       "\(folder)/garbage.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        writeBytes(Array(bytes.prefix(bytes.count / 2)), to: folder + "/truncated.h5")
        let truncated = errorMessage { _ = try ClassifierFile.read(from: folder + "/truncated.h5") }
        XCTAssertTrue(truncated?.hasPrefix("\(folder)/truncated.h5: /: cannot open: unable to open file: truncated file: eof = ") ?? false,
                      truncated ?? "no error")

        let newer = folder + "/newer.h5"
        try NamedArrayGroup(attributes: ["kind": .string("feast-classifier"), "format_version": .int(2)]).writeFile(to: newer)
        XCTAssertEqual(errorMessage { _ = try ClassifierFile.read(from: newer) },
                       "\(newer): /: format_version 2 is newer than this feast understands (1); upgrade feast")
    }

    func testStateThatDoesNotFillItsShapeIsRefusedAndNothingWritten() throws {
        let folder = makeTemporaryFolder(self)
        var state = ClassifierState(name: "centroid")
        state.arrays["centroids"] = [1, 2, 3]
        state.shapes["centroids"] = [2, 2]
        XCTAssertEqual(errorMessage { try self.file(state).write(to: folder + "/bad.h5") },
                       "\(folder)/bad.h5: /state/centroids: 3 values do not fill shape [2, 2]")
        XCTAssertEqual(listFolder(folder), [])
    }
}
