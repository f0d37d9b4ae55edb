import XCTest
import FeastEvents
@testable import FeastLearning

final class FeatureSpecTests: XCTestCase {
    func testExamplesParseToTheDocumentedSettings() throws {
        let hist = try FeatureSpec(parsing: "hist")
        XCTAssertEqual(hist, FeatureSpec(kind: .hist, splitPolarity: false))
        XCTAssertEqual(try FeatureSpec(parsing: "hist:polarity"), FeatureSpec(kind: .hist, splitPolarity: true))
        XCTAssertEqual(try FeatureSpec(parsing: "hist:polarity,pool=3"), FeatureSpec(kind: .hist, splitPolarity: true, pool: 3))
        XCTAssertEqual(try FeatureSpec(parsing: "hist:pool=3:polarity"), FeatureSpec(kind: .hist, splitPolarity: true, pool: 3))
        XCTAssertEqual(try FeatureSpec(parsing: "pixels"), FeatureSpec(kind: .pixels, splitPolarity: true))
        XCTAssertEqual(try FeatureSpec(parsing: "pixels:block=2,polarity=off"), FeatureSpec(kind: .pixels, splitPolarity: false, block: 2))
        XCTAssertEqual(try FeatureSpec(parsing: "norm=l1"), FeatureSpec(kind: .hist, normalisation: .l1))
        XCTAssertEqual(try FeatureSpec(parsing: "hist:bins=3,bin=50000,norm=l2"),
                       FeatureSpec(kind: .hist, timeBins: 3, binWidth: 50_000, normalisation: .l2))
        let pyramid = try FeatureSpec(parsing: "hist:pool=1+2+4,norm=sqrt")
        XCTAssertEqual(pyramid, FeatureSpec(kind: .hist, pools: [1, 2, 4], normalisation: .sqrt))
        XCTAssertEqual(pyramid.pool, 4)
    }

    func testCanonicalTextRoundTrips() throws {
        for text in ["hist", "hist:polarity,pool=3", "pixels", "pixels:polarity=off,block=2", "hist:bins=3,norm=l1", "hist:bin=1000",
                     "hist:pool=1+2+4,norm=sqrt", "hist:polarity,pool=4+2"] {
            let spec = try FeatureSpec(parsing: text)
            XCTAssertEqual(spec.description, text)
            XCTAssertEqual(try FeatureSpec(parsing: spec.description), spec)
        }
    }

    func testExtractorDimensionsFollowTheSpec() throws {
        XCTAssertEqual(try FeatureSpec(parsing: "hist:polarity,pool=3").makeExtractor(neurons: 64).dimension, 2 * 64 * 9)
        XCTAssertEqual(try FeatureSpec(parsing: "hist").makeExtractor(neurons: 64).dimension, 64)
        XCTAssertEqual(try FeatureSpec(parsing: "pixels").makeExtractor(neurons: 0).dimension, 2312)
        XCTAssertEqual(try FeatureSpec(parsing: "pixels:block=2").makeExtractor(neurons: 0).dimension, 2 * 17 * 17)
        XCTAssertEqual(try FeatureSpec(parsing: "hist:pool=1+2+4").makeExtractor(neurons: 64).dimension, (1 + 4 + 16) * 64)
    }

    func testMalformedSpecsGiveClearErrors() {
        let cases: [(String, String)] = [
            ("", "feature spec '': empty; expected hist or pixels, optionally followed by :options"),
            ("histo", "feature spec 'histo': unknown kind 'histo'; expected hist or pixels"),
            ("hist:", "feature spec 'hist:': nothing after ':'; expected options"),
            ("hist:pool=0", "feature spec 'hist:pool=0': pool must be an integer >= 1, got '0'"),
            ("hist:pool=x", "feature spec 'hist:pool=x': pool must be an integer >= 1, got 'x'"),
            ("hist:colour", "feature spec 'hist:colour': unknown option 'colour'; expected polarity, pool=K[+K...], block=B, bins=T, bin=MICROSECONDS, norm=none|l1|l2|sqrt"),
            ("hist:norm=l3", "feature spec 'hist:norm=l3': norm must be none, l1, l2 or sqrt, got 'l3'"),
            ("hist:pool=1+", "feature spec 'hist:pool=1+': pool must be an integer >= 1, got ''"),
            ("hist:pool=2+0", "feature spec 'hist:pool=2+0': pool must be an integer >= 1, got '0'"),
            ("hist:pool=2+2", "feature spec 'hist:pool=2+2': pool= lists a grid twice, got '2+2'"),
            ("pixels:pool=2", "feature spec 'pixels:pool=2': pool= applies to hist; use block= for pixels"),
            ("hist:block=2", "feature spec 'hist:block=2': block= applies to pixels; use pool= for hist"),
            ("hist:pool=2,pool=3", "feature spec 'hist:pool=2,pool=3': option 'pool' given twice"),
            ("hist:polarity,,pool=2", "feature spec 'hist:polarity,,pool=2': empty option (two separators in a row or a trailing separator)"),
            ("hist:polarity=maybe", "feature spec 'hist:polarity=maybe': polarity must be on or off, got 'maybe'"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try FeatureSpec(parsing: text), text) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertThrowsError(try FeatureSpec(parsing: "hist:pool=40").makeExtractor(neurons: 8)) {
            XCTAssertEqual("\($0)", "feature spec 'hist:pool=40': pool=40 is finer than the 34×34 sensor")
        }
        XCTAssertThrowsError(try FeatureSpec(parsing: "hist:pool=1+40").makeExtractor(neurons: 8)) {
            XCTAssertEqual("\($0)", "feature spec 'hist:pool=1+40': pool=40 is finer than the 34×34 sensor")
        }
    }
}
