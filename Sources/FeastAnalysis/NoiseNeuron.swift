/// Finding the neuron that specialised in noise.
///
/// An isolated noise event (no neighbour fired recently) has a context that
/// is the centre pixel alone: `c = e_centre`. Its score at neuron `n` is
/// just `w_n[centre]`. Once a layer has more neurons than the distinct local
/// patterns in its input, homeostasis (every neuron must win about equally
/// often) pushes a spare neuron onto the most frequent remaining input, the
/// isolated event, and its weight concentrates on the centre.
///
/// A neuron is a *noise neuron* when both hold:
/// 1. **weights**: its centre weight is at least ``minimumCentreWeight``
///    (0.8 by default: with unit-norm weights, ≥ 64 % of the kernel's energy
///    in one of the `(2R+1)²` pixels; a pattern neuron spreads its energy
///    over the pattern, a random one has ≈ 1/√K on the centre);
/// 2. **events**: it wins at least ``minimumIsolatedShare`` (0.5) of the
///    isolated events that some neuron won in inference.
public struct NoiseNeuronCriterion: Sendable, Hashable, Codable {
    public var minimumCentreWeight: Double
    public var minimumIsolatedShare: Double

    public init(minimumCentreWeight: Double = 0.8, minimumIsolatedShare: Double = 0.5) {
        self.minimumCentreWeight = minimumCentreWeight
        self.minimumIsolatedShare = minimumIsolatedShare
    }
}

/// What a trained layer says about noise.
public struct NoiseNeuronReport: Sendable, Hashable, Codable {
    /// The neuron with the largest centre weight (global index).
    public var candidate: Int
    /// Its centre weight, in 0…1 for unit-norm weights.
    public var centreWeight: Double
    /// Share of the won isolated events that the candidate won (0…1; 0 when
    /// there were no isolated events).
    public var isolatedShare: Double
    /// Share of all won events that the candidate won (0…1).
    public var eventShare: Double
    /// Whether the candidate meets the criterion.
    public var isNoiseNeuron: Bool

    /// Builds the report from weights and inference win counts.
    ///
    /// - Parameters:
    ///   - weights: row-major `neurons × kernel` unit-norm weights.
    ///   - kernel: weights per neuron (`(2R+1)²`, or a multiple for
    ///     polarity channels: then `centres` lists every channel's centre).
    ///   - centres: indices within a kernel that are "the centre pixel".
    ///   - isolatedWins: per neuron, isolated events won in inference.
    ///   - allWins: per neuron, all events won in inference.
    public init(weights: [Float], kernel: Int, centres: [Int], isolatedWins: [Int], allWins: [Int],
                criterion: NoiseNeuronCriterion = NoiseNeuronCriterion()) {
        let neurons = weights.count / kernel
        precondition(neurons * kernel == weights.count && isolatedWins.count == neurons && allWins.count == neurons,
                     "weights, isolated wins and wins disagree on the neuron count")
        var best = 0
        var bestWeight = -Double.infinity
        for n in 0..<neurons {
            // The centre weight across channels: the norm of the centre entries.
            var s = 0.0
            for c in centres { let w = Double(weights[n * kernel + c]); s += w * w }
            let w = s.squareRoot()
            if w > bestWeight { bestWeight = w; best = n }
        }
        let isolatedTotal = isolatedWins.reduce(0, +)
        let total = allWins.reduce(0, +)
        candidate = best
        centreWeight = bestWeight
        isolatedShare = isolatedTotal > 0 ? Double(isolatedWins[best]) / Double(isolatedTotal) : 0
        eventShare = total > 0 ? Double(allWins[best]) / Double(total) : 0
        isNoiseNeuron = centreWeight >= criterion.minimumCentreWeight && isolatedShare >= criterion.minimumIsolatedShare
    }
}

/// The network-size recommendation from the noise heuristic.
///
/// Rule: over a sweep of neuron counts (sorted ascending), recommend the
/// smallest N that has a noise neuron **and** after which every larger N in
/// the sweep has one too. Why: the first N with a spare neuron for noise is
/// the first N that covers every recurring local pattern; requiring it to
/// persist guards against a single lucky run. When no N has one, recommend
/// the largest N tried and say the sweep should go higher.
public struct SizeRecommendation: Sendable, Hashable, Codable {
    public var neurons: Int
    public var reason: String

    public init(sweep: [(neurons: Int, hasNoiseNeuron: Bool)]) {
        let sorted = sweep.sorted { $0.neurons < $1.neurons }
        precondition(!sorted.isEmpty, "empty sweep")
        var pick: Int? = nil
        for i in sorted.indices.reversed() {
            if sorted[i].hasNoiseNeuron { pick = sorted[i].neurons } else { break }
        }
        if let pick {
            neurons = pick
            reason = "smallest N from which on every trained layer has a noise neuron (centre-concentrated weights winning most isolated events): N = \(pick) covers the recurring local patterns and spares one neuron for noise"
        } else {
            neurons = sorted.last!.neurons
            reason = "no N up to \(sorted.last!.neurons) (or not the largest) developed a persistent noise neuron: the patterns need more neurons than tried; extend the sweep"
        }
    }
}
