import Foundation
import XCTest

/// Runs every row of `Corpus/options.tsv` (a bad flag value or a conflicting
/// combination, see its header) through the CLI and checks the exit status,
/// the exact message, no crash, no hang and no output left behind.
final class OptionValidationTests: XCTestCase {
    struct Case {
        var line: Int
        var arguments: [String]
        var exit: Int32
        var expected: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func loadTable() throws -> [Case] {
        let path = MalformedInputCorpusTests.corpusFolder + "/options.tsv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var cases = [Case]()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let exit = Int32(fields[1]), !fields[2].isEmpty else {
                throw NSError(domain: "options.tsv", code: 1, userInfo: [NSLocalizedDescriptionKey: "options.tsv:\(index + 1): expected arguments<TAB>exit<TAB>message"])
            }
            cases.append(Case(line: index + 1, arguments: fields[0].split(separator: " ").map(String.init), exit: exit, expected: fields[2]))
        }
        return cases
    }

    func testEveryBadOptionIsRejectedNamingTheFlagTheValueAndWhatIsExpected() throws {
        _ = try CLI.binary()
        let cases = try Self.loadTable()
        XCTAssertGreaterThanOrEqual(cases.count, 80, "the table lost its rows")
        let folder = try CLI.temporaryFolder(self)
        let simulated = try CLI.run(["simulate", "--out", folder + "/data", "--train-per-class", "1", "--test-per-class", "1", "--seed", "4"])
        XCTAssertEqual(simulated.status, 0, simulated.stderr)
        let seeds = Self.packageRoot.appendingPathComponent("Fuzz/corpus/fuzz-network").path
        let places = ["{data}": folder + "/data", "{net}": seeds + "/float-n2-r1.h5", "{fixed}": seeds + "/fixed-n3-r1.h5",
                      "{corpus}": MalformedInputCorpusTests.corpusFolder]
        var commands = Set<String>()
        for (number, item) in cases.enumerated() {
            commands.insert(item.arguments.first ?? "")
            var outputs = [String]()
            let arguments = item.arguments.map { argument -> String in
                var argument = argument
                for (key, value) in places { argument = argument.replacingOccurrences(of: key, with: value) }
                if let open = argument.range(of: "{out."), let close = argument.range(of: "}", range: open.upperBound..<argument.endIndex) {
                    let output = "out-\(number).\(argument[open.upperBound..<close.lowerBound])"
                    argument.replaceSubrange(open.lowerBound..<close.upperBound, with: output)
                    outputs.append(output)
                }
                return argument
            }
            let context = "options.tsv:\(item.line): feast \(item.arguments.joined(separator: " "))"
            let result = try MalformedInputCorpusTests.run(arguments, in: folder)
            XCTAssertFalse(result.timedOut, "\(context): hung (killed after 30 s)")
            XCTAssertFalse(result.signalled, "\(context): crashed with signal \(result.status); stderr: \(result.stderr)")
            XCTAssertEqual(result.status, item.exit, "\(context): exit status; stderr: \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("Error: "), "\(context): no error message: \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(item.expected), "\(context): stderr lacks '\(item.expected)': \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(context): a trap, not an error message: \(result.stderr)")
            for output in outputs {
                XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + output), "\(context): left \(output)")
            }
        }
        for command in ["train", "extract", "stream", "evaluate", "size", "sweep", "simulate", "convert"] {
            XCTAssertTrue(commands.contains(command), "no row checks feast \(command)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/sim"), "a rejected simulate wrote its folder")
    }
}
