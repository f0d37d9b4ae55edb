import FeastCore
import FeastEvents
import Foundation
import XCTest

final class ParametersTests: XCTestCase {
    func testDefaultsAreThePapersAndValid() throws {
        let p = FeastParameters()
        XCTAssertEqual(p.neurons, 16)
        XCTAssertEqual(p.radius, 5)
        XCTAssertEqual(p.tau, 20_000)
        XCTAssertEqual(p.contextLength, 121)
        XCTAssertEqual(p.predictedMissRate, 0.001 / (0.001 + 16 * 0.003), accuracy: 1e-12)
        XCTAssertNoThrow(try p.validate(geometry: .nmnist))
    }

    func testValidationNamesTheFieldAndTheAcceptedRange() {
        func message(_ p: FeastParameters, _ g: SensorGeometry = .nmnist) -> String {
            do { try p.validate(geometry: g); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message(FeastParameters(neurons: 0)), "invalid neurons 0: expected 1…65536")
        XCTAssertEqual(message(FeastParameters(radius: 17)),
                       "invalid radius 17: expected 0…16 (the (2R+1)² window must fit the 34×34 sensor)")
        XCTAssertEqual(message(FeastParameters(tau: 0)), "invalid tau 0.0: expected a positive number of microseconds")
        XCTAssertEqual(message(FeastParameters(eta: 1.5)), "invalid eta 1.5: expected a learning rate in (0, 1]")
        XCTAssertEqual(message(FeastParameters(thresholdFall: -1)), "invalid threshold fall -1.0: expected a finite value ≥ 0")
        XCTAssertEqual(message(FeastParameters(radius: 3), SensorGeometry(width: 6, height: 40)),
                       "invalid radius 3: expected 0…2 (the (2R+1)² window must fit the 6×40 sensor)")
    }

    func testFixedPointValidationExplainsTheLimit() {
        var c = FixedPointConfiguration()
        c.weightFractionalBits = 8
        XCTAssertThrowsError(try c.validate()) {
            XCTAssertEqual("\($0)", "invalid fixed-point weight fractional bits 8: expected 0…7 (1.0 must fit the unsigned weight word)")
        }
        var t = FixedPointConfiguration()
        t.timestampBits = 16
        XCTAssertThrowsError(try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(), arithmetic: t)) {
            XCTAssertTrue("\($0)".hasPrefix("invalid fixed-point timestamp bits 16: expected enough for the decay horizon"), "\($0)")
        }
    }

    func testParametersAndConfigurationRoundTripThroughJSON() throws {
        let p = FeastParameters(neurons: 64, radius: 3, tau: 12_345, seed: 99, borderPolicy: .skip, polarityMode: .polarityChannel)
        XCTAssertEqual(try JSONDecoder().decode(FeastParameters.self, from: JSONEncoder().encode(p)), p)
        let c = FixedPointConfiguration().resolved(for: p)
        XCTAssertEqual(try JSONDecoder().decode(FixedPointConfiguration.self, from: JSONEncoder().encode(c)), c)
        XCTAssertNotNil(c.etaShift)
        XCTAssertEqual(c.etaShift, 10, "η = 0.001 ≈ 2^-10")
    }
}
