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
            --learn the layer keeps learning and --checkpoint FILE is rewritten atomically at the end \
            of the input, on Ctrl-C, and with --every N after exactly every N input events (counted \
            over the whole stream, resumed parts included). A periodic checkpoint holds the whole \
            state, so the time surface starts empty again after it, as if a new recording began; \
            the file records how many input events it has consumed (/stream events_consumed).

            Resuming (after kill -9, a crash or Ctrl-C): feast stream --resume CHECKPOINT --learn \
            --every N, fed on stdin with the input that follows the events the checkpoint consumed \
            (the log names the count K; e.g. tail -c +$((5*K+1)) rec.bin for nmnist, \
            tail -n +$((K+2)) rec.csv for a CSV with a header). Fed that way with the same --every, \
            the network equals an uninterrupted run's bit for bit; a Ctrl-C checkpoint falls between \
            periodic ones, and the resumed layer starts an empty time surface there. With --learn, \
            Ctrl-C ends the input at once (even while waiting for it), saves the checkpoint and \
            exits with status 130; a second Ctrl-C exits without saving. An output pipe closed \
            early (| head) ends the stream quietly with status 0.
            """)

    @Option(help: "Network file written by feast train (or a checkpoint of feast stream).")
    var network: String?

    @Option(help: ArgumentHelp("Continue an interrupted --learn stream from its checkpoint (instead of --network; --checkpoint defaults to it).",
                               valueName: "CHECKPOINT"))
    var resume: String?

    @Option(help: "Input format on stdin: csv (t,x,y,p with or without header) or nmnist (.bin bytes).")
    var format: EventFormat = .csv

    @Flag(help: "Keep learning (weights and thresholds adapt).")
    var learn = false

    @Option(help: ArgumentHelp("Network file to save the learning layer to (with --learn).", valueName: "FILE"))
    var checkpoint: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Checkpoint after every N input events (with --checkpoint or --resume).", valueName: "N"))
    var every: Int?

    @Flag(name: .customLong("emit-misses"), help: "Also write missed events, with neuron −1.")
    var emitMisses = false

    @OptionGroup var input: EventInputOptions

    func validate() throws {
        guard format != .hdf5 else { throw ValidationError("--format hdf5 cannot be streamed from stdin; use csv or nmnist") }
        switch (network, resume) {
        case (nil, nil): throw ValidationError("give --network NET.h5 (or --resume CHECKPOINT to continue a --learn stream)")
        case (.some, .some): throw ValidationError("--resume continues the layer saved in its checkpoint; drop --network")
        default: break
        }
        if resume != nil && !learn { throw ValidationError("--resume continues learning; add --learn") }
        if let every {
            guard every >= 1 else { throw ValidationError("invalid --every \(every): expected a number of events ≥ 1") }
            guard checkpointPath != nil else { throw ValidationError("--every needs --checkpoint FILE") }
        }
        if checkpoint != nil && !learn { throw ValidationError("--checkpoint saves a learning layer; add --learn") }
        if every != nil || resume != nil, try !input.filters.spec().isEmpty {
            throw ValidationError("event filters with --every or --resume: checkpoints count input events; filter the input before feast stream (feast convert - - --crop …)")
        }
    }

    /// Where checkpoints go: --checkpoint, else the --resume file.
    var checkpointPath: String? { checkpoint ?? resume }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // past `ulimit -f`: EFBIG, reported, not a silent death
        var (file, layer) = try NetworkFile.loadNetwork(from: resume ?? network ?? "")
        var seen: Int64 = 0
        if let resume {
            guard let consumed = file.streamEvents else {
                throw ValidationError("\(resume): not a checkpoint of feast stream (no /stream events_consumed); use --network")
            }
            seen = consumed
            Terminal.log("resuming \(resume) after input event \(consumed): stdin must hold the events that follow")
        }
        if learn {
            Interrupt.install(endingInput: true)
            if checkpointPath == nil { Terminal.warn("--learn without --checkpoint: what the layer learns is not saved") }
        }
        var source = try EventFileOpener.openSource(path: "-", options: input.readOptions(format: format, network: layer.geometry))
        try EventFileOpener.checkSensor(of: source, fits: layer.geometry)
        let streaming = StreamRun(learn: learn, emitMisses: emitMisses, checkpointPath: checkpointPath, checkpointEvery: Int64(every ?? 0))
        seen = try streaming.run(&layer, source: &source, consumed: seen, to: ByteOutput(path: "-"), shouldStop: { Interrupt.requested })
        for warning in EventFileOpener.warnings(for: source) { Terminal.printError(warning) }
        if Interrupt.requested {
            if let path = checkpointPath {
                Terminal.log("interrupted after input event \(seen): network saved to \(path); resume with --resume \(path) fed the events after it")
            }
            throw ExitCode(130)
        }
    }
}
