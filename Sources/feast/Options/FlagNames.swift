import ArgumentParser
import FeastCore
import FeastEvents
import FeastIO
import FeastLearning

/// The one map from the libraries' typed fields to the command line's
/// flags: library errors name fields (`threshold rise`, `weight bits`),
/// which a user of the CLI types as `--threshold-rise`, `--weight-bits`.
enum FlagNames {
    static let parameters: [FeastParameters.Field: String] = [
        .neurons: "--neurons", .radius: "--radius", .tau: "--tau", .eta: "--eta",
        .thresholdRise: "--threshold-rise", .thresholdFall: "--threshold-fall", .initialThreshold: "--initial-threshold",
        .inputChannels: "--neurons (of the layer before)",
    ]

    /// ``FixedPointConfiguration/validate()``'s field names.
    static let fixedPoint: [String: String] = [
        "weight bits": "--weight-bits", "weight fractional bits": "--weight-fraction-bits",
        "context bits": "--context-bits", "context fractional bits": "--context-fraction-bits",
        "threshold bits": "--threshold-bits", "threshold fractional bits": "--threshold-fraction-bits",
        "accumulator bits": "--accumulator-bits", "timestamp bits": "--timestamp-bits",
        "decay step shift": "--decay-step-shift", "eta shift": "--eta-shift", "context rounding": "--context-rounding",
    ]

    static let evaluation: [StageEvaluation.Field: String] = [
        .classifiers: "--classifier", .seeds: "--seeds", .epochs: "--epochs", .folds: "--cv", .holdOut: "--hold-out",
    ]

    /// The reading options event errors suggest (``FeastEventsError/ReadOption``).
    static let readOptions: [FeastEventsError.ReadOption: String] = [
        .lenient: "--lenient", .strict: "--strict", .format: "--format", .anyFormat: "--format/--from/--to",
        .columns: "--columns", .geometry: "--geometry WxH",
    ]

    /// `error`'s message with flags for fields, also inside a failed
    /// recording; nil for an error without fields.
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as FeastEventsError:
            return error.message(naming: { readOptions[$0]! })
        case let FeastCoreError.recordingFailed(index, name, underlying):
            return message(for: underlying.error).map { "recording \(index) (\(name)): \($0)" }
        case let EvaluationError.recordingFailed(name, underlying):
            return message(for: underlying.error).map { "recording \(name): \($0)" }
        case EvaluationError.emptyShard:
            return "--\(error)"  // "shard i/n: …" as the flag "--shard i/n: …"
        case let MergeError.notAShard(file):
            return "\(file): not a shard (no shard_index attribute); write shards with feast extract --shard i/n -o PART.h5, feast size or feast evaluate --shard i/n -o PART.json"
        case let FeastCoreError.invalidParameter(field, value, expected):
            return "invalid \(parameters[field]!) \(value): expected \(expected)"
        case let FeastCoreError.invalidFixedPoint(field, value, expected):
            return fixedPoint[field].map { "invalid \($0) \(value): expected \(expected) (fixed-point \(field))" }
        case let EvaluationError.invalidOption(field, value, expected):
            return "\(evaluation[field]!) \(value): expected \(expected)"
        default:
            return nil
        }
    }

    /// Runs a parse-time check; a library error from it becomes a usage error.
    static func usage<T>(_ check: () throws -> T) throws -> T {
        do {
            return try check()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw validationError(error)
        }
    }

    /// `error` as a usage error (exit status 64) naming the flag.
    static func validationError(_ error: any Error) -> ValidationError {
        ValidationError(message(for: error) ?? "\(error)")
    }
}

/// A library error after a run started, in the flags' spelling (exit status 1, as the error itself).
struct FlagError: Error, CustomStringConvertible {
    let description: String
}
