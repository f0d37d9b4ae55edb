import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO

/// `feast stream --network NET.h5`: events from stdin through the layer,
/// output events as CSV `t,x,y,p,neuron` on stdout, flushed per chunk so a
/// live pipe sees them as they come.
struct Stream: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Events from stdin through a trained layer; output events as CSV t,x,y,p,neuron on stdout.",
        discussion: """
            The whole input is one recording (the time surface starts empty). Output is flushed \
            after every input chunk. Inference by default (the network file is not changed); with \
            --learn the layer keeps learning and --checkpoint FILE is rewritten atomically every \
            --every N events, at the end of the input and on Ctrl-C (time surfaces are not saved).
            """)

    @Option(help: "Network file written by feast train.")
    var network: String

    @Option(help: "Input format on stdin: csv (t,x,y,p with or without header) or nmnist (.bin bytes).")
    var format: EventFormat = .csv

    @Flag(help: "Keep learning (weights and thresholds adapt).")
    var learn = false

    @Option(help: ArgumentHelp("Network file to save the learning layer to (with --learn).", valueName: "FILE"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("Checkpoint every N input events (with --checkpoint).", valueName: "N"))
    var every: Int?

    @Flag(name: .customLong("emit-misses"), help: "Also write missed events, with neuron −1.")
    var emitMisses = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        guard format != .hdf5 else { throw ValidationError("--format hdf5 cannot be streamed from stdin; use csv or nmnist") }
        if let every {
            guard every >= 1 else { throw ValidationError("--every must be ≥ 1 event, got \(every)") }
            guard checkpoint != nil else { throw ValidationError("--every needs --checkpoint FILE") }
        }
        if checkpoint != nil && !learn { throw ValidationError("--checkpoint saves a learning layer; add --learn") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        var (_, layer) = try AnyLayer.load(network: network)
        if learn {
            Interrupt.install()
            if checkpoint == nil { Terminal.warn("--learn without --checkpoint: what the layer learns is not saved") }
        }
        var source = try EventFiles.openSource(path: "-", options: input.readOptions(format: format))
        let out = try ByteOutput(path: "-")
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        var events = ContiguousArray<OutputEvent>()
        var text = ""
        var seen: Int64 = 0, lastCheckpoint: Int64 = 0
        layer.reset()
        do {
            try out.write("t,x,y,p,neuron\n")
            try out.flush()
            while try source.nextChunk(into: &chunk) {
                events.removeAll(keepingCapacity: true)
                layer.process(chunk, learn: learn, into: &events, emitMisses: emitMisses)
                text.removeAll(keepingCapacity: true)
                OutputEventFiles.appendCSV(events, prefix: "", to: &text)
                try out.write(text)
                try out.flush()
                seen += Int64(chunk.count)
                if let every, seen - lastCheckpoint >= every {
                    try save(layer)
                    lastCheckpoint = seen
                }
                if Interrupt.requested { break }
            }
            try out.finish()
        } catch FeastEventsError.outputClosed {
            // The reader went away (`| head`): not an error.
        }
        for warning in EventFiles.warnings(for: source) { EventFiles.printError(warning) }
        if learn { try save(layer) }
        if Interrupt.requested, let checkpoint { Terminal.log("interrupted after \(seen) events: network saved to \(checkpoint)") }
    }

    private func save(_ layer: AnyLayer) throws {
        guard let checkpoint else { return }
        try NetworkFile(layer: layer.state).write(to: checkpoint)
    }
}
