import ArgumentParser
import FeastBench
import FeastCore
import FeastEvents
import Foundation

/// `feast bench generate`: N-MNIST bytes of a synthetic stream on stdout (for the memory benchmark).
struct BenchGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Synthetic N-MNIST bytes on stdout.", shouldDisplay: false)

    @Option(help: "Events to write.")
    var events = 10_000_000

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        var sink = NMNISTWriter(output: try ByteOutput(path: "-"))
        var g = SplitMix64(seed: seed)
        var chunk = ContiguousArray<Event>()
        var t: Int64 = 0
        var remaining = events
        while remaining > 0 {
            chunk.removeAll(keepingCapacity: true)
            for _ in 0..<min(remaining, 65_536) {
                let r = g.next()
                t += Int64(r & 127)
                chunk.append(Event(t: t, x: UInt16((r >> 8) % 34), y: UInt16((r >> 16) % 34), polarity: UInt8((r >> 24) & 1)))
            }
            try sink.write(chunk)
            remaining -= chunk.count
        }
        try sink.finish()
    }
}

/// `feast bench stream-memory`: stdin (N-MNIST) → FEAST inference, prints
/// "events VmHWM_kB VmRSS_kB".
struct BenchStreamMemory: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream-memory", abstract: "Streams stdin through a layer; prints peak memory.", shouldDisplay: false)

    func run() throws {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 16, radius: 5), arithmetic: .init())
        var source = NMNISTReader(input: ByteInput(fd: 0, name: "-", ownsDescriptor: false))
        var chunk = ContiguousArray<Event>()
        var output = ContiguousArray<OutputEvent>()
        var events = 0
        var wins: Int64 = 0
        while try source.nextChunk(into: &chunk) {
            events += chunk.count
            output.removeAll(keepingCapacity: true)
            layer.process(chunk, learn: false, into: &output, emitMisses: false)
            wins &+= Int64(output.count)
        }
        let kb = BenchMemory.residentKB()
        print("\(events) \(kb.peak) \(kb.now) \(wins)")
    }
}
