import FeastIO
import Foundation
import XCTest

/// `feast fit` saves one fitted classifier; `feast classify` applies it to
/// recordings. Together on the test recordings they must give exactly what
/// `feast evaluate --network` scores for the same stage-d features and
/// classifier; broken, foreign or mismatched classifier files are refused
/// naming the file, with nothing written.
final class FitClassifyCommandTests: XCTestCase {
    func ok(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CLI.Result {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, "feast \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r
    }

    func json(_ r: CLI.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.text, file: file, line: line)
    }

    /// The brief's synthetic set (4 training, 2 test recordings per digit)
    /// and an 8-neuron network trained on it.
    func synthetic(_ folder: String) throws -> (data: String, network: String) {
        _ = try ok(["simulate", "--out", folder + "/sim", "--train-per-class", "4", "--test-per-class", "2", "--seed", "3"])
        _ = try ok(["train", folder + "/sim", "-o", folder + "/net.h5", "--neurons", "8", "--radius", "3", "--seed", "3"])
        return (folder + "/sim", folder + "/net.h5")
    }

    /// 64-bit FNV-1a of a file's bytes, as feast records network digests.
    func digest(_ path: String) throws -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in try Data(contentsOf: URL(fileURLWithPath: path)) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return String(format: "%016llx", h)
    }

    /// Confusion counts (rows = label, columns = predicted) of classify's JSON predictions.
    func confusion(_ predictions: [[String: Any]], classes: Int) -> [[Int]] {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for p in predictions { counts[p["label"] as! Int][p["predicted"] as! Int] += 1 }
        return counts
    }

    /// fit + classify vs evaluate for one classifier on `data`'s test split;
    /// returns the accuracy both gave.
    @discardableResult
    func assertFitAndClassifyMatchEvaluate(data: String, network: String, classifier: String?, folder: String,
                                           file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        let name = classifier ?? "logistic"
        let evaluate = try json(try ok(["evaluate", "--train", data, "--network", network, "--stages", "d", "--classifier", name, "--json"],
                                       file: file, line: line), file: file, line: line)
        let saved = "\(folder)/\(name).h5"
        _ = try ok(["fit", "--network", network, "--train", data, "-o", saved] + (classifier.map { ["--classifier", $0] } ?? []),
                   file: file, line: line)
        let classify = try json(try ok(["classify", "--classifier", saved, "--network", network, data, "--split", "test", "--json"],
                                       file: file, line: line), file: file, line: line)
        let predictions = try XCTUnwrap(classify["predictions"] as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(predictions.count, evaluate["test_recordings"] as? Int, file: file, line: line)
        let accuracy = try XCTUnwrap(classify["accuracy"] as? Double, file: file, line: line)
        XCTAssertEqual(accuracy, try XCTUnwrap(evaluate["accuracy"] as? Double), "\(name): classify vs evaluate accuracy", file: file, line: line)
        let classes = try XCTUnwrap(evaluate["classes"] as? Int, file: file, line: line)
        XCTAssertEqual(confusion(predictions, classes: classes), evaluate["confusion"] as? [[Int]], "\(name): confusion counts",
                       file: file, line: line)
        return accuracy
    }

    func testFitThenClassifyOnTheTestRecordingsGiveEvaluatesPredictionsAndAccuracy() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        let centroid = try assertFitAndClassifyMatchEvaluate(data: data, network: network, classifier: "centroid", folder: folder)
        let logistic = try assertFitAndClassifyMatchEvaluate(data: data, network: network, classifier: nil, folder: folder)
        XCTAssertGreaterThan(centroid, 0.3, "better than chance (0.1)")
        XCTAssertGreaterThan(logistic, 0.3)

        // The CSV (here written with -o) holds the same predictions, in the same order.
        let csv = folder + "/predictions.csv"
        let quiet = try ok(["classify", "--classifier", folder + "/centroid.h5", "--network", network, data + "/Test", "-o", csv])
        XCTAssertTrue(quiet.stdout.isEmpty, "with -o nothing on stdout")
        XCTAssertTrue(quiet.stderr.contains("classify: accuracy \(String(format: "%.4f", centroid)) ("), quiet.stderr)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "file,predicted,label")
        XCTAssertEqual(lines.count, 21, "header + 20 test recordings")
        let viaJSON = try json(try ok(["classify", "--classifier", folder + "/centroid.h5", "--network", network, data, "--split", "test", "--json"]))
        let predicted = (viaJSON["predictions"] as! [[String: Any]]).map { "\($0["predicted"] as! Int),\($0["label"] as! Int)" }
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",").suffix(2).joined(separator: ",") }, predicted)
    }

    func testFitAndClassifyOnRealRecordingsGiveEvaluatesConfusionCounts() throws {
        let data = try CLI.nmnistSmall()
        let folder = try CLI.temporaryFolder(self)
        _ = try ok(["train", data, "-o", folder + "/net.h5", "--neurons", "8", "--radius", "3", "--seed", "1"])
        let accuracy = try assertFitAndClassifyMatchEvaluate(data: data, network: folder + "/net.h5", classifier: "centroid", folder: folder)
        XCTAssertGreaterThan(accuracy, 0.4, "real digits, 8 neurons, nearest centroid")
    }

    func testFitWritesTheClassifierStateFeatureSpecClassesAndNetworkDigest() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        let r = try ok(["fit", "--network", network, "--train", data, "-o", folder + "/c.h5", "--classifier", "knn:k=3", "--json"])
        let summary = try json(r)
        XCTAssertEqual(summary["train_recordings"] as? Int, 40)
        XCTAssertEqual(summary["feature_dimension"] as? Int, 256, "8 neurons × 2 polarities × 4×4 cells")
        let saved = try ClassifierFile.read(from: folder + "/c.h5")
        XCTAssertEqual(saved.state.name, "knn")
        XCTAssertEqual(saved.classifierSpec, "knn:k=3")
        XCTAssertEqual(saved.features, "hist:polarity,pool=4,norm=sqrt", "evaluate's stage d default for a shared population")
        XCTAssertEqual(saved.classes, 10)
        XCTAssertEqual(saved.featureDimension, 256)
        XCTAssertEqual(saved.trainRecordings, 40)
        XCTAssertEqual(saved.networkDigest, try digest(network))
        XCTAssertEqual(summary["network_digest"] as? String, saved.networkDigest)
        XCTAssertEqual(saved.state.shapes["training"], [40, 256])
        XCTAssertEqual(saved.state.shapes["standardizer.mean"], [256])
    }

    func testClassifyRefusesAnotherNetworkAndBrokenOrForeignClassifierFilesWritingNothing() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        let saved = folder + "/c.h5", out = folder + "/out.csv"
        _ = try ok(["fit", "--network", network, "--train", data, "-o", saved, "--classifier", "centroid"])
        _ = try ok(["train", data, "-o", folder + "/other.h5", "--neurons", "8", "--radius", "3", "--seed", "4"])
        writeText("file,predicted\n", to: folder + "/garbage.h5")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: saved))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: folder + "/truncated.h5"))

        func refused(_ classifier: String, network: String = network, _ expected: String, line: UInt = #line) throws {
            let r = try CLI.run(["classify", "--classifier", classifier, "--network", network, data + "/Test", "-o", out])
            XCTAssertNotEqual(r.status, 0, line: line)
            XCTAssertTrue(r.stderr.contains(expected), r.stderr, line: line)
            XCTAssertTrue(r.stdout.isEmpty, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written", line: line)
        }
        try refused(saved, network: folder + "/other.h5",
                    "\(saved): fitted on the features of another network than \(folder)/other.h5 (network digest \(try digest(network)), "
                    + "from \(network); \(folder)/other.h5 has \(try digest(folder + "/other.h5"))); expected the network file given to feast fit")
        try refused(folder + "/garbage.h5",
                    "\(folder)/garbage.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
        try refused(folder + "/truncated.h5", "\(folder)/truncated.h5: /: cannot open: unable to open file: truncated file: eof = ")
        try refused(network,
                    "\(network): / attribute 'kind': \"feast-network\" (expected \"feast-classifier\": a classifier file written by feast fit)")
        try refused(folder + "/missing.h5", "\(folder)/missing.h5: cannot open: No such file or directory")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") || $0.hasSuffix(".tmp") }, [],
                       "no temporary files left")
    }

    func testClassifyRefusesAClassifierWhoseFeatureDimensionDoesNotMatch() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        let saved = folder + "/c.h5", out = folder + "/out.csv"
        _ = try ok(["fit", "--network", network, "--train", data, "-o", saved, "--classifier", "centroid"])
        let good = try ClassifierFile.read(from: saved)

        // The spec now gives 16 features (8 neurons × 2 polarities), the classifier takes 256.
        var otherSpec = good
        otherSpec.features = "hist:polarity"
        try otherSpec.write(to: folder + "/spec.h5")
        let spec = try CLI.run(["classify", "--classifier", folder + "/spec.h5", "--network", network, data + "/Test", "-o", out])
        XCTAssertNotEqual(spec.status, 0)
        XCTAssertTrue(spec.stderr.contains("\(folder)/spec.h5: fitted on 256 features per recording (hist:polarity), but \(network) gives 16 "
                                           + "with that spec; expected the network and feature spec of feast fit"), spec.stderr)

        // The recorded dimension disagrees with the state's (256 columns).
        var otherDimension = good
        otherDimension.featureDimension = 16
        try otherDimension.write(to: folder + "/dim.h5")
        let dim = try CLI.run(["classify", "--classifier", folder + "/dim.h5", "--network", network, data + "/Test", "-o", out])
        XCTAssertNotEqual(dim.status, 0)
        XCTAssertTrue(dim.stderr.contains("\(folder)/dim.h5: /state: cannot restore a fitted 'centroid' classifier: "
                                          + "dimension mismatch: centroid: feature columns vs fitted model: expected 256, got 16"), dim.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
    }

    func testClassifyUnlabelledFilesPrintsPredictionsWithoutLabelsAndNullAccuracy() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        _ = try ok(["fit", "--network", network, "--train", data, "-o", folder + "/c.h5", "--classifier", "centroid"])
        let files = try FileManager.default.contentsOfDirectory(atPath: data + "/Test/3").sorted().map { "\(data)/Test/3/\($0)" }
        XCTAssertEqual(files.count, 2)
        let csv = try ok(["classify", "--classifier", folder + "/c.h5", "--network", network] + files)
        let lines = csv.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], "file,predicted")
        XCTAssertTrue(lines[1].hasPrefix(files[0] + ","), lines[1])
        XCTAssertTrue(csv.stderr.contains("classify: no labels, no accuracy"), csv.stderr)
        let object = try json(try ok(["classify", "--classifier", folder + "/c.h5", "--network", network, "--json"] + files))
        XCTAssertTrue(object["accuracy"] is NSNull, "accuracy null without labels")
        let predictions = try XCTUnwrap(object["predictions"] as? [[String: Any]])
        XCTAssertEqual(predictions.compactMap { $0["file"] as? String }, files)
        XCTAssertTrue(predictions.allSatisfy { $0["label"] is NSNull })
        XCTAssertEqual(predictions.map { "\($0["file"]!),\($0["predicted"]!)" }, Array(lines.dropFirst()))
    }

    func testFitOptionsAreValidated() throws {
        let folder = try CLI.temporaryFolder(self)
        let (data, network) = try synthetic(folder)
        let cases: [([String], String)] = [
            (["--classifier", "centroid,knn", "-o", folder + "/c.h5"],
             "--classifier centroid,knn: fit saves one classifier; expected one spec, e.g. logistic"),
            (["--classifier", "svm", "-o", folder + "/c.h5"], "unknown classifier 'svm'; known classifiers: centroid, ridge, logistic, elm, knn"),
            (["-o", folder + "/c.csv"], "-o \(folder)/c.csv: a classifier file is HDF5; expected a name ending in .h5 or .hdf5"),
            (["--features", "hist:pool=zero", "-o", folder + "/c.h5"], "feature spec 'hist:pool=zero': pool must be an integer >= 1, got 'zero'"),
        ]
        for (extra, expected) in cases {
            let r = try CLI.run(["fit", "--network", network, "--train", data] + extra)
            XCTAssertNotEqual(r.status, 0, extra.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(expected), r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["net.h5", "sim"], "nothing written")
    }

    func writeText(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}
