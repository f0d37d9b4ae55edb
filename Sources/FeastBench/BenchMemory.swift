import FeastCore
import FeastEvents
import Foundation

/// Peak resident memory of stream processing as the input grows: a child
/// `feast bench generate` writes N-MNIST bytes into a pipe, a child
/// `feast bench stream-memory` decodes them from stdin, runs FEAST inference
/// chunk by chunk, writes nothing and reports its own VmHWM.
public enum BenchMemory {
    public static func run(sizes: [Int], console: BenchConsole) throws {
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
                throw BenchError.failed("stream-memory child failed (status \(consumer.terminationStatus)): \(text)")
            }
            rows.append(["\(size)", String(fields[0]), String(format: "%.1f", (Double(fields[1]) ?? 0) / 1024),
                         String(format: "%.1f", (Double(fields[2]) ?? 0) / 1024), String(format: "%.1f", wall)])
            console.log(rows.last!.joined(separator: " "))
        }
        console.out("Streaming memory: generated N-MNIST bytes → pipe → decode → FEAST float N=16 R=5 inference (peak resident set of the consumer)")
        console.table([["input events", "events seen", "VmHWM MiB", "VmRSS end MiB", "wall s"]] + rows)
    }

    /// kB values of VmHWM and VmRSS from /proc/self/status.
    public static func residentKB() -> (peak: Int, now: Int) {
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

