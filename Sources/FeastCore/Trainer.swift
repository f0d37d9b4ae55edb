import FeastEvents

/// Where training stands: the next recording to process is number
/// `recording` of epoch `epoch`'s shuffled order (both 0-based).
public struct TrainingPosition: Sendable, Codable, Equatable, Hashable {
    public var epoch: Int
    public var recording: Int
    public init(epoch: Int = 0, recording: Int = 0) {
        self.epoch = epoch
        self.recording = recording
    }
}

/// What a progress callback receives (events in this run, not the resumed part).
public struct TrainingProgress: Sendable {
    public var position: TrainingPosition
    public var epochs: Int
    public var recordings: Int
    /// Events processed by this `run` call so far.
    public var events: Int64
    public var eventsPerSecond: Double
    public var movingMissRate: Double
    /// The layer training (0: the first; a stacked network's deeper layers count on).
    public var layer: Int = 0
}

/// Everything needed to continue training bit-identically: the layer, the
/// monitor and the position (taken between recordings).
public struct TrainingCheckpoint: Sendable, Codable, Equatable {
    public var layer: LayerState
    public var monitor: TrainingMonitor
    public var position: TrainingPosition

    public init(layer: LayerState, monitor: TrainingMonitor, position: TrainingPosition) {
        self.layer = layer
        self.monitor = monitor
        self.position = position
    }
}

/// The outcome of ``Trainer/run(recordingCount:open:progress:shouldStop:)``.
/// Miss rate and spread are of the last (or current) epoch, learning regime.
public struct TrainingSummary: Sendable, Codable, Equatable {
    /// Events processed by this run.
    public var events: Int64
    public var eventsPerSecond: Double
    public var missRate: Double
    /// Max/min wins per neuron; nil when some neuron never won this epoch.
    public var winRateSpread: Double?
    public var predictedMissRate: Double
    public var deadNeurons: Int
    public var convergedAtEvent: Int64?
    /// False when stopped by `shouldStop` (then `position` is where to resume).
    public var completed: Bool
    public var position: TrainingPosition
}

/// Trains a layer over a dataset: `epochs` passes, recordings in a seeded
/// shuffled order per epoch (derived from the layer's seed and the epoch, so
/// a resumed run uses the same order), time surface reset per recording.
/// Stopping (`shouldStop`, checked between recordings) leaves a
/// ``checkpoint`` from which a new trainer continues exactly as if never
/// interrupted.
public struct Trainer<A: FeastArithmetic>: Sendable {
    public private(set) var layer: FeastLayer<A>
    public private(set) var monitor: TrainingMonitor
    public let epochs: Int
    public let shuffle: Bool
    public private(set) var position = TrainingPosition()

    public init(layer: FeastLayer<A>, epochs: Int, shuffle: Bool = true, monitor: MonitorConfiguration = MonitorConfiguration()) {
        self.layer = layer
        self.monitor = TrainingMonitor(layer: layer, configuration: monitor)
        self.epochs = epochs
        self.shuffle = shuffle
    }

    /// Continues from a checkpoint.
    public init(resuming c: TrainingCheckpoint, epochs: Int, shuffle: Bool = true) throws {
        layer = try FeastLayer<A>(restoring: c.layer)
        monitor = c.monitor
        self.epochs = epochs
        self.shuffle = shuffle
        guard c.position.epoch >= 0, c.position.recording >= 0, c.position.epoch <= epochs else {
            throw FeastCoreError.invalidResumePosition(epoch: c.position.epoch, recording: c.position.recording,
                                                       expected: "an epoch in 0…\(epochs)")
        }
        position = c.position
    }

    /// The state to save for a later resume.
    public var checkpoint: TrainingCheckpoint {
        TrainingCheckpoint(layer: layer.state, monitor: monitor, position: position)
    }

    /// Recording order of `epoch`: a Fisher–Yates shuffle seeded by the
    /// layer's seed and the epoch (identity when `shuffle` is false).
    public func order(epoch: Int, count: Int) -> [Int] {
        var order = Array(0..<count)
        guard shuffle, count > 1 else { return order }
        var rng = SplitMix64.derived(seed: layer.parameters.seed, salt: 0x5348_5546 &+ UInt64(epoch))
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        return order
    }

