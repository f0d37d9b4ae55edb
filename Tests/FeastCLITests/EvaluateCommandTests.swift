import Foundation
import XCTest

final class EvaluateCommandTests: XCTestCase {
    /// `feast evaluate` end to end on the real subset with the default
    /// layer and classifier, one seed: the JSON contract and the goal
    /// accuracy (≥ 0.95 on the test split), plus confusion.png.
    func testEvaluateOnRealRecordingsReachesTheGoalAccuracy() throws {
        let data = try CLI.nmnistSmall()
        let plots = try CLI.temporaryFolder(self) + "/plots"
        let r = try CLI.run(["evaluate", "--train", data, "--stages", "a,d", "--json", "--plots", plots])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.text)
        let accuracy = try XCTUnwrap(object["accuracy"] as? Double)
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, r.text)
        let results = try XCTUnwrap(object["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["stage"] as? String }, ["a", "d"])
        XCTAssertEqual(results.map { $0["features"] as? String }, ["pixels", "hist:pool=4,norm=sqrt"])
        XCTAssertEqual(results.map { $0["classifier"] as? String }, ["logistic", "logistic"])
        XCTAssertNil(results[0]["cv_mean"], "no CV asked for")
        let confusion = try XCTUnwrap(object["confusion"] as? [[Int]])
        XCTAssertEqual(confusion.count, 10)
        XCTAssertEqual(confusion.joined().reduce(0, +), 100, "every test recording once")
        XCTAssertEqual((object["per_class"] as? [Any])?.count, 10)
        XCTAssertEqual(object["test_recordings"] as? Int, 100)
        XCTAssertEqual(object["train_recordings"] as? Int, 801)
        let png = try Data(contentsOf: URL(fileURLWithPath: plots + "/confusion.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testTextOutputHasTheStageTableAndConfusionMatrix() throws {
        let data = try CLI.nmnistSmall()
        let r = try CLI.run(["evaluate", "--train", data, "--stages", "a", "--classifier", "centroid", "--shard", "0/4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.text.contains("801 training, 25 test recordings"), r.text)
        XCTAssertTrue(r.text.contains("a raw events"), r.text)
        XCTAssertTrue(r.text.contains("true\\pred"), r.text)
        XCTAssertTrue(r.text.contains("best: stage a (raw events), features pixels, classifier centroid"), r.text)
    }

    func testUnknownClassifierAndMalformedFeaturesFailClearly() throws {
        let data = try CLI.nmnistSmall()
        let unknown = try CLI.run(["evaluate", "--train", data, "--classifier", "logistic,svm"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown classifier 'svm'; known classifiers: centroid, ridge, logistic, elm, knn"), unknown.stderr)
        XCTAssertTrue(unknown.stdout.isEmpty)
        let features = try CLI.run(["evaluate", "--train", data, "--features", "hist:pool=zero"])
        XCTAssertNotEqual(features.status, 0)
        XCTAssertTrue(features.stderr.contains("feature spec 'hist:pool=zero': pool must be an integer >= 1, got 'zero'"), features.stderr)
        let stages = try CLI.run(["evaluate", "--train", data, "--stages", "a,x"])
        XCTAssertNotEqual(stages.status, 0)
        XCTAssertTrue(stages.stderr.contains("unknown stage 'x'"), stages.stderr)
    }
}
