import FeastCore
import Foundation
import FeastEvents

/// Whole-or-nothing text outputs of the hardware commands.
public enum HardwareFiles {
    /// Writes `text` to `path` atomically (`-` = stdout).
    public static func write(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try text.writeAtomically(to: path)
    }

    /// `path` without a final `.txt`/`.mem`/`.memh`/`.hex`/`.h` extension
    /// (the base name of companion files).
    public static func stem(_ path: String) -> String {
        for ext in [".txt", ".memh", ".mem", ".hex", ".h"] where path.lowercased().hasSuffix(ext) {
            return String(path.dropLast(ext.count))
        }
        return path
    }

    /// A `$readmemh` file: `//` comment lines, then one word per line.
    public static func readmemh(comment: [String], words: [Int64], bits: Int) -> String {
        var s = comment.map { "// \($0)\n" }.joined()
        s.reserveCapacity(s.utf8.count + words.count * (HardwareWords.digits(bits) + 1))
        for w in words { s += HardwareWords.hex(w, bits: bits); s += "\n" }
        return s
    }
}