    /// Trains from ``position`` to the end (or until `shouldStop` returns
    /// true between recordings). `open(i)` opens recording `i` (0..<count);
    /// errors are rethrown as ``FeastCoreError/recordingFailed(index:name:underlying:)``.
    /// `progress` is called at most every `progressInterval` seconds.
    /// `checkpoint` (with `checkpointEvery` > 0) receives ``checkpoint`` at
    /// the first recording boundary after every `checkpointEvery` events
    /// processed since the last one (a snapshot between recordings is
    /// complete: the time surface is reset per recording anyway).
    @_specialize(exported: true, where A == FloatArithmetic)
    @_specialize(exported: true, where A == FixedPointArithmetic)
    public mutating func run(recordingCount count: Int, open: (Int) throws -> any EventSource,
                             progress: ((TrainingProgress) -> Void)? = nil, progressInterval: Double = 0.25,
                             shouldStop: () -> Bool = { false },
                             checkpointEvery: Int64 = 0, checkpoint save: ((TrainingCheckpoint) throws -> Void)? = nil) throws -> TrainingSummary {
        guard position.epoch == epochs || position.recording <= count else {
            throw FeastCoreError.invalidResumePosition(epoch: position.epoch, recording: position.recording,
                                                       expected: "a recording in 0…\(count)")
        }
        let start = FeastBenchmark.now()
        var lastReport = start
        var processed: Int64 = 0
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var winners: [Int32] = []
        var stopped = false
        var sinceCheckpoint: Int64 = 0
        epochLoop: while position.epoch < epochs {
            let order = self.order(epoch: position.epoch, count: count)
            if position.recording == 0 { monitor.startEpoch() }
            while position.recording < count {
                if shouldStop() { stopped = true; break epochLoop }
                let index = order[position.recording]
                var source: any EventSource
                do { source = try open(index) } catch {
                    throw FeastCoreError.recordingFailed(index: index, name: "#\(index)", underlying: UnderlyingError(error))
                }
                layer.reset()
                do {
                    while try source.nextChunk(into: &chunk) {
                        if winners.count < chunk.count { winners = [Int32](repeating: 0, count: chunk.count) }
                        // Spans that end at most at the monitor's next history
                        // row (skipped events do not count towards it), so the
                        // row sees the layer exactly as per-event calls would.
                        var from = 0
                        while from < chunk.count {
                            let end = from + min(chunk.count - from, monitor.eventsUntilNextRow)
                            layer.process(chunk, range: from..<end, learn: true, winners: &winners)
                            for i in from..<end { monitor.record(winners[i], layer: layer) }
                            from = end
                        }
                        processed &+= Int64(chunk.count)
                        sinceCheckpoint &+= Int64(chunk.count)
                        if let progress {
                            let now = FeastBenchmark.now()
                            if now - lastReport >= progressInterval {
                                lastReport = now
                                progress(TrainingProgress(position: position, epochs: epochs, recordings: count, events: processed,
                                                          eventsPerSecond: Double(processed) / max(now - start, 1e-9),
                                                          movingMissRate: monitor.movingMissRate))
                            }
                        }
                    }
                } catch {
                    throw FeastCoreError.recordingFailed(index: index, name: source.name, underlying: UnderlyingError(error))
                }
                position.recording += 1
                if let save, checkpointEvery > 0, sinceCheckpoint >= checkpointEvery {
                    try save(checkpoint)
                    sinceCheckpoint = 0
                }
            }
            position.epoch += 1
            position.recording = 0
        }
        let elapsed = max(FeastBenchmark.now() - start, 1e-9)
        return TrainingSummary(events: processed, eventsPerSecond: Double(processed) / elapsed,
                               missRate: monitor.epochMissRate, winRateSpread: monitor.epochWinSpread,
                               predictedMissRate: monitor.predictedMissRate, deadNeurons: monitor.deadNeurons,
                               convergedAtEvent: monitor.convergedAtEvent, completed: !stopped, position: position)
    }
}
