#if canImport(Glibc)
import Glibc
#endif
import FeastEvents

/// Helpers shared by the fuzz targets: turn libFuzzer's bytes into readers
/// and check what the readers produce.
public enum FuzzInput {
    /// The fuzz input as a `ByteInput` read through `read(2)` from an
    /// unlinked temporary file (in /dev/shm when it exists) with a buffer of `capacity` bytes (≥ 64), so records and
    /// lines split across refills are exercised, not only a single buffer.
    public static func descriptorInput(_ bytes: UnsafeBufferPointer<UInt8>, capacity: Int, name: String) -> ByteInput {
        // An unlinked temporary file: read(2) semantics, nothing left behind.
        let path = temporaryFile(bytes, suffix: "")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        unlink(path)
        precondition(fd >= 0, "cannot reopen the temporary file")
        return ByteInput(fd: fd, name: name, ownsDescriptor: true, capacity: max(64, capacity))
    }

    /// Writes the fuzz input to a temporary file (for readers that need a
    /// path, such as HDF5) and returns its path; remove it after use.
    public static func temporaryFile(_ bytes: UnsafeBufferPointer<UInt8>, suffix: String) -> String {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(folder)/feast-fuzz-XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        precondition(fd >= 0, "mkstemps failed")
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "write to temporary file failed")
            written += n
        }
        close(fd)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Reads `source` to the end, trapping when an event breaks the
    /// reader's contract (address outside the geometry, polarity not 0/1):
    /// a trap is a finding, a thrown error is a correct rejection.
    /// Returns the number of events read (or `nil` when it threw).
    @discardableResult
    public static func drain<S: EventSource>(_ source: inout S) -> Int? {
        var chunk = ContiguousArray<Event>()
        var total = 0
        do {
            while try source.nextChunk(into: &chunk) {
                precondition(!chunk.isEmpty, "nextChunk returned true with an empty chunk")
                for event in chunk {
                    precondition(Int(event.x) < source.geometry.width && Int(event.y) < source.geometry.height,
                                 "event outside the geometry: \(event)")
                    precondition(event.polarity <= 1, "polarity not 0/1: \(event)")
                }
                total += chunk.count
            }
            precondition(chunk.isEmpty, "nextChunk returned false with events left in the chunk")
            return total
        } catch {
            // Every error must render a message naming the source.
            precondition(String(describing: error).contains(source.name), "error without the file name: \(error)")
            return nil
        }
    }
}
