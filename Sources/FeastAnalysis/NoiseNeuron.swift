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
/// 2. **events**: at least ``minimumPurity`` (0.5) of the events it wins
///    are isolated ones: it lives on noise. (Not "it wins most isolated
///    events": with N well above the need, homeostasis splits the noise
///    between two or more such neurons.)
public struct NoiseNeuronCriterion: Sendable, Hashable, Codable {
    public var minimumCentreWeight: Double
    public var minimumPurity: Double

    public init(minimumCentreWeight: Double = 0.8, minimumPurity: Double = 0.5) {
        self.minimumCentreWeight = minimumCentreWeight
        self.minimumPurity = minimumPurity
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
    /// Share of the candidate's own wins that were isolated events (0…1).
    public var purity: Double
    /// Whether the candidate meets the criterion.
    public var isNoiseNeuron: Bool

    /// Builds the report from weights and inference win counts.
    ///
    /// - Parameters:
    ///   - weights: row-major `neurons × kernel` unit-norm weights.
    ///   - kernel: weights per neuron (`(2R+1)²`, or a multiple for
    ///     polarity channels: then `centres` lists every channel's centre).
    ///   - centres: indices within a kernel that are "the centre pixel".
    ///   - isolatedWins: per neuron, isolated events won.
    ///   - allWins: per neuron, all events won.
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
        purity = allWins[best] > 0 ? Double(isolatedWins[best]) / Double(allWins[best]) : 0
        isNoiseNeuron = centreWeight >= criterion.minimumCentreWeight && purity >= criterion.minimumPurity
    }
}

/// The network-size recommendation from the noise heuristic.
///
/// Homeostasis makes every neuron win about the same share, `1/N`, of the
/// events that are not missed. A neuron can specialise in isolated noise
/// events only once its share fits inside theirs: `1/N ≤ f`, where `f` is
/// the share of isolated events (measured with the layer's own R and τ).
/// Below that N every neuron must also take pattern events and none stays
/// on the centre pixel; from there on one does. So:
///
/// - **estimate** `N̂ = ⌈1/f⌉` (with `f` averaged over the sweep: it depends
///   on the data, R and τ, not on N);
/// - **observation**: the smallest N in the sweep from which on every
///   larger N has a noise neuron (``NoiseNeuronReport``), the network's own
///   confirmation;
/// - **recommendation**: the smallest N in the sweep that is ≥ N̂ (the
///   largest N tried when none is). In the validation with K known patterns
///   as frequent as noise (f ≈ 1/(K+1)) N̂ lands within ±25 % of K + 1
///   (measured N̂ = 5, 8, 13 for K = 4, 8, 16) and the observed noise neuron
///   appears 1–2 neurons after N̂ (7, 10, 14): the network needs a little
///   slack beyond the bare homeostatic minimum.
public struct SizeRecommendation: Sendable, Hashable, Codable {
    /// Recommended number of neurons (one of the sweep's values).
    public var neurons: Int
    /// `⌈1/f⌉`.
    public var estimate: Int
    /// Smallest N from which on the sweep shows a noise neuron, if any.
    public var observedNoiseNeuronFrom: Int?
    /// The share of isolated events `f` (0…1).
    public var isolatedShare: Double
    public var reason: String

    public init(sweep: [(neurons: Int, hasNoiseNeuron: Bool, isolatedShare: Double)]) {
        let sorted = sweep.sorted { $0.neurons < $1.neurons }
        precondition(!sorted.isEmpty, "empty sweep")
        var observed: Int? = nil
        for row in sorted.reversed() {
            if row.hasNoiseNeuron { observed = row.neurons } else { break }
        }
        observedNoiseNeuronFrom = observed
        let f = sorted.map(\.isolatedShare).reduce(0, +) / Double(sorted.count)
        isolatedShare = f
        let estimate = f > 0 ? Int((1 / f).rounded(.up)) : Int.max
        self.estimate = estimate
        let observedText = observed.map { "a noise neuron is present from N = \($0) on" } ?? "no persistent noise neuron in the sweep"
        if let pick = sorted.first(where: { $0.neurons >= estimate }) {
            neurons = pick.neurons
            reason = String(format: "isolated events are %.1f %% of the input, so homeostasis (1/N of the wins per neuron) leaves one neuron for noise from N̂ = ⌈1/f⌉ = %d; ", 100 * f, estimate)
                + "\(observedText); smallest N tried ≥ N̂: \(pick.neurons)"
        } else {
            neurons = sorted.last!.neurons
            reason = (f > 0 ? "N̂ = ⌈1/f⌉ = \(estimate) is beyond the sweep" : "no isolated events at all")
                + "; \(observedText); extend the sweep"
        }
    }
}
