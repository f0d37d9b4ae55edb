#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte sink written with `write(2)`: stdout (`-`) or a file that
/// appears whole on `finish()` (an ``AtomicFile``). Released without
/// `finish()`, a file output deletes its temporary file, so nothing
/// half-written is left. A closed pipe on stdout throws
/// ``FeastEventsError/outputClosed(path:)`` (the CLI ignores `SIGPIPE` and
/// ends quietly on it).
public final class ByteOutput {
    /// The destination path, or `-`.
    public let name: String
    private let fd: Int32
    private let atomic: AtomicFile?
    private var storage: UnsafeMutableRawPointer
    private let capacity: Int
    private var count = 0
    private var finished = false

    public static let defaultCapacity = 1 << 20

    /// Opens `path` for writing (`-` = stdout). Files are written to a
    /// temporary beside the destination.
    public init(path: String, capacity: Int = ByteOutput.defaultCapacity) throws {
        precondition(capacity >= 256)
        self.name = path
        self.capacity = capacity
        if path == "-" {
            fd = 1
            atomic = nil
        } else {
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                throw FeastEventsError.isDirectory(path: path)
            }
            let file = AtomicFile(destination: path)
            let opened = Glibc.open(file.temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if opened < 0 {
                throw FeastEventsError.io(path: path, operation: "create", reason: String(cString: strerror(errno)))
            }
            fd = opened
            atomic = file
        }
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if !finished, let atomic {
            close(fd)
            atomic.abort()
        }
        storage.deallocate()
    }

    /// Free bytes in the buffer.
    @inlinable public var freeSpace: Int { bufferCapacity - bufferedCount }
    public var bufferCapacity: Int { capacity }
    @usableFromInline var bufferedCount: Int { count }

    /// Calls `body` with space for at least `minimum` bytes; `body` returns
    /// how many it wrote. `minimum` must not exceed the capacity.
    @inlinable
    public func withSpace(minimum: Int, _ body: (UnsafeMutableRawPointer, Int) throws -> Int) throws {
        if freeSpace < minimum { try flush() }
        let written = try body(tail, freeSpace)
        precondition(written >= 0 && written <= freeSpace)
        didWrite(written)
    }

    @usableFromInline var tail: UnsafeMutableRawPointer { storage + count }
    @usableFromInline func didWrite(_ n: Int) { count += n }

    /// Appends bytes (any length).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            if freeSpace == 0 { try flush() }
            let n = min(freeSpace, rest.count)
            (storage + count).copyMemory(from: rest.baseAddress!, byteCount: n)
            count += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes the buffer out.
    public func flush() throws {
        var done = 0
        while done < count {
            let n = Glibc.write(fd, storage + done, count - done)
            if n >= 0 { done += n; continue }
            let code = errno
            if code == EINTR { continue }
            count = 0
            if code == EPIPE { throw FeastEventsError.outputClosed(path: name) }
            throw FeastEventsError.io(path: name, operation: "write", reason: String(cString: strerror(code)))
        }
        count = 0
    }

    /// Flushes and, for a file, closes it and moves it into place.
    public func finish() throws {
        guard !finished else { return }
        try flush()
        finished = true
        if let atomic {
            if close(fd) != 0 {
                atomic.abort()
                throw FeastEventsError.io(path: name, operation: "close", reason: String(cString: strerror(errno)))
            }
            try atomic.commit()
        }
    }
}
