import ArgumentParser
import FeastCore
import FeastEvents
import Foundation

/// Peak resident memory of stream processing as the input grows: a child
/// `feast bench generate` writes N-MNIST bytes into a pipe, a child
/// `feast bench stream-memory` decodes them from stdin, runs FEAST inference
/// chunk by chunk, writes nothing and reports its own VmHWM.
enum BenchMemory {
    static func run(sizes: [Int]) throws {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var rows: [[String]] = []
        for size in sizes {
            let generator = Process(), consumer = Process()
            generator.executableURL = URL(fileURLWithPath: exe)
            generator.arguments = ["bench", "generate", "--events", "\(size)"]
            consumer.executableURL = URL(fileURLWithPath: exe)
            consumer.arguments = ["bench", "stream-memory"]
            let pipe = Pipe(), result = Pipe()
            generator.standardOutput = pipe
            consumer.standardInput = pipe
            consumer.standardOutput = result
            let start = FeastBenchmark.now()
            try generator.run()
            try consumer.run()
            try? pipe.fileHandleForReading.close()
            try? pipe.fileHandleForWriting.close()
            let text = String(decoding: result.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            generator.waitUntilExit()
            consumer.waitUntilExit()
            let wall = FeastBenchmark.now() - start
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard consumer.terminationStatus == 0, fields.count >= 3 else {
                throw ValidationError("stream-memory child failed (status \(consumer.terminationStatus)): \(text)")
            }
            rows.append(["\(size)", String(fields[0]), String(format: "%.1f", (Double(fields[1]) ?? 0) / 1024),
                         String(format: "%.1f", (Double(fields[2]) ?? 0) / 1024), String(format: "%.1f", wall)])
            Terminal.log(rows.last!.joined(separator: " "))
        }
        print("Streaming memory: generated N-MNIST bytes → pipe → decode → FEAST float N=16 R=5 inference (peak resident set of the consumer)")
        BenchLayer.printTable([["input events", "events seen", "VmHWM MiB", "VmRSS end MiB", "wall s"]] + rows)
    }

    /// kB values of VmHWM and VmRSS from /proc/self/status.
    static func residentKB() -> (peak: Int, now: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        var peak = 0, now = 0
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, parts[0] == "VmHWM:" { peak = Int(parts[1]) ?? 0 }
            if parts.count >= 2, parts[0] == "VmRSS:" { now = Int(parts[1]) ?? 0 }
        }
        return (peak, now)
    }
}

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
