import FeastCore
import FeastIO
import FeastBench
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// stderr output: warnings, logs and the progress bar. stdout is for data.
enum Terminal {
    /// True when stderr is a terminal: only then is a progress bar drawn.
    static let stderrIsTerminal: Bool = isatty(2) != 0

    /// Writes one line to stderr.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes a line to stderr with write(2): unbuffered, and no shared C
    /// `stderr` global (safe from worker threads).
    static func printError(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Writes `warning: ...` to stderr.
    static func warn(_ message: String) {
        log("warning: \(message)")
    }
}

/// A one-line progress bar on stderr, redrawn at most 10 times a second, and
/// drawn only when stderr is a terminal (so logs and pipes stay clean).
struct ProgressBar {
    let title: String
    let total: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    init(title: String, total: Int, enabled: Bool = Terminal.stderrIsTerminal) {
        self.title = title
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Redraws with `done` of `total` units and an extra status text.
    mutating func update(_ done: Int, status: String = "") {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = "\r\(title) \(bar) \(Int(fraction * 100))% \(status) ETA \(Self.clock(eta))\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Prints one JSON object on stdout (``FeastJSON``'s style).
func printJSON<T: Encodable>(_ value: T) throws {
    FileHandle.standardOutput.write(Data(try FeastJSON.text(value).utf8))
}

/// Ctrl-C as a request: the first SIGINT sets a flag that long loops poll
/// (to save a checkpoint and exit cleanly); a second one ends the process.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    /// /dev/null, opened ahead for the handler (-1: stdin is left alone).
    nonisolated(unsafe) private static var nullInput: Int32 = -1

    static var requested: Bool { flag != 0 }

    /// With `endingInput` (a stream waiting on stdin), the first Ctrl-C also
    /// ends the input: stdin becomes /dev/null and the handler does not
    /// restart the interrupted read(2), so a stream idle on a quiet pipe
    /// stops at once instead of at the next event.
    static func install(endingInput: Bool = false) {
        if endingInput { nullInput = open("/dev/null", O_RDONLY | O_CLOEXEC) }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
            if Interrupt.nullInput >= 0 { _ = dup2(Interrupt.nullInput, 0) }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocked read returns EINTR
        sigaction(SIGINT, &action, nil)
    }
}

extension BenchConsole {
    /// Tables on stdout, progress on stderr.
    static let terminal = BenchConsole(out: { print($0) }, log: { Terminal.printError($0) })
}
