import ArgumentParser
import Dispatch
import FeastEvents
import FeastSimulator
import Foundation

/// `feast simulate`: synthetic N-MNIST-style recordings in the N-MNIST
/// layout (`Train/<digit>/NNNNN.bin`, `Test/...`) plus `labels.csv`.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic recordings: N-MNIST-style digits (default) or aircraft passing a 304×240 sensor.",
        discussion: """
            digits: DIR/Train/<digit>/NNNNN.bin and DIR/Test/<digit>/NNNNN.bin in the N-MNIST \
            5-byte format (drawn digits, three saccades, DVS pixel model). planes: four aircraft \
            silhouettes (0 airliner, 1 delta jet, 2 propeller, 3 glider) crossing an ATIS-sized \
            304×240 sensor at varied speed, height, direction and distance, one 400 ms pass per \
            recording, as DIR/Train/<class>/NNNNN.es (Event Stream) through the same pixel model; \
            its realism figures go to stderr. Both write DIR/labels.csv (file,label,split). The \
            output depends only on --seed and the counts, not on the number of cores.
            """)

    /// What to simulate.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case digits, planes
    }

    @Option(help: "What to simulate: digits (N-MNIST-style, 34×34) or planes (aircraft on 304×240).")
    var kind: Kind = .digits

    @Option(name: .long, help: "Output folder (created if missing).")
    var out: String?

    @Option(name: .long, parsing: .unconditional, help: "Training recordings per digit.")
    var trainPerClass: Int = 100

    @Option(name: .long, parsing: .unconditional, help: "Test recordings per digit.")
    var testPerClass: Int = 20

    @Option(name: .long, parsing: .unconditional, help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(name: .long, parsing: .unconditional, help: "Instead of digits: recordings of K known local patterns plus noise (KnownPatternsGenerator), all labelled 0, --train-per-class of them, for checking network-size heuristics (feast size --no-classifier).")
    var knownPatterns: Int?

    @Option(name: .long, parsing: .unconditional, help: "With --known-patterns: the context radius the patterns and noise rate are made for.")
    var patternRadius: Int = 2

    @Option(name: .long, help: .hidden)
    var realism: String?

    @Option(name: .long, parsing: .unconditional, help: .hidden)
    var realismPerClass: Int = 30

    func validate() throws {
        if realism == nil && out == nil { throw ValidationError("give --out DIR (the folder to write the recordings into)") }
        if let k = knownPatterns, k < 1 { throw ValidationError("--known-patterns must be at least 1") }
        if kind == .planes && (knownPatterns != nil || realism != nil) {
            throw ValidationError("--kind planes: --known-patterns and --realism are for digits; expected --kind digits")
        }
        if patternRadius < 1 || 2 * patternRadius + 3 > 34 { throw ValidationError("--pattern-radius must be 1…15") }
        if trainPerClass < 0 || testPerClass < 0 { throw ValidationError("--train-per-class and --test-per-class must not be negative") }
        if realism == nil && trainPerClass == 0 && (knownPatterns != nil || testPerClass == 0) {
            throw ValidationError(knownPatterns != nil ? "--train-per-class 0 with --known-patterns: nothing to simulate; expected at least 1 recording"
                                                       : "--train-per-class 0 and --test-per-class 0: nothing to simulate; expected at least 1 recording")
        }
        if trainPerClass > 99_999 / 10 || testPerClass > 99_999 / 10 {
            throw ValidationError("at most 9999 recordings per class and split (file names have five digits)")
        }
    }

    func run() throws {
        if let realDirectory = realism {
            // Hidden: the realism table of datasets/README.md.
            let report = try RealismReport.run(realDirectory: realDirectory, perClass: realismPerClass, seed: seed)
            print(report.markdown, terminator: "")
            return
        }
        guard let out else { return }
        if let k = knownPatterns {
            let generator = KnownPatternsGenerator(k: k, radius: patternRadius, seed: seed)
            try SyntheticDatasetWriter.write(knownPatterns: generator, count: trainPerClass, to: out)
            FileHandle.standardError.write(Data("feast simulate: \(trainPerClass) recordings of \(k) known patterns in \(out)\n".utf8))
            return
        }
        let plan = kind == .planes
            ? SyntheticDatasetPlan.planes(trainPerClass: trainPerClass, testPerClass: testPerClass, seed: seed)
            : SyntheticDatasetPlan(trainPerClass: trainPerClass, testPerClass: testPerClass, seed: seed)
        let started = DispatchTime.now()
        var figures = ""
        if kind == .planes {
            figures = try SyntheticDatasetWriter.write(planes: plan, to: out).markdown
        } else {
            try SyntheticDatasetWriter.write(plan: plan, to: out)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        FileHandle.standardError.write(Data((String(format: "feast simulate: %d recordings (%d train, %d test) in %@ (%.1f s)\n",
                                                    plan.items.count, plan.classes * trainPerClass, plan.classes * testPerClass, out, seconds) + figures).utf8))
    }
}
