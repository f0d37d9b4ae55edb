import Foundation
import XCTest

/// `--layers` / comma lists through train, extract, stream, fit, classify
/// and evaluate: a stacked network works wherever a layer does.
final class StackedLayerCommandsTests: XCTestCase {
    func json(_ result: CLI.Result) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.text)
    }

    func testStackedNetworkTrainsLayerByLayerAndRunsThroughEveryCommand() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = folder + "/d"
        XCTAssertEqual(try CLI.run(["simulate", "--out", data, "--train-per-class", "3", "--test-per-class", "1", "--seed", "5"]).status, 0)
        let net = folder + "/stack.h5"
        let train = try json(CLI.run(["train", data, "-o", net, "--neurons", "12,8", "--radius", "3,2", "--seed", "2", "--json"]))
        XCTAssertEqual(train["neurons"] as? Int, 12)
        let deeper = try XCTUnwrap(train["deeper_layers"] as? [[String: Any]], "\(train)")
        XCTAssertEqual(deeper.count, 1)
        XCTAssertEqual(deeper[0]["neurons"] as? Int, 8)
        // Layer 1 learns from layer 0's winners only: fewer events, never more.
        XCTAssertLessThan(try XCTUnwrap(deeper[0]["events"] as? Int), try XCTUnwrap(train["events"] as? Int))
        XCTAssertGreaterThan(try XCTUnwrap(deeper[0]["events"] as? Int), 0)
        XCTAssertEqual(try XCTUnwrap(deeper[0]["predicted_miss_rate"] as? Double), 0.001 / (0.001 + 8 * 0.003), accuracy: 1e-6)

        // The same command twice: the same bytes.
        XCTAssertEqual(try CLI.run(["train", data, "-o", folder + "/again.h5", "--neurons", "12,8", "--radius", "3,2", "--seed", "2"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: net)), try Data(contentsOf: URL(fileURLWithPath: folder + "/again.h5")))

        // extract: the last layer's neurons.
        let features = folder + "/f.h5"
        let extract = try CLI.run(["extract", "--network", net, data + "/Test", "-o", features, "--features", "hist"])
        XCTAssertEqual(extract.status, 0, extract.stderr)
        XCTAssertTrue(extract.stderr.contains("× 8 features (hist)"), extract.stderr)

        // stream: CSV of the last layer, neurons 0…7, channels (p) 0…11.
        let recording = try XCTUnwrap(FileManager.default.enumerator(atPath: data + "/Test")?.compactMap { $0 as? String }
            .first { $0.hasSuffix(".bin") })
        let stream = try CLI.run(["stream", "--network", net, "--format", "bin"],
                                 stdin: try Data(contentsOf: URL(fileURLWithPath: data + "/Test/" + recording)))
        XCTAssertEqual(stream.status, 0, stream.stderr)
        let rows = stream.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Int($0) } }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.count == 5 && (0..<8).contains($0[4]) && (0..<12).contains($0[3]) }, stream.text)

        // fit and classify through the stack.
        let model = folder + "/model.h5"
        let fit = try CLI.run(["fit", "--network", net, "--train", data + "/Train", "-o", model, "--features", "hist"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let classify = try CLI.run(["classify", "--classifier", model, "--network", net, data + "/Test"])
        XCTAssertEqual(classify.status, 0, classify.stderr)

        // evaluate: stage e for the given stack, one row per deeper layer.
        let given = try json(CLI.run(["evaluate", "--train", data + "/Train", "--test", data + "/Test", "--network", net,
                                      "--stages", "d,e", "--classifier", "centroid", "--json"]))
        let results = try XCTUnwrap(given["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["stage"] as? String }, ["d", "e"])
        XCTAssertEqual(results.last?["features"] as? String, "layer 1 hist:pool=4,norm=sqrt")

        // hw-report works on one layer and says so.
        let hw = try CLI.run(["hw-report", "--network", net])
        XCTAssertEqual(hw.status, 1)
        XCTAssertTrue(hw.stderr.contains("a stacked network of 2 layers; hw-report works on a single layer"), hw.stderr)
    }

    func testEvaluateTrainsAThreeLayerStackAndReportsEachDepth() throws {
        let folder = try CLI.temporaryFolder(self)
        let data = folder + "/d"
        XCTAssertEqual(try CLI.run(["simulate", "--out", data, "--train-per-class", "3", "--test-per-class", "1", "--seed", "6"]).status, 0)
        let report = try json(CLI.run(["evaluate", "--train", data + "/Train", "--test", data + "/Test", "--layers", "3",
                                       "--neurons", "8", "--radius", "3,2,2", "--polarity-mode", "shared", "--stages", "c,e",
                                       "--classifier", "centroid", "--json"]))
        let results = try XCTUnwrap(report["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["stage"] as? String }, ["c", "e", "e"])
        XCTAssertEqual(results.dropFirst().map { $0["features"] as? String }, ["layer 1 hist:pool=4,norm=sqrt", "layer 2 hist:pool=4,norm=sqrt"])
        for r in results { XCTAssertGreaterThan(try XCTUnwrap(r["accuracy"] as? Double), 0.1, "\(r)") }
    }
}
