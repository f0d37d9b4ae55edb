#if canImport(Glibc)
import Glibc
#endif

/// Turns known libhdf5 crashes into an error message.
///
/// Debian's libhdf5 1.10.8 divides by zero (SIGFPE) in `H5D__chunk_set_info`
/// when a corrupt file's chunk layout is inconsistent, and dereferences wild
/// pointers (SIGSEGV) in `H5HG_read` when a variable-length string points
/// into a corrupt global heap (both found by the fuzzers; later HDF5 versions
/// return errors). Nothing can be recovered inside HDF5 at that point, but
/// the user should read which file is damaged, not "Segmentation fault".
/// The handler acts only on a fault whose instruction is inside libhdf5
/// (Swift's own traps are SIGILL/SIGTRAP, and a fault in feast code is not
/// in that range): it prints the file last opened through ``HDF5File`` and
/// exits with status 1. Any other fault goes to the handler that was there
/// before (the Swift backtracer, a sanitizer, or the default).
enum HDF5CrashGuard {
    /// The message, formatted ahead of time (a signal handler must not
    /// allocate). Written on the thread doing HDF5 calls (HDF5 is serial
    /// behind its global lock); read only by the handler.
    nonisolated(unsafe) private static let message = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) private static var previous = sigaction()
    nonisolated(unsafe) private static var previousSegv = sigaction()
    nonisolated(unsafe) private static var previousBus = sigaction()
    /// The message after the file name and before the signal name (the
    /// handler writes: message, signal name, ``suffix``).
    private static let suffix: StaticString = ") on corrupt metadata; the file is damaged (HDF5 1.10 bug; newer HDF5 reports an error)\n"
    private static let capacity = 4_096

    /// Addresses of libhdf5's mappings (from /proc/self/maps, read before
    /// the handler is installed: the handler only compares).
    nonisolated(unsafe) private static var libraryRange: Range<UInt> = 0..<0

    /// Installs the handlers once (called when HDF5 is first used).
    static let installed: Bool = {
        libraryRange = mappedRange(of: "libhdf5")
        guard !libraryRange.isEmpty else { return false }
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, context in
            if let pc = HDF5CrashGuard.faultingInstruction(signal, info, context),
               pc >= HDF5CrashGuard.libraryRange.lowerBound && pc < HDF5CrashGuard.libraryRange.upperBound {
                let name: StaticString = signal == SIGFPE ? "SIGFPE" : signal == SIGSEGV ? "SIGSEGV" : "SIGBUS"
                _ = write(2, HDF5CrashGuard.message, HDF5CrashGuard.messageLength)
                _ = write(2, name.utf8Start, name.utf8CodeUnitCount)
                _ = write(2, HDF5CrashGuard.suffix.utf8Start, HDF5CrashGuard.suffix.utf8CodeUnitCount)
                _exit(1)
            }
            // Not ours: restore the previous handler; the instruction faults again.
            switch signal {
            case SIGSEGV: sigaction(signal, &HDF5CrashGuard.previousSegv, nil)
            case SIGBUS: sigaction(signal, &HDF5CrashGuard.previousBus, nil)
            default: sigaction(signal, &HDF5CrashGuard.previous, nil)
            }
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGFPE, &action, &previous)
        sigaction(SIGSEGV, &action, &previousSegv)
        sigaction(SIGBUS, &action, &previousBus)
        return true
    }()

    /// The address of the faulting instruction: for SIGFPE `si_addr`; for
    /// SIGSEGV/SIGBUS (where `si_addr` is the data address) the saved
    /// instruction pointer, known on x86-64 Linux only (nil elsewhere).
    private static func faultingInstruction(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                            _ context: UnsafeMutableRawPointer?) -> UInt? {
        if signal == SIGFPE {
            return info.map { UInt(bitPattern: $0.pointee._sifields._sigfault.si_addr) }
        }
        #if os(Linux) && arch(x86_64)
        guard let context else { return nil }
        let rip = context.assumingMemoryBound(to: ucontext_t.self).pointee.uc_mcontext.gregs.16  // REG_RIP
        return UInt(bitPattern: Int(rip))
        #else
        return nil
        #endif
    }

    /// Records that `file` is being read, for the message.
    static func noteReading(_ file: String) {
        _ = installed
        let text = "Error: \(file): cannot read: libhdf5 crashed ("
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
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.contains(name) else { continue }
            let bounds = text.prefix { $0 != " " }.split(separator: "-")
            guard bounds.count == 2, let a = UInt(bounds[0], radix: 16), let b = UInt(bounds[1], radix: 16) else { continue }
            low = min(low, a)
            high = max(high, b)
        }
        return low < high ? low..<high : 0..<0
    }
}
