import Foundation
import XCTest
import FeastIO

/// `feast vectors`, `export`, `hw-report` and `sweep bits` on real N-MNIST recordings.
final class HardwareCommandsTests: XCTestCase {
    /// A labels CSV of the first `train` training and `test` test recordings (absolute paths).
    func subset(train: Int, test: Int, in folder: String) throws -> String {
        let root = try CLI.nmnistSmall()
        let lines = try String(contentsOfFile: root + "/labels.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var csv = "file,label,split\n"
        for line in lines.filter({ $0.contains(",train") }).prefix(train) + lines.filter({ $0.contains(",test") }).prefix(test) {
            let f = line.split(separator: ",")
            csv += "\(root)/\(f[0]),\(f[1]),\(f[2])\n"
        }
        let path = folder + "/subset.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A small fixed-point network trained on 8 recordings.
    func fixedNetwork(in folder: String, extra: [String] = []) throws -> String {
        let data = try subset(train: 8, test: 0, in: folder)
        let net = folder + "/fixed.h5"
        let r = try CLI.run(["train", data, "-o", net, "--arithmetic", "fixed", "--neurons", "6", "--radius", "2"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return net
    }

    func testRecording() throws -> String {
        try CLI.nmnistSmall() + "/Test/0/00004.bin"
    }

    // MARK: - vectors

    func testVectorsAreByteIdenticalAcrossRuns() throws {
        let dir = try CLI.temporaryFolder(self)
        let net = try fixedNetwork(in: dir)
        for name in ["a", "b"] {
            let r = try CLI.run(["vectors", "--network", net, try testRecording(), "-o", "\(dir)/\(name).txt", "--events", "400", "--learn"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.txt"))
        XCTAssertGreaterThan(a.count, 400 * 50)
        XCTAssertEqual(a, try Data(contentsOf: URL(fileURLWithPath: dir + "/b.txt")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.decay.mem")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/b.decay.mem")))
    }

    /// Parsed vectors file: header keys and event lines.
    struct VectorsFile {
        var header: [String: String] = [:]
        var lines: [[Substring]] = []
        init(_ text: String) {
            for line in text.split(separator: "\n") {
                if line.hasPrefix("# ") {
                    let kv = line.dropFirst(2).split(separator: ":", maxSplits: 1)
                    if kv.count == 2 { header[String(kv[0])] = kv[1].trimmingCharacters(in: .whitespaces) }
                } else if !line.hasPrefix("#") {
                    lines.append(line.split(separator: " "))
                }
            }
        }
        func int(_ key: String) -> Int { Int(header[key] ?? "") ?? -999 }
    }

    static func words(_ field: Substring, prefix: String, bits: Int, signed: Bool) -> [Int64] {
        XCTAssertTrue(field.hasPrefix(prefix), "\(field.prefix(20)) should start with \(prefix)")
        return field.dropFirst(prefix.count).split(separator: ",").map { hex in
            var v = Int64(UInt64(hex, radix: 16)!)
            if signed && v >> (bits - 1) & 1 == 1 { v -= Int64(1) << bits }
            return v
        }
    }

    func checkVectors(learn: Bool) throws {
        let dir = try CLI.temporaryFolder(self)
        let net = try fixedNetwork(in: dir)
        let r = try CLI.run(["vectors", "--network", net, try testRecording(), "-o", dir + "/v.txt", "--events", "600"] + (learn ? ["--learn"] : []))
        XCTAssertEqual(r.status, 0, r.stderr)
        let v = VectorsFile(try String(contentsOfFile: dir + "/v.txt", encoding: .utf8))
        let n = v.int("neurons"), k = v.int("context_length"), side = v.int("window_side"), radius = v.int("radius")
        let sBits = v.int("score_bits"), tBits = v.int("threshold_bits"), cBits = v.int("context_bits")
        let shift = v.int("threshold_to_score_shift"), rise = Int64(v.int("threshold_rise_steps")), fall = Int64(v.int("threshold_fall_steps"))
        XCTAssertEqual(v.int("learn"), learn ? 1 : 0)
        XCTAssertEqual([n, k, side], [6, 25, 5])
        XCTAssertGreaterThan(rise, 0)
        XCTAssertGreaterThan(fall, 0)
        XCTAssertEqual(v.lines.count, 600)
        let tMax = (Int64(1) << (tBits - 1)) - 1, tMin = -(Int64(1) << (tBits - 1))
        var wins = 0, misses = 0
        for (i, f) in v.lines.enumerated() {
            XCTAssertEqual(Int(f[0]), i)
            let winner = Int(f[6])!
            if winner == -2 { XCTAssertEqual(f.count, 7); continue }
            XCTAssertEqual(f.count, 12, "event \(i)")
            let ctx = Self.words(f[7], prefix: "ctx=", bits: cBits, signed: false)
            let scores = Self.words(f[8], prefix: "score=", bits: sBits, signed: true)
            let mask = UInt64(f[9].dropFirst("elig=".count), radix: 16)!
            let before = Self.words(f[10], prefix: "th_before=", bits: tBits, signed: true)
            let after = Self.words(f[11], prefix: "th_after=", bits: tBits, signed: true)
            XCTAssertEqual(ctx.count, k)
            XCTAssertGreaterThan(ctx[radius * side + radius], 0, "event \(i): the event's own pixel is in its context")
            XCTAssertEqual([scores.count, before.count, after.count], [n, n, n])
            // Eligibility and the winner from the integers alone.
            var best = -1
            for j in 0..<n {
                let eligible = scores[j] >= before[j] << Int64(shift)
                XCTAssertEqual(mask >> UInt64(j) & 1 == 1, eligible, "event \(i) neuron \(j)")
                if eligible && (best < 0 || scores[j] > scores[best]) { best = j }
            }
            XCTAssertEqual(winner, best, "event \(i): winner = argmax of eligible scores")
            // Threshold steps.
            for j in 0..<n {
                var expected = before[j]
                if learn && best < 0 { expected = max(tMin, before[j] - fall) }
                if learn && j == best { expected = min(tMax, before[j] + rise) }
                XCTAssertEqual(after[j], expected, "event \(i) neuron \(j) threshold")
            }
            if best < 0 { misses += 1 } else { wins += 1 }
        }
        XCTAssertGreaterThan(wins, 0)
        XCTAssertGreaterThan(misses, 0)
        // The decay table: entry 0 = 1.0, non-increasing, last > 0.
        let table = try String(contentsOfFile: dir + "/v.decay.mem", encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("//") }.map { Int($0, radix: 16)! }
        XCTAssertEqual(table.count, v.int("decay_table_entries"))
        XCTAssertEqual(table.first, 1 << v.int("context_fraction_bits"))
        XCTAssertEqual(table, table.sorted(by: >))
        XCTAssertGreaterThan(table.last ?? 0, 0)
    }

    func testLearningVectorsReparseToWinnerIsArgmaxAndThresholdsStepByTheConfiguredLSBs() throws {
        try checkVectors(learn: true)
    }

    func testInferenceVectorsKeepThresholdsAndPickArgmaxOfEligibleScores() throws {
        try checkVectors(learn: false)
    }

    func testVectorsRejectAFloatNetwork() throws {
        let dir = try CLI.temporaryFolder(self)
        let data = try subset(train: 2, test: 0, in: dir)
        XCTAssertEqual(try CLI.run(["train", data, "-o", dir + "/f.h5", "--neurons", "4", "--radius", "1"]).status, 0)
        let r = try CLI.run(["vectors", "--network", dir + "/f.h5", try testRecording(), "-o", dir + "/v.txt"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("a float32 network; test vectors need fixed point"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/v.txt"))
    }

    // MARK: - export

    func testReadmemhExportEqualsTheNetworksRawIntegers() throws {
        let dir = try CLI.temporaryFolder(self)
        let net = try fixedNetwork(in: dir, extra: ["--weight-bits", "6", "--threshold-bits", "12"])
        let r = try CLI.run(["export", "--network", net, "--format", "readmemh", "-o", dir + "/net"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let layer = try NetworkFile.read(from: net).layer
        func words(_ file: String, bits: Int, signed: Bool) throws -> [Int64] {
            try String(contentsOfFile: dir + "/" + file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("//") }.map {
                XCTAssertEqual($0.count, (bits + 3) / 4, "one \(bits)-bit word per line")
                return HardwareCommandsTests.words("x=" + $0, prefix: "x=", bits: bits, signed: signed)[0]
            }
        }
        XCTAssertEqual(try words("net.weights.mem", bits: 6, signed: false), layer.rawWeights.map(Int64.init))
        XCTAssertEqual(try words("net.thresholds.mem", bits: 12, signed: true), layer.rawThresholds.map(Int64.init))
        XCTAssertTrue(layer.rawThresholds.contains { $0 < 0 } || layer.rawThresholds.contains { $0 > 0 })
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/net.decay.mem"))
    }

    func testCHeaderCompilesWithGccAndHoldsTheSameIntegers() throws {
        let gcc = ["/usr/bin/gcc", "/usr/local/bin/gcc", "/usr/bin/cc"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gcc else { throw XCTSkip("gcc not found: the C header is not compiled") }
        let dir = try CLI.temporaryFolder(self)
        let net = try fixedNetwork(in: dir)
        let r = try CLI.run(["export", "--network", net, "--format", "c-header", "-o", dir + "/net.h", "--prefix", "fx"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let program = """
            #include <stdio.h>
            #include "net.h"
            int main(void) {
                for (int n = 0; n < FX_NEURONS_TOTAL; n++)
                    for (int k = 0; k < FX_CONTEXT_LENGTH; k++) printf("%d\\n", (int)fx_weights[n][k]);
                for (int n = 0; n < FX_NEURONS_TOTAL; n++) printf("%d\\n", (int)fx_thresholds[n]);
                printf("%d %d %d\\n", FX_WEIGHT_BITS, FX_DECAY_TABLE_ENTRIES, (int)fx_decay_table[0]);
                return 0;
            }
            """
        try program.write(toFile: dir + "/main.c", atomically: true, encoding: .utf8)
        let build = try CLI.shell("cd '\(dir)' && '\(gcc)' -std=c99 -Wall -Wextra -Wpedantic -Werror main.c -o main 2>&1")
        XCTAssertEqual(build.status, 0, build.text)
        let run = try CLI.shell("'\(dir)/main'")
        XCTAssertEqual(run.status, 0)
        let layer = try NetworkFile.read(from: net).layer
        var expected = (layer.rawWeights + layer.rawThresholds).map { "\($0)" }
        expected.append("8 \(layer.fixedPoint!.decayTableEntries!) 128")
        XCTAssertEqual(run.text.split(separator: "\n").map(String.init), expected)
    }

    // MARK: - hw-report

    struct Report: Decodable {
        struct Memory: Decodable { var weights, thresholds, time_surface, decay_table, total: Int }
        struct Measured: Decodable { var events: Int; var accumulator_peak: Int64; var accumulator_bits_needed: Int; var accumulator_overflows: Int64 }
        var memory_bits: Memory
        var macs_per_event: Int
        var populations: Int
        var measured: Measured?
    }

    func hwReport(_ args: [String]) throws -> Report {
        let r = try CLI.run(["hw-report", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONDecoder().decode(Report.self, from: r.stdout)
    }

    func testHwReportMemoryMatchesHandComputedBits() throws {
        // N = 4, R = 1 (K = 9), 6-bit weights, 12-bit thresholds, 10×8 sensor, 20-bit
        // timestamps; τ = 1000 µs with 256 µs table steps: exp(−256·i/1000)·128 rounds
        // to 0 first at i = 22 (0.457), so 22 entries of 8 bits.
        let common = ["--neurons", "4", "--radius", "1", "--arithmetic", "fixed", "--weight-bits", "6", "--threshold-bits", "12",
                      "--timestamp-bits", "20", "--tau", "1000", "--decay-step-shift", "8", "--geometry", "10x8"]
        let shared = try hwReport(common)
        XCTAssertEqual(shared.memory_bits.weights, 4 * 9 * 6)
        XCTAssertEqual(shared.memory_bits.thresholds, 4 * 12)
        XCTAssertEqual(shared.memory_bits.time_surface, 10 * 8 * 20)
        XCTAssertEqual(shared.memory_bits.decay_table, 22 * 8)
        XCTAssertEqual(shared.memory_bits.total, 216 + 48 + 1600 + 176)
        XCTAssertEqual(shared.macs_per_event, 36)
        // One population and one time surface per polarity: twice the weights,
        // thresholds and surface; the same table and MACs per event.
        let split = try hwReport(common + ["--polarity-mode", "per-polarity"])
        XCTAssertEqual(split.populations, 2)
        XCTAssertEqual(split.memory_bits.weights, 2 * 216)
        XCTAssertEqual(split.memory_bits.thresholds, 2 * 48)
        XCTAssertEqual(split.memory_bits.time_surface, 2 * 1600)
        XCTAssertEqual(split.memory_bits.decay_table, 176)
        XCTAssertEqual(split.macs_per_event, 36)
    }

    func testHwReportMeasuresTheAccumulatorPeakOnData() throws {
        let dir = try CLI.temporaryFolder(self)
        let net = try fixedNetwork(in: dir)
        let data = try subset(train: 0, test: 3, in: dir)
        let report = try hwReport(["--network", net, "--data", data])
        let m = try XCTUnwrap(report.measured)
        XCTAssertGreaterThan(m.events, 1000)
        XCTAssertEqual(m.accumulator_overflows, 0)
        // Scores of unit vectors are ≤ 1.0 = 2^14 score LSBs (7 + 7 fractional
        // bits) up to rounding: the peak needs 16 signed bits.
        XCTAssertGreaterThan(m.accumulator_peak, 1 << 12)
        XCTAssertLessThan(m.accumulator_peak, 1 << 15)
        XCTAssertEqual(m.accumulator_bits_needed, 64 - m.accumulator_peak.leadingZeroBitCount + 1)
    }

    // MARK: - sweep bits

    func testSweepBitsReportsFloatAndEveryWordLengthWithTableCSVAndPlot() throws {
        let dir = try CLI.temporaryFolder(self)
        let data = try subset(train: 16, test: 8, in: dir)
        let r = try CLI.run(["sweep", "bits", data, "--weight-bits", "4,16", "--neurons", "4", "--radius", "1",
                             "--classifier", "centroid", "--json", "--csv", dir + "/s.csv", "--plot", dir + "/s.png"])
        XCTAssertEqual(r.status, 0, r.stderr)
        struct Out: Decodable {
            struct Row: Decodable { var label: String; var weight_bits: Int?; var agreement: Double; var miss_rate: Double; var accuracy: Double }
            var rows: [Row]
            var float_accuracy: Double
        }
        let out = try JSONDecoder().decode(Out.self, from: r.stdout)
        XCTAssertEqual(out.rows.map(\.label), ["float32", "w4/c4", "w16/c16"])
        XCTAssertEqual(out.rows[0].weight_bits, nil)
        XCTAssertEqual(out.rows[0].accuracy, out.float_accuracy)
        // 16-bit words reproduce the float winners almost always; 4-bit words do not.
        XCTAssertGreaterThan(out.rows[2].agreement, 0.97)
        XCTAssertGreaterThan(out.rows[2].agreement, out.rows[1].agreement)
        for row in out.rows { XCTAssertTrue((0...1).contains(row.miss_rate) && (0...1).contains(row.accuracy)) }
        let csv = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[0].hasPrefix("config,weight_bits,context_bits"))
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/s.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }
}
