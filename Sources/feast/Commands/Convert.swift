import FeastIO
import ArgumentParser
import FeastEvents
#if canImport(Glibc)
import Glibc
#endif

/// `feast convert IN OUT`: between `.bin`, CSV and HDF5, stdin and stdout,
/// optionally filtered. File outputs appear whole or not at all.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert event streams between formats (nmnist .bin, csv, hdf5 .h5); - is stdin/stdout.",
        discussion: """
            The formats come from the extensions or --from/--to (required for -). A closed \
            stdout (e.g. piping into head) ends the command quietly with status 0.
            """)

    @Argument(help: "Input file, or - for stdin.")
    var input: String

    @Argument(help: "Output file, or - for stdout.")
    var output: String

    @Option(help: "Input format when the header does not tell (default: from the extension).")
    var from: EventFormat?

    @Option(help: "Output format: nmnist, csv, hdf5, evt2, evt3, es (default: from the extension).")
    var to: WritableEventFormat?

    @Option(name: .customLong("out-columns"), help: ArgumentHelp("CSV output column order.", valueName: "t,x,y,p"))
    var outColumns: ColumnsArgument?

    @OptionGroup var inputOptions: EventInputOptions

    func run() throws {
        // A closed pipe then shows up as EPIPE from write(2), handled below,
        // instead of killing the process.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // past `ulimit -f`: EFBIG, reported, not a silent death
        let outputFormat = try EventFormat.resolve(to?.format, path: output)
        var source = try EventFileOpener.openSource(path: input, options: inputOptions.readOptions(format: from))
        var sink = try EventFileOpener.makeSink(path: output, format: outputFormat, geometry: source.geometry, columns: outColumns?.columns)
        var chunk = ContiguousArray<Event>()
        chunk.reserveCapacity(EventChunk.defaultCapacity)
        do {
            while try source.nextChunk(into: &chunk) {
                try sink.write(chunk)
            }
            try sink.finish()
        } catch FeastEventsError.outputClosed {
            return  // the reader of stdout has all it wanted
        }
        for warning in EventFileOpener.warnings(for: source) { Terminal.printError(warning) }
    }
}
