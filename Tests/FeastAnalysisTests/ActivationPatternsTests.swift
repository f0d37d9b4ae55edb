import XCTest
import FeastAnalysis

final class ActivationPatternsTests: XCTestCase {
    func testFeaturesThatEachFireForOneClassCarryAllTheClassInformation() {
        let p = ActivationPatterns(histograms: [[5, 0], [7, 0], [0, 3], [0, 9]], labels: [0, 0, 1, 1], classes: 2)
        XCTAssertEqual(p.normalisedMutualInformation, 1, accuracy: 1e-12)
        XCTAssertEqual(p.fisherRatio, .infinity) // no within-class scatter at all
    }

    func testIdenticalPatternsAcrossClassesCarryNoInformation() {
        let p = ActivationPatterns(histograms: [[2, 2], [4, 4], [1, 1], [3, 3]], labels: [0, 0, 1, 1], classes: 2)
        XCTAssertEqual(p.normalisedMutualInformation, 0, accuracy: 1e-12)
        XCTAssertEqual(p.fisherRatio, 0, accuracy: 1e-12)
    }

    func testHandComputedFisherRatio() {
        // normalised rows: [1,0], [0.5,0.5] (class 0); [0,1], [0,1] (class 1)
        // class means [0.75,0.25], [0,1]; overall [0.375,0.625]
        // between = 2*(0.375²+0.375²) + 2*(0.375²+0.375²) = 1.125
        // within  = 2*(0.25²+0.25²) + 0 = 0.25  → 4.5
        let p = ActivationPatterns(histograms: [[4, 0], [1, 1], [0, 2], [0, 5]], labels: [0, 0, 1, 1], classes: 2)
        XCTAssertEqual(p.fisherRatio, 4.5, accuracy: 1e-12)
    }

    func testEffectiveFeaturesCountsEquallyUsedFeatures() {
        let p = ActivationPatterns(histograms: [[1, 1, 1, 1, 0]], labels: [0], classes: 1)
        XCTAssertEqual(p.effectiveFeatures, 4, accuracy: 1e-9)
    }
}
