/// The processing stages `feast evaluate` compares (issue 6): what each
/// stage adds shows in the difference of accuracies.
public enum EvaluationStage: String, Sendable, Hashable, CaseIterable, Comparable {
    /// (a) Raw-event baseline: per-pixel event counts × polarity. No layer.
    case a
    /// (b) Untrained layer: random unit weights, same parameters, same
    /// features as (c) and (d). The control that shows what learning adds.
    case b
    /// (c) Trained FEAST, plain win counts per neuron.
    case c
    /// (d) Trained FEAST with polarity and spatial pooling.
    case d
    /// (e) A stacked network: each deeper layer (trained on the winners of
    /// the layers before it) with spatial pooling, one row per depth. Runs
    /// only for a network of two or more layers.
    case e

    /// One line for tables.
    public var title: String {
        switch self {
        case .a: "raw events"
        case .b: "untrained layer"
        case .c: "trained, win counts"
        case .d: "trained, pooled"
        case .e: "deeper layer, pooled"
        }
    }

    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// Parses `a,b,c,d` (any subset, any order; duplicates rejected) into
    /// sorted stages.
    public static func parseList(_ text: String) throws -> [EvaluationStage] {
        var out = Set<EvaluationStage>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let s = EvaluationStage(rawValue: part.lowercased()) else {
                throw EvaluationError.invalidStages(text: text, reason: "unknown stage '\(part)'; expected a comma-separated subset of a, b, c, d, e")
            }
            guard out.insert(s).inserted else { throw EvaluationError.invalidStages(text: text, reason: "stage \(s.rawValue) given twice") }
        }
        return out.sorted()
    }
}
