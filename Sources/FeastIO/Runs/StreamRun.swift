import FeastCore
import FeastEvents
import Foundation

/// `feast stream`: one event source (stdin) through a network (a layer or a
/// stack, whose layers all learn at once with ``learn``) as a single
/// recording, output events as CSV `t,x,y,p,neuron`, flushed after every
/// input chunk so a live pipe sees them as they come.
///
/// With ``learn`` and a ``checkpointPath`` the layer is saved at the end of
/// the input and, with ``checkpointEvery`` = N > 0, after exactly every N
/// input events counted over the whole stream (resumed parts included): the
/// input is split at those multiples, so checkpoints fall on the same
/// events however the input arrives in chunks. A periodic checkpoint holds
/// the whole state, so the time surface starts empty again after it.
public struct StreamRun: Sendable {
    /// Keep learning (weights and thresholds adapt).
    public var learn: Bool
    /// Also write missed events, with neuron −1.
    public var emitMisses: Bool
    /// Where the learning layer is saved (nil: not saved).
    public var checkpointPath: String?
    /// Input events between periodic checkpoints (0: only at the end).
    public var checkpointEvery: Int64

    public init(learn: Bool, emitMisses: Bool = false, checkpointPath: String? = nil, checkpointEvery: Int64 = 0) {
        self.learn = learn
        self.emitMisses = emitMisses
        self.checkpointPath = checkpointPath
        self.checkpointEvery = checkpointEvery
    }

    /// Runs `source` through `layer` to the end of the input, or until
    /// `shouldStop` (polled after each chunk; a decoding error once it is
    /// true just ends the input, which was cut mid-record). `consumed` is
    /// the count of input events before this run (a resumed checkpoint's);
    /// returns the count after it. An output closed early (`| head`) ends
    /// the stream without an error.
    public func run(_ layer: inout FeastNetwork, source: inout any EventSource, consumed: Int64 = 0,
                    to out: ByteOutput, shouldStop: () -> Bool = { false }) throws -> Int64 {
        var seen = consumed
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var part = ContiguousArray<Event>()
        var events = ContiguousArray<OutputEvent>()
        var text = ""
        let period = learn && checkpointPath != nil ? checkpointEvery : 0
        layer.reset()
        func emit() throws {
            text.removeAll(keepingCapacity: true)
            OutputEventFiles.appendCSV(events, prefix: "", to: &text)
            events.removeAll(keepingCapacity: true)
            try out.write(text)
            try out.flush()
        }
        func next() throws -> Bool {
            do {
                return try source.nextChunk(into: &chunk)
            } catch where shouldStop() {
                chunk.removeAll()
                return false
            }
        }
        do {
            try out.write("t,x,y,p,neuron\n")
            try out.flush()
            while try next() {
                if period == 0 {
                    layer.process(chunk, learn: learn, into: &events, emitMisses: emitMisses)
                    seen += Int64(chunk.count)
                } else {
                    var i = 0
                    while i < chunk.count {
                        let end = min(chunk.count, i + Int(period - seen % period))
                        if i == 0 && end == chunk.count {
                            layer.process(chunk, learn: learn, into: &events, emitMisses: emitMisses)
                        } else {
                            part.removeAll(keepingCapacity: true)
                            part.append(contentsOf: chunk[i..<end])
                            layer.process(part, learn: learn, into: &events, emitMisses: emitMisses)
                        }
                        seen += Int64(end - i)
                        i = end
                        if seen % period == 0 {
                            try emit()
                            try save(layer, consumed: seen)
                            layer.reset()
                        }
                    }
                }
                try emit()
                if shouldStop() { break }
            }
            try out.finish()
        } catch FeastEventsError.outputClosed {
            // The reader went away (`| head`): not an error.
        }
        if learn { try save(layer, consumed: seen) }
        return seen
    }

    private func save(_ network: FeastNetwork, consumed: Int64) throws {
        guard let checkpointPath else { return }
        var file = NetworkFile(layers: network.layers.map(\.state))
        file.streamEvents = consumed
        try file.write(to: checkpointPath)
    }
}
