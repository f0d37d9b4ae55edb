import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns one known libhdf5 hang into an error message.
///
/// Debian's libhdf5 1.10.8 loops forever (in `H5HG_read`, decoding a global
/// heap collection) when a corrupt file's variable-length string points
/// into a damaged heap (found by fuzz-network on a network file's
/// `state_json`). Nothing can be recovered inside HDF5, but the user should
/// read which file is damaged instead of waiting forever. Reading a
/// variable-length string takes microseconds, so such a read is guarded by
/// `alarm(2)`: if it has not returned after ``seconds``, the SIGALRM
/// handler prints the message prepared beforehand (a handler must not
/// allocate) and exits with status 1. Nothing else in feast uses SIGALRM.
/// `FEAST_HDF5_READ_TIMEOUT=0` turns the guard off (scripts/fuzz.sh does,
/// so that libFuzzer itself reports the hang).
enum HDF5HangGuard {
    /// Budget of one variable-length string read, seconds (default 5).
    static let seconds: UInt32 = {
        guard let text = getenv("FEAST_HDF5_READ_TIMEOUT"), let value = UInt32(String(cString: text)) else { return 5 }
        return value
    }()

    nonisolated(unsafe) private static let message = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var messageLength = 0
    private static let capacity = 4_096
    /// Serialises guarded reads (HDF5 serialises them anyway): one message
    /// and one alarm at a time.
    private static let lock = NSLock()

    static let installed: Bool = {
        signal(SIGALRM) { _ in
            _ = write(2, HDF5HangGuard.message, HDF5HangGuard.messageLength)
            _exit(1)
        }
        return true
    }()

    /// Runs `body` (one HDF5 read of `object` in `file`) under the alarm.
    static func guarding<R>(file: String, object: String, _ body: () throws -> R) rethrows -> R {
        guard seconds > 0 else { return try body() }
        _ = installed
        lock.lock()
        defer { lock.unlock() }
        let text = "Error: \(file): \(object): cannot read: libhdf5 did not finish reading a variable-length string in \(seconds) s (a corrupt global heap makes HDF5 1.10 loop forever); the file is damaged\n"
        let bytes = Array(text.utf8.prefix(capacity))
        messageLength = 0
        bytes.withUnsafeBufferPointer { message.update(from: $0.baseAddress!, count: $0.count) }
        messageLength = bytes.count
        alarm(seconds)
        defer { alarm(0) }
        return try body()
    }
}
