import ArgumentParser
import FeastCore

/// Messages about fixed-point words in the spelling of the flags that set
/// them: `FixedPointConfiguration.validate()` names its fields ("weight
/// bits"), which a user of the CLI types as `--weight-bits`.
enum FixedPointFlags {
    static let flags: [String: String] = [
        "weight bits": "--weight-bits", "weight fractional bits": "--weight-fraction-bits",
        "context bits": "--context-bits", "context fractional bits": "--context-fraction-bits",
        "threshold bits": "--threshold-bits", "threshold fractional bits": "--threshold-fraction-bits",
        "accumulator bits": "--accumulator-bits", "timestamp bits": "--timestamp-bits",
        "decay step shift": "--decay-step-shift", "eta shift": "--eta-shift", "context rounding": "--context-rounding",
    ]

    /// `error` as a ValidationError naming the flag (other errors unchanged).
    static func validationError(_ error: FeastCoreError) -> ValidationError {
        if case let .invalidFixedPoint(field, value, expected) = error, let flag = flags[field] {
            return ValidationError("invalid \(flag) \(value): expected \(expected) (fixed-point \(field))")
        }
        return ValidationError("\(error)")
    }
}
