import Foundation
import XCTest

/// Runs every file of `Corpus/` through the CLI as `Corpus/expected.tsv`
/// says (see its header for the format) and checks exit status, message,
/// no crash, no hang and no output left behind after a failure.
final class MalformedInputCorpusTests: XCTestCase {
    struct Case {
        var line: Int
        var file: String
        var arguments: [String]
        var exit: Int32
        var expected: String
    }

    static var corpusFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path
    }

    static func loadManifest() throws -> [Case] {
        let text = try String(contentsOfFile: corpusFolder + "/expected.tsv", encoding: .utf8)
        var cases = [Case]()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 || fields.count == 4, let exit = Int32(fields[2]) else {
                throw NSError(domain: "expected.tsv", code: 1, userInfo: [NSLocalizedDescriptionKey: "expected.tsv:\(index + 1): expected file<TAB>arguments<TAB>exit<TAB>substring"])
            }
            cases.append(Case(line: index + 1, file: fields[0], arguments: fields[1].split(separator: " ").map(String.init),
                              exit: exit, expected: fields.count == 4 ? fields[3] : ""))
        }
        return cases
    }

    /// Files too large to commit, written deterministically.
    static func writeGenerated(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/generated", withIntermediateDirectories: true)
        // A 1 MB line after a good one.
        var longLine = Data("t,x,y,p\n1,2,3,1\n".utf8)
        longLine.append(Data(repeating: UInt8(ascii: "9"), count: 1 << 20))
        longLine.append(Data(",1,1,1\n".utf8))
        try longLine.write(to: URL(fileURLWithPath: folder + "/generated/long-line.csv"))
    }

    /// Runs feast in `folder`; kills it after `timeout` seconds.
    static func run(_ arguments: [String], in folder: String, timeout: TimeInterval = 30) throws -> (status: Int32, signalled: Bool, timedOut: Bool, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        nonisolated(unsafe) var errorData = Data()
        nonisolated(unsafe) var outputData = Data()
        let readers = DispatchGroup()
        for (pipe, isError) in [(out, false), (err, true)] {
            readers.enter()
            Thread.detachNewThread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isError { errorData = data } else { outputData = data }
                readers.leave()
            }
        }
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        readers.wait()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, timedOut,
                String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    func testEveryCorpusFileGivesItsExpectedExitAndMessageWithoutCrashOrHang() throws {
        _ = try CLI.binary()
        let cases = try Self.loadManifest()
        XCTAssertGreaterThanOrEqual(cases.count, 40, "the manifest lost its cases")
        let folder = try CLI.temporaryFolder(self) + "/corpus"
        try FileManager.default.copyItem(atPath: Self.corpusFolder, toPath: folder)
        try Self.writeGenerated(in: folder)
        var covered = Set<String>()
        for (number, item) in cases.enumerated() {
            let context = "expected.tsv:\(item.line): \(item.file) \(item.arguments.joined(separator: " "))"
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + item.file), "\(context): no such corpus file")
            covered.insert(item.file)
            var outputs = [String]()
            let arguments = item.arguments.map { argument -> String in
                var argument = argument.replacingOccurrences(of: "{file}", with: item.file)
                    .replacingOccurrences(of: "{corpus}", with: folder)
                if let open = argument.range(of: "{out."), let close = argument.range(of: "}", range: open.upperBound..<argument.endIndex) {
                    let output = "out-\(number).\(argument[open.upperBound..<close.lowerBound])"
                    argument.replaceSubrange(open.lowerBound..<close.upperBound, with: output)
                    outputs.append(output)
                }
                return argument
            }
            let result = try Self.run(arguments, in: folder)
            XCTAssertFalse(result.timedOut, "\(context): hung (killed after 30 s)")
            XCTAssertFalse(result.signalled, "\(context): crashed with signal \(result.status); stderr: \(result.stderr)")
            XCTAssertEqual(result.status, item.exit, "\(context): exit status; stderr: \(result.stderr)")
            if item.exit == 0 {
                if !item.expected.isEmpty {
                    XCTAssertTrue(result.stdout.contains(item.expected), "\(context): stdout lacks '\(item.expected)': \(result.stdout.prefix(400))")
                }
                for output in outputs {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + output), "\(context): wrote no \(output)")
                }
            } else {
                let name = (item.file as NSString).lastPathComponent
                XCTAssertTrue(result.stderr.contains(item.expected), "\(context): stderr lacks '\(item.expected)': \(result.stderr)")
                XCTAssertTrue(result.stderr.contains(name) || item.arguments.contains(where: { $0.hasPrefix("{out") }),
                              "\(context): message does not name the file: \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("Fatal error"), "\(context): a trap, not an error message: \(result.stderr)")
                for output in outputs {
                    XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + output), "\(context): left a partial \(output)")
                }
            }
        }
        // Every committed event file is exercised by at least one row.
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.corpusFolder)
            .filter { [".bin", ".csv", ".h5"].contains(where: $0.hasSuffix) }
        for file in committed {
            XCTAssertTrue(covered.contains(file), "Corpus/\(file) has no row in expected.tsv")
        }
    }
}
