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
        self.destination = destination
        let slash = destination.lastIndex(of: "/")
        let folder = slash.map { String(destination[...$0]) } ?? ""
        let base = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        self.temporaryPath = "\(folder).\(base).tmp-\(getpid())-\(AtomicFile.nextSerial())"
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

    /// Serial number of the temporaries of this process, behind a lock:
    /// writers run on several threads (simulate writes a dataset in
    /// parallel), and two equal serials would make two writers share one
    /// temporary file (found by ThreadSanitizer).
    nonisolated(unsafe) private static var serial = 0
    nonisolated(unsafe) private static let serialLock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    private static func nextSerial() -> Int {
        pthread_mutex_lock(serialLock)
        defer { pthread_mutex_unlock(serialLock) }
        serial &+= 1
        return serial
    }
}

/// Renaming a finished temporary file over its destination failed.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot move the finished file into place: \(reason)" }
}
