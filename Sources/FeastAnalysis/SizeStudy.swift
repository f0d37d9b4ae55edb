import FeastCore
import FeastEvents
import FeastLearning
import Foundation

/// One configuration of a network-size study.
public struct SizeConfiguration: Sendable, Hashable, Codable {
    public var neurons: Int
    /// Time constant in µs.
    public var tau: Double
    public var seed: UInt64

    public init(neurons: Int, tau: Double, seed: UInt64) {
        self.neurons = neurons
        self.tau = tau
        self.seed = seed
    }
}

/// What one trained configuration says, with and without a classifier.
public struct SizeRow: Sendable, Hashable, Codable {
    public var configuration: SizeConfiguration
    /// The accuracy predictor (``SizeStudy/predictor``), from training data only.
    public var predictor: Double
    /// The candidate statistics the predictor was chosen from.
    public var mutualInformation: Double
    public var fisherRatio: Double
    public var effectiveNeurons: Double
    /// Miss rate over the training recordings in frozen inference (0…1).
    public var inferenceMissRate: Double
    /// The noise-neuron heuristic.
    public var noise: NoiseNeuronReport
    /// Share of events (train split) that were isolated.
    public var isolatedEventShare: Double
    /// Accuracy of the classifier on win-count features (test split, or
    /// k-fold CV on the training split), or nil without a classifier.
    public var accuracy: Double?
}

/// Network-size heuristics over a sweep of configurations (issue 7).
///
/// For each configuration: train a float FEAST layer on the training
/// recordings (`epochs`, seeded shuffle), freeze it, run it over the training
/// recordings to get per-recording win histograms (neuron × polarity), and
///
/// - **noise heuristic**: find the neuron with the most centre-concentrated
///   weights and how many *isolated* events it wins over one further
///   learning epoch (an event is isolated when its context has ≥ 0.8 of its
///   norm on the centre pixel, see `CentreDominance`: the noise events);
/// - **accuracy predictor**: the normalised mutual information between the
///   winning neuron (× polarity) of an output event and the recording's
///   class, `I(F;C)/H(C)` (``ActivationPatterns``) — no classifier, training
///   labels only;
/// - optionally the **real accuracy**: a classifier fitted on the training
///   win histograms, scored on the test recordings.
public struct SizeStudy: Sendable {
    public var base: FeastParameters
    public var geometry: SensorGeometry
    public var epochs: Int
    public var classes: Int
    /// Classifier spec for the real accuracy (`nil`: no classifier).
    public var classifier: String?
    public var features: FeatureSpec
    /// When > 1: accuracy by stratified k-fold cross-validation on the
    /// training split (steadier than a small test split); else on the test split.
    public var crossValidationFolds: Int

    public init(base: FeastParameters, geometry: SensorGeometry = .nmnist, epochs: Int = 1, classes: Int,
                classifier: String? = "logistic", features: FeatureSpec = FeatureSpec(kind: .hist),
                crossValidationFolds: Int = 0) {
        self.crossValidationFolds = crossValidationFolds
        self.base = base
        self.geometry = geometry
        self.epochs = epochs
        self.classes = classes
        self.classifier = classifier
        self.features = features
    }

    /// Recordings decoded once and shared read-only by every configuration.
    public struct Split: Sendable {
        public var events: [ContiguousArray<Event>]
        public var labels: [Int]
        public init(events: [ContiguousArray<Event>], labels: [Int]) {
            precondition(events.count == labels.count)
            self.events = events
            self.labels = labels
        }
    }

