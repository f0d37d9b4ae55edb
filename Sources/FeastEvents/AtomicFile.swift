import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that appears whole or not at all: writers write to a temporary
/// file in the destination's folder (same file system, so `rename(2)` is
/// atomic) and `commit()` renames it over the destination. `abort()` (or
/// never committing and calling `abort()` from a `defer`) deletes the
/// temporary file and leaves any previous destination untouched.
public struct AtomicFile: Sendable {
    /// Where the file will appear.
    public let destination: String
    /// Where it is written meanwhile: `.<name>.tmp-<pid>-<n>` beside it.
    public let temporaryPath: String

    public init(destination: String) {
        // Past the file-size limit (`ulimit -f`) a write must fail with
        // EFBIG, reported like any other write error with the temporary file
        // removed, not kill the process with SIGXFSZ and leave it behind.
        // Ignored here, where every output file of the tool starts.
        signal(SIGXFSZ, SIG_IGN)
        self.destination = destination
        let slash = destination.lastIndex(of: "/")
        let folder = slash.map { String(destination[...$0]) } ?? ""
        let base = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        // pid + a random tag: unique across processes and across threads
        // writing in parallel (no shared counter to race on).
        let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        self.temporaryPath = "\(folder).\(base).tmp-\(getpid())-\(tag)"
    }

    /// Moves the temporary file into place (after an `fsync` of it).
    public func commit() throws {
        let fd = open(temporaryPath, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
        if rename(temporaryPath, destination) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AtomicFileError(path: destination, reason: reason)
        }
    }

    /// Removes the temporary file, if any.
    public func abort() {
        unlink(temporaryPath)
    }
}

/// Renaming a finished temporary file over its destination failed.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot move the finished file into place: \(reason)" }
}

extension String {
    /// Writes the text (UTF-8) to `path` whole or not at all.
    public func writeAtomically(to path: String) throws {
        let file = AtomicFile(destination: path)
        do {
            try Data(utf8).write(to: URL(fileURLWithPath: file.temporaryPath))
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
}
