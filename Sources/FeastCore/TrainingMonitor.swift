/// Settings of the convergence signals.
public struct MonitorConfiguration: Sendable, Codable, Equatable, Hashable {
    /// Events in the moving miss-rate window. Default 1000 (issue 4).
    public var missWindow: Int = 1000
    /// Events between history rows. Default 10 000: ~330 rows per N-MNIST-small epoch.
    public var historyInterval: Int = 10_000
    /// Record the relative weight change between rows (validation only: it
    /// reads all weights, which hardware cannot). Default false.
    public var trackWeightDrift = false
    /// Rows spanned by the threshold-drift window of the detector. Default 5.
    public var convergenceWindow: Int = 5
    /// |threshold drift| at or below this counts as stationary. Default 0.25
    /// (the drift is a miss-rate ratio; over 50 000 events at N = 64 its
    /// noise is ~6 %, at N = 256 ~12 %).
    public var convergenceTolerance: Double = 0.25
    /// Consecutive stationary rows needed. Default 3.
    public var convergencePatience: Int = 3

    public init(missWindow: Int = 1000, historyInterval: Int = 10_000, trackWeightDrift: Bool = false,
                convergenceWindow: Int = 5, convergenceTolerance: Double = 0.25, convergencePatience: Int = 3) {
        self.missWindow = max(1, missWindow)
        self.historyInterval = max(1, historyInterval)
        self.trackWeightDrift = trackWeightDrift
        self.convergenceWindow = max(1, convergenceWindow)
        self.convergenceTolerance = convergenceTolerance
        self.convergencePatience = max(1, convergencePatience)
    }
}

/// One row of the training history, taken every `historyInterval` events.
/// All figures come from the learning regime.
public struct HistoryRow: Sendable, Codable, Equatable {
    /// Events (wins + misses) seen by the monitor when the row was taken.
    public var event: Int64
    /// Miss rate over the last `missWindow` events.
    public var movingMissRate: Double
    public var thresholdMean: Double
    public var thresholdMin: Double
    public var thresholdMax: Double
    /// Max/min wins per neuron in the current epoch; nil while some neuron has none.
    public var winSpread: Double?
    /// Neurons that have never won since the monitor started.
    public var deadNeurons: Int
    /// Threshold drift over the detector window (see ``TrainingMonitor``); nil until the window is full.
    public var thresholdDrift: Double?
    /// ‖W − W_previous row‖ / ‖W‖ (Frobenius); nil when not tracked.
    public var weightDrift: Double?
}

/// The convergence signals of issue 4, read from winners, thresholds and
/// the miss rate (weights only for the optional validation drift).
///
/// **Convergence detector.** Learning changes the summed thresholds by
/// +Δclose per win and −N·Δopen per miss (N of the missed population), so
/// over a window of E events the threshold drift
/// `D = ΔΣθ / (Δclose · E)` is 1 while nothing is missed and 0 at the
/// equilibrium (it equals 1 − windowed miss rate / predicted miss rate for
/// one population). Training has converged at the first row of the first
/// run of `convergencePatience` consecutive rows with `|D| ≤ tolerance`,
/// D taken over the last `convergenceWindow` rows. ``convergedAtEvent`` is
/// that row's event index. It uses thresholds and event counts only.
public struct TrainingMonitor: Sendable, Codable, Equatable {
    public let configuration: MonitorConfiguration
    public let neurons: Int
    /// Effective Δclose (for the drift's scale).
    public let thresholdRise: Double
    /// Predicted equilibrium miss rate (per population).
    public let predictedMissRate: Double
    public private(set) var history: [HistoryRow] = []
    /// Wins per global neuron since the monitor started.
    public private(set) var wins: [Int64]
    /// Wins per global neuron in the current epoch.
    public private(set) var epochWins: [Int64]
    public private(set) var events: Int64 = 0
    public private(set) var misses: Int64 = 0
    public private(set) var epochEvents: Int64 = 0
    public private(set) var epochMisses: Int64 = 0
    public private(set) var convergedAtEvent: Int64?
    var window: [UInt8]
    var windowPosition = 0
    var windowMisses = 0
    var windowFill = 0
    var thresholdSums: [Double] = []
    var streak = 0
    var previousWeights: [Float] = []

    public init<A>(layer: FeastLayer<A>, configuration: MonitorConfiguration = MonitorConfiguration()) {
        self.configuration = configuration
        neurons = layer.populations * layer.neurons
        thresholdRise = layer.arithmetic.effectiveThresholdRise
        predictedMissRate = layer.predictedMissRate
        wins = Array(repeating: 0, count: neurons)
        epochWins = wins
        window = Array(repeating: 0, count: configuration.missWindow)
    }