    /// Runs every configuration, `parallelism` at a time; rows come back in
    /// the order of `configurations` whatever the parallelism. Workers claim
    /// the largest layers first (cost grows with N), so the last ones to
    /// finish are short and the cores stay busy; each row depends only on
    /// its configuration, so the order of work never changes a result.
    public func run(_ configurations: [SizeConfiguration], train: Split, test: Split?,
                    parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (@Sendable (Int) -> Void)? = nil) throws -> [SizeRow] {
        let results = ResultBox(count: configurations.count)
        let next = ResultBox(count: 0)
        let order = configurations.indices.sorted { configurations[$0].neurons != configurations[$1].neurons
            ? configurations[$0].neurons > configurations[$1].neurons : $0 < $1 }
        DispatchQueue.concurrentPerform(iterations: max(1, min(parallelism, configurations.count))) { _ in
            while let k = next.claim(below: configurations.count) {
                let i = order[k]
                results.set(i, Result { try self.row(configurations[i], train: train, test: test) })
                progress?(i)
            }
        }
        return try results.values.map { try $0!.get() }
    }

    /// One configuration.
    public func row(_ c: SizeConfiguration, train: Split, test: Split?) throws -> SizeRow {
        var p = base
        p.neurons = c.neurons
        p.tau = c.tau
        p.seed = c.seed
        let initial = try FeastLayer<FloatArithmetic>(parameters: p, geometry: geometry, arithmetic: .init())
        var trainer = Trainer(layer: initial, epochs: epochs)
        _ = try trainer.run(recordingCount: train.events.count,
                            open: { ArrayEventSource(train.events[$0], geometry: geometry) })
        var layer = trainer.layer
        let total = layer.neurons * layer.populations
        var isolation = CentreDominance(geometry: geometry, radius: p.radius, tau: p.tau)

        // Noise heuristic: one more epoch *while learning*, the regime in which
        // homeostasis holds (with frozen thresholds a neuron whose threshold
        // was last raised above its centre weight would win no isolated event
        // at all, whatever it learned).
        var isolatedWins = [Int](repeating: 0, count: total)
        var allWins = [Int](repeating: 0, count: total)
        var isolatedEvents = 0, observed = 0
        for events in train.events {
            layer.reset()
            isolation.reset()
            for e in events {
                let isolated = isolation.isolated(e)
                let w = layer.process(e, learn: true)
                if w == -2 { continue }
                observed += 1
                if isolated { isolatedEvents += 1 }
                guard w >= 0 else { continue }
                allWins[Int(w)] += 1
                if isolated { isolatedWins[Int(w)] += 1 }
            }
        }
        let noise = try noiseReport(layer, isolatedWins: isolatedWins, allWins: allWins)

        // Predictor and classifier features: frozen inference, as a back-end sees it.
        let extractor = try features.makeExtractor(neurons: total, geometry: geometry)
        var histograms: [[Double]] = []
        var trainFeatures: [[Double]] = []
        var processed = 0, misses = 0
        var output = ContiguousArray<OutputEvent>()
        for events in train.events {
            layer.reset()
            var histogram = [Double](repeating: 0, count: 2 * total)
            output.removeAll(keepingCapacity: true)
            for e in events {
                let w = layer.process(e, learn: false)
                if w == -2 { continue }
                processed += 1
                if w < 0 { misses += 1; continue }
                histogram[2 * Int(w) + Int(e.polarity)] += 1
                output.append(OutputEvent(event: e, neuron: w))
            }
            histograms.append(histogram)
            if classifier != nil { trainFeatures.append(try extractor.features(of: output)) }
        }
        let patterns = ActivationPatterns(histograms: histograms, labels: train.labels, classes: classes)
        var accuracy: Double? = nil
        if let spec = classifier, crossValidationFolds > 1 {
            let result = try CrossValidation.run(Matrix(trainFeatures, cols: extractor.dimension), labels: train.labels,
                                                 classes: classes, folds: crossValidationFolds, seed: c.seed) {
                try ClassifierRegistry.builtIn.make(spec, seed: c.seed)
            }
            accuracy = result.accuracy
        } else if let spec = classifier, let test {
            var model = try ClassifierRegistry.builtIn.make(spec, seed: c.seed)
            try model.fit(Matrix(trainFeatures, cols: extractor.dimension), labels: train.labels, classes: classes)
            var testFeatures: [[Double]] = []
            for events in test.events {
                layer.reset()
                output.removeAll(keepingCapacity: true)
                layer.process(events, learn: false, into: &output, emitMisses: false)
                testFeatures.append(try extractor.features(of: output))
            }
            let predicted = try model.predict(Matrix(testFeatures, cols: extractor.dimension))
            accuracy = try Metrics.accuracy(predicted: predicted, truth: test.labels)
        }
        let mi = patterns.normalisedMutualInformation
        return SizeRow(configuration: c, predictor: mi, mutualInformation: mi, fisherRatio: patterns.fisherRatio,
                       effectiveNeurons: patterns.effectiveFeatures / 2,
                       inferenceMissRate: processed > 0 ? Double(misses) / Double(processed) : 0,
                       noise: noise, isolatedEventShare: observed > 0 ? Double(isolatedEvents) / Double(observed) : 0,
                       accuracy: accuracy)
    }

