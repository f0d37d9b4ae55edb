#if canImport(Glibc)
import Glibc
#endif

/// Turns one known libhdf5 crash into an error message.
///
/// Debian's libhdf5 1.10.8 divides by zero (SIGFPE) in `H5D__chunk_set_info`
/// when a corrupt file's chunk layout is inconsistent (found by fuzz-hdf5;
/// later HDF5 versions return an error). Nothing can be recovered inside
/// HDF5 at that point, but the user should read which file is damaged, not
/// "Floating point exception". Swift's own arithmetic traps with SIGILL or
/// SIGTRAP, never SIGFPE, so the handler acts only on a SIGFPE raised by an
/// instruction inside libhdf5: it prints the file last opened through
/// ``HDF5File`` and exits with status 1. Any other SIGFPE goes to the handler
/// that was there before.
enum HDF5CrashGuard {
    /// The message, formatted ahead of time (a signal handler must not
    /// allocate). Written on the thread doing HDF5 calls (HDF5 is serial
    /// behind its global lock); read only by the handler.
    nonisolated(unsafe) private static let message = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) private static var previous = sigaction()
    private static let capacity = 4_096

    /// Addresses of libhdf5's mappings (from /proc/self/maps, read before
    /// the handler is installed: the handler only compares).
    nonisolated(unsafe) private static var libraryRange: Range<UInt> = 0..<0

    /// Installs the handler once (called when HDF5 is first used).
    static let installed: Bool = {
        libraryRange = mappedRange(of: "libhdf5")
        guard !libraryRange.isEmpty else { return false }
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, _ in
            if let address = info?.pointee._sifields._sigfault.si_addr {
                let pc = UInt(bitPattern: address)
                if pc >= HDF5CrashGuard.libraryRange.lowerBound && pc < HDF5CrashGuard.libraryRange.upperBound {
                    _ = write(2, HDF5CrashGuard.message, HDF5CrashGuard.messageLength)
                    _exit(1)
                }
            }
            // Not ours: restore the previous handler; the instruction faults again.
            sigaction(signal, &HDF5CrashGuard.previous, nil)
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGFPE, &action, &previous)
        return true
    }()

    /// Records that `file` is being read, for the message.
    static func noteReading(_ file: String) {
        _ = installed
        let text = "Error: \(file): cannot read: libhdf5 crashed (SIGFPE) on corrupt metadata; the file is damaged (HDF5 1.10 bug; newer HDF5 reports an error)\n"
        let bytes = Array(text.utf8.prefix(capacity))
        // Length first to 0 so a signal in between prints nothing torn.
        messageLength = 0
        bytes.withUnsafeBufferPointer { message.update(from: $0.baseAddress!, count: $0.count) }
        messageLength = bytes.count
    }

    /// The span of the process's mappings whose file name contains `name`.
    private static func mappedRange(of name: String) -> Range<UInt> {
        guard let file = fopen("/proc/self/maps", "r") else { return 0..<0 }
        defer { fclose(file) }
        var low = UInt.max, high: UInt = 0
        var line = [CChar](repeating: 0, count: 4_096)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            guard text.contains(name) else { continue }
            let bounds = text.prefix { $0 != " " }.split(separator: "-")
            guard bounds.count == 2, let a = UInt(bounds[0], radix: 16), let b = UInt(bounds[1], radix: 16) else { continue }
            low = min(low, a)
            high = max(high, b)
        }
        return low < high ? low..<high : 0..<0
    }
}
