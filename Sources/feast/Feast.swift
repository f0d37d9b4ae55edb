import ArgumentParser

/// `feast`: FEAST feature extraction for address-event streams.
///
/// stdout carries data only (events, CSV, JSON); logs, warnings and progress
/// go to stderr. `-` means stdin or stdout wherever a file is expected.
@main
struct Feast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feast",
        abstract: "FEAST: feature extraction with adaptive selection thresholds for event streams.",
        version: "0.1.0",
        subcommands: [
            Info.self, Convert.self, Simulate.self, Train.self, Extract.self, Stream.self,
            Evaluate.self, Fit.self, Classify.self, Size.self, Demo.self, Render.self, Bench.self,
            Vectors.self, HwReport.self, Export.self, Sweep.self, Merge.self,
        ])

    /// ArgumentParser's main, with library errors that carry fields
    /// reported in the flags' spelling (``FlagNames``).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch is CancellationError {
            // A library run stopped by Ctrl-C (``Interrupt``): the shell's 128 + SIGINT.
            exit(withError: ExitCode(130))
        } catch {
            exit(withError: FlagNames.message(for: error).map { FlagError(description: $0) } ?? error)
        }
    }
}
