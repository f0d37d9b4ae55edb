import FeastCore
import ArgumentParser
import FeastEvents
import FeastAnalysis
import FeastIO
import FeastLearning
import Foundation

/// `feast merge OUT SHARD...`: joins the outputs of the `n` shards of one
/// run (`--shard i/n`) into the output the run would give in one piece.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the outputs of feast extract/size/evaluate --shard i/n runs into the single run's output.",
        discussion: """
            Inputs, in any order, must be all n shards 0/n … n-1/n of one run, each once: the same \
            network (file contents), options and input list, which every shard file records. \
            feast extract shards (-o PART.h5: output events or --features files) merge into the .h5 \
            file one extract run writes, byte for byte; feast size shards (-o PART.json) merge into \
            the report one size run gives: OUT .json is what size --json prints, .csv what --csv \
            writes, - prints the table (wall time: the shards' sum); feast evaluate shards (-o PART.json) \
            merge into the report of one evaluate run: OUT .json is what evaluate --json prints, - the \
            text report (confusion counts added up; times: the shards' sums). OUT is written whole or not at all.
            """)

    @Argument(help: "Merged output (.h5 for extract shards; .json, .csv or - for size shards; .json or - for evaluate shards).")
    var output: String

    @Argument(help: "The shard outputs.")
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard files to merge after \(output)") }
    }

    func run() throws {
        if let first = try SizeShard.read(from: shards[0]) {
            let (report, count) = try ShardMerge.size(shards, first: first)
            let lower = output.lowercased()
            if output == "-" {
                print(report.table)
                return
            } else if lower.hasSuffix(".json") {
                try FeastJSON.text(report.json).writeAtomically(to: output)
            } else if lower.hasSuffix(".csv") {
                try report.csv.writeAtomically(to: output)
            } else {
                throw MergeError.badOutput(path: output, reason: "size shards merge into a report: OUT must end in .json or .csv, or be - for the table")
            }
            Terminal.log("wrote \(output): \(report.points.count) rows from \(count) shards")
        } else if let first = try EvaluateShard.read(from: shards[0]) {
            let (report, best, wall, count) = try ShardMerge.evaluate(shards, first: first)
            if output == "-" {
                print(report.text(best: best, wall: wall))
            } else if output.lowercased().hasSuffix(".json") {
                try FeastJSON.text(StageReportJSON(report: report, best: best, wall: wall)).writeAtomically(to: output)
                Terminal.log("wrote \(output): \(report.testCount) test recordings from \(count) shards")
            } else {
                throw MergeError.badOutput(path: output, reason: "evaluate shards merge into a report: OUT must end in .json (what evaluate --json prints), or be - for the text report")
            }
        } else {
            let merged = try ShardMerge.extract(shards, to: output, shouldStop: { Interrupt.requested })
            Terminal.log("wrote \(output): " + merged)
        }
    }
}