    /// Starts a new epoch's counts (wins, misses, spread).
    public mutating func startEpoch() {
        epochWins = Array(repeating: 0, count: neurons)
        epochEvents = 0
        epochMisses = 0
    }

    /// Miss rate over the last `missWindow` events (fewer at the start).
    public var movingMissRate: Double { windowFill > 0 ? Double(windowMisses) / Double(windowFill) : 0 }
    /// Miss rate of the current epoch so far.
    public var epochMissRate: Double { epochEvents > 0 ? Double(epochMisses) / Double(epochEvents) : 0 }
    /// Max/min wins per neuron this epoch; nil while a neuron has not won.
    public var epochWinSpread: Double? { Self.spread(epochWins) }
    /// Neurons that never won since the monitor started.
    public var deadNeurons: Int { wins.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }

    static func spread(_ w: [Int64]) -> Double? {
        guard let lo = w.min(), let hi = w.max(), lo > 0 else { return nil }
        return Double(hi) / Double(lo)
    }

    /// Records one event's result (−2 = skipped, ignored); takes a history
    /// row from `layer` every `historyInterval` events.
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public mutating func record<A>(_ winner: Int32, layer: FeastLayer<A>) {
        if winner == -2 { return }
        let miss: UInt8 = winner < 0 ? 1 : 0
        events &+= 1
        epochEvents &+= 1
        if winner >= 0 {
            wins[Int(winner)] &+= 1
            epochWins[Int(winner)] &+= 1
        } else {
            misses &+= 1
            epochMisses &+= 1
        }
        windowMisses += Int(miss) - Int(window[windowPosition])
        window[windowPosition] = miss
        windowPosition = windowPosition + 1 == window.count ? 0 : windowPosition + 1
        if windowFill < window.count { windowFill += 1 }
        if events % Int64(configuration.historyInterval) == 0 { takeRow(layer) }
    }

    /// Counted events until the next history row is taken (≥ 1).
    public var eventsUntilNextRow: Int {
        let interval = Int64(configuration.historyInterval)
        return Int(interval - events % interval)
    }

    mutating func takeRow<A>(_ layer: FeastLayer<A>) {
        let th = layer.thresholdSummary
        thresholdSums.append(th.mean * Double(neurons))
        let L = configuration.convergenceWindow
        var drift: Double?
        if thresholdSums.count > L, thresholdRise > 0 {
            let change = thresholdSums[thresholdSums.count - 1] - thresholdSums[thresholdSums.count - 1 - L]
            drift = change / (thresholdRise * Double(L * configuration.historyInterval))
        }
        var weightDrift: Double?
        if configuration.trackWeightDrift {
            layer.withStoredWeights { w in
                if previousWeights.count == w.count {
                    var d = 0.0, s = 0.0
                    for i in 0..<w.count {
                        let a = Double(w[i]), b = Double(previousWeights[i])
                        d += (a - b) * (a - b)
                        s += a * a
                    }
                    weightDrift = s > 0 ? (d / s).squareRoot() : 0
                    for i in 0..<w.count { previousWeights[i] = w[i] }
                } else {
                    previousWeights = Array(w)
                }
            }
        }
        history.append(HistoryRow(event: events, movingMissRate: movingMissRate, thresholdMean: th.mean,
                                  thresholdMin: th.min, thresholdMax: th.max, winSpread: epochWinSpread,
                                  deadNeurons: deadNeurons, thresholdDrift: drift, weightDrift: weightDrift))
        if convergedAtEvent == nil {
            if let drift, abs(drift) <= configuration.convergenceTolerance {
                streak += 1
                if streak >= configuration.convergencePatience {
                    convergedAtEvent = history[history.count - streak].event
                }
            } else {
                streak = 0
            }
        }
    }

    /// Validation only: the first row from which the weight drift stays
    /// within `factor` × its median over the last quarter of the history,
    /// or nil (not tracked, or too few rows).
    public func weightDriftSettledEvent(factor: Double = 1.5) -> Int64? {
        let rows = history.compactMap { r in r.weightDrift.map { (event: r.event, drift: $0) } }
        guard rows.count >= 8 else { return nil }
        let tail = rows.suffix(rows.count / 4).map(\.drift).sorted()
        let limit = factor * tail[tail.count / 2]
        var settled: Int64?
        for r in rows {
            if r.drift <= limit { if settled == nil { settled = r.event } } else { settled = nil }
        }
        return settled
    }
}