    private func noiseReport<A>(_ layer: FeastLayer<A>, isolatedWins: [Int], allWins: [Int]) throws -> NoiseNeuronReport {
        var weights: [Float] = []
        for pop in 0..<layer.populations {
            for n in 0..<layer.neurons { weights += layer.weights(population: pop, neuron: n) }
        }
        let side = 2 * layer.parameters.radius + 1
        let centre = layer.parameters.radius * side + layer.parameters.radius
        let channels = layer.contextLength / (side * side)
        let centres = (0..<max(1, channels)).map { $0 * side * side + centre }
        return NoiseNeuronReport(weights: weights, kernel: layer.contextLength, centres: centres,
                                 isolatedWins: isolatedWins, allWins: allWins)
    }
}

/// Decides whether an event is *centre-dominated*: its context, as the
/// layer builds it (one time surface for both polarities), has at least
/// ``NoiseNeuronCriterion/minimumCentreWeight`` of its L2 norm on the centre
/// pixel. With the centre at 1 and neighbours at `exp(-Δt/τ)`, that is
/// `Σ exp(-2Δt/τ) ≤ 1/w² − 1` over the other pixels of the window: exactly
/// the events a noise neuron (centre weight ≥ w) scores best on.
struct CentreDominance {
    let geometry: SensorGeometry
    let radius: Int
    let tau: Double
    /// `1/w² − 1`.
    let budget: Double
    /// Ages beyond this contribute less than 1e-6 each: skipped.
    let horizon: Int64
    private var last: [Int64]

    init(geometry: SensorGeometry, radius: Int, tau: Double, minimumCentreWeight: Double = NoiseNeuronCriterion().minimumCentreWeight) {
        self.geometry = geometry
        self.radius = radius
        self.tau = tau
        budget = 1 / (minimumCentreWeight * minimumCentreWeight) - 1
        horizon = Int64((7 * tau).rounded(.up))  // exp(-14) ≈ 8e-7
        last = [Int64](repeating: .min, count: geometry.pixelCount)
    }

    mutating func reset() {
        for i in last.indices { last[i] = .min }
    }

    mutating func isolated(_ e: Event) -> Bool {
        let x = Int(e.x), y = Int(e.y)
        // Off the sensor: the layer skips such events, so they win nothing.
        guard geometry.contains(x: x, y: y) else { return false }
        var energy = 0.0
        for yy in max(0, y - radius)...min(geometry.height - 1, y + radius) {
            for xx in max(0, x - radius)...min(geometry.width - 1, x + radius) where xx != x || yy != y {
                let t = last[yy * geometry.width + xx]
                guard t != .min, e.t - t < horizon else { continue }
                energy += exp(-2 * Double(e.t - t) / tau)
            }
        }
        last[y * geometry.width + x] = e.t
        return energy <= budget
    }
}

/// Results written by parallel workers, one slot each.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<SizeRow, Error>?]
    private var counter = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<SizeRow, Error>) {
        lock.lock(); slots[i] = r; lock.unlock()
    }

    func claim(below n: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard counter < n else { return nil }
        counter += 1
        return counter - 1
    }

    var values: [Result<SizeRow, Error>?] {
        lock.lock(); defer { lock.unlock() }
        return slots
    }
}
