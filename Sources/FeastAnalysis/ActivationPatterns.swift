/// Classifier-free statistics of the layer's output on labelled recordings,
/// used to predict the accuracy a back-end classifier will reach.
///
/// Input: one histogram per recording (counts of output events per feature,
/// e.g. per winning neuron, or neuron × polarity × pooling cell) and its
/// label. Nothing here fits a model: every figure is a closed-form
/// statistic of the counts.
public struct ActivationPatterns: Sendable {
    /// Number of features per histogram.
    public let features: Int
    /// Number of classes (labels are `0..<classes`).
    public let classes: Int
    /// Recording histograms, row-major `recordings × features`.
    public let counts: [Double]
    public let labels: [Int]

    public init(histograms: [[Double]], labels: [Int], classes: Int) {
        precondition(histograms.count == labels.count, "one label per histogram")
        precondition(!histograms.isEmpty, "no recordings")
        features = histograms[0].count
        self.classes = classes
        self.labels = labels
        counts = histograms.flatMap { h in
            precondition(h.count == histograms[0].count, "histograms of unequal length")
            return h
        }
    }

    /// Mutual information between the winning feature of one output event and
    /// the recording's class, in bits, normalised by the class entropy:
    /// `I(F;C) / H(C)` in 0…1. 0 when the activation pattern says nothing
    /// about the class, 1 when each feature fires for one class only.
    public var normalisedMutualInformation: Double {
        var joint = [Double](repeating: 0, count: features * classes)
        var total = 0.0
        for r in labels.indices {
            for f in 0..<features {
                let c = counts[r * features + f]
                joint[f * classes + labels[r]] += c
                total += c
            }
        }
        guard total > 0 else { return 0 }
        var pf = [Double](repeating: 0, count: features)
        var pc = [Double](repeating: 0, count: classes)
        for f in 0..<features {
            for c in 0..<classes {
                let p = joint[f * classes + c] / total
                pf[f] += p
                pc[c] += p
            }
        }
        var mi = 0.0
        for f in 0..<features {
            for c in 0..<classes {
                let p = joint[f * classes + c] / total
                if p > 0 { mi += p * log2(p / (pf[f] * pc[c])) }
            }
        }
        let hc = -pc.reduce(0) { $1 > 0 ? $0 + $1 * log2($1) : $0 }
        return hc > 0 ? mi / hc : 0
    }

    /// Fisher separability of the L1-normalised histograms: the trace of the
    /// between-class scatter over the trace of the within-class scatter.
    /// Larger means class means stand further apart relative to the spread
    /// of recordings within a class.
    public var fisherRatio: Double {
        let rows = labels.count
        var normalised = counts
        for r in 0..<rows {
            var s = 0.0
            for f in 0..<features { s += normalised[r * features + f] }
            if s > 0 { for f in 0..<features { normalised[r * features + f] /= s } }
        }
        var mean = [Double](repeating: 0, count: features)
        var classMean = [Double](repeating: 0, count: features * classes)
        var classCount = [Double](repeating: 0, count: classes)
        for r in 0..<rows {
            classCount[labels[r]] += 1
            for f in 0..<features {
                let v = normalised[r * features + f]
                mean[f] += v
                classMean[labels[r] * features + f] += v
            }
        }
        for f in 0..<features { mean[f] /= Double(rows) }
        for c in 0..<classes where classCount[c] > 0 {
            for f in 0..<features { classMean[c * features + f] /= classCount[c] }
        }
        var between = 0.0, within = 0.0
        for c in 0..<classes where classCount[c] > 0 {
            for f in 0..<features {
                let d = classMean[c * features + f] - mean[f]
                between += classCount[c] * d * d
            }
        }
        for r in 0..<rows {
            for f in 0..<features {
                let d = normalised[r * features + f] - classMean[labels[r] * features + f]
                within += d * d
            }
        }
        if within > 0 { return between / within }
        return between > 0 ? .infinity : 0  // perfectly separated classes
    }

    /// Effective number of active features: `exp` of the entropy of the
    /// pooled feature distribution (equals the feature count when all fire
    /// equally often, 1 when one feature takes everything).
    public var effectiveFeatures: Double {
        var pooled = [Double](repeating: 0, count: features)
        for r in labels.indices { for f in 0..<features { pooled[f] += counts[r * features + f] } }
        let total = pooled.reduce(0, +)
        guard total > 0 else { return 0 }
        var h = 0.0
        for v in pooled where v > 0 { let p = v / total; h -= p * log(p) }
        return exp(h)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
