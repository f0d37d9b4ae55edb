#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte stream read with `read(2)` from a file descriptor (a file,
/// stdin or a pipe) or served from bytes already in memory.
///
/// Decoders look at `available` bytes at `bytes`, `consume(_:)` what they
/// used and call `fill()` for more; bytes not consumed stay in front, so a
/// record split across two `read(2)` calls is seen whole. Not thread-safe;
/// one reader owns it. Closes its descriptor (never stdin) when released.
public final class ByteInput {
    /// A name for messages: the path, or `-` for stdin.
    public let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var storage: UnsafeMutableRawPointer
    private let capacity: Int
    private var start = 0
    private var end = 0
    /// True once `read(2)` returned 0 (or for memory input).
    public private(set) var reachedEnd = false
    /// Bytes consumed so far: the byte offset of `bytes` in the stream.
    public private(set) var offset = 0

    /// Default buffer: 5 × 64 Ki bytes, one `.bin` chunk per `read(2)`.
    public static let defaultCapacity = 5 * 65_536

    /// Reads from an open descriptor. `ownsDescriptor` closes it on release.
    public init(fd: Int32, name: String, ownsDescriptor: Bool, capacity: Int = ByteInput.defaultCapacity) {
        precondition(capacity >= 64)
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// Serves `bytes` from memory (archive entries, tests).
    public init(bytes: [UInt8], name: String) {
        self.fd = -1
        self.name = name
        self.ownsDescriptor = false
        self.capacity = max(bytes.count, 1)
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { storage.copyMemory(from: base, byteCount: bytes.count) } }
        self.end = bytes.count
        self.reachedEnd = true
    }

    /// Opens `path` for reading; `-` is stdin. Missing files and folders
    /// give their own errors.
    public static func open(path: String, capacity: Int = ByteInput.defaultCapacity) throws -> ByteInput {
        if path == "-" { return ByteInput(fd: 0, name: "-", ownsDescriptor: false, capacity: capacity) }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw FeastEventsError.fileNotFound(path: path) }
            throw FeastEventsError.io(path: path, operation: "open", reason: String(cString: strerror(code)))
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FeastEventsError.isDirectory(path: path)
        }
        return ByteInput(fd: fd, name: path, ownsDescriptor: true, capacity: capacity)
    }

    deinit {
        if ownsDescriptor { close(fd) }
        storage.deallocate()
    }

    /// The unconsumed bytes.
    @inlinable public var bytes: UnsafeRawPointer { UnsafeRawPointer(storageBase + startIndex) }
    /// Number of unconsumed bytes at `bytes`.
    @inlinable public var available: Int { endIndex - startIndex }
    /// The buffer size: the longest run of bytes a decoder can see at once.
    public var bufferCapacity: Int { capacity }

    @usableFromInline var storageBase: UnsafeMutableRawPointer { storage }
    @usableFromInline var startIndex: Int { start }
    @usableFromInline var endIndex: Int { end }

    /// Marks `count` bytes at the front as used.
    @inlinable public func consume(_ count: Int) {
        precondition(count >= 0 && count <= available)
        advance(count)
    }

    @usableFromInline func advance(_ count: Int) {
        start &+= count
        offset &+= count
        if start == end { start = 0; end = 0 }
    }

    /// Reads more bytes after the unconsumed ones (moving those to the front
    /// first when needed). Returns `false` at end of stream or when the
    /// buffer is full. One `read(2)` at most, so pipes deliver promptly.
    @discardableResult
    public func fill() throws -> Bool {
        if reachedEnd { return false }
        if start > 0 && (end == capacity || capacity - end < capacity / 4) {
            let count = end - start
            if count > 0 { memmove(storage, storage + start, count) }
            start = 0
            end = count
        }
        if end == capacity { return false }
        while true {
            let n = read(fd, storage + end, capacity - end)
            if n > 0 { end += n; return true }
            if n == 0 { reachedEnd = true; return false }
            let code = errno
            if code == EINTR { continue }
            if code == EISDIR { throw FeastEventsError.isDirectory(path: name) }
            throw FeastEventsError.io(path: name, operation: "read", reason: String(cString: strerror(code)))
        }
    }

    /// Fills until at least `count` bytes are available, the stream ends
    /// or the buffer is full. Returns whether `count` bytes are available.
    public func fill(atLeast count: Int) throws -> Bool {
        while available < count {
            if !(try fill()) { break }
        }
        return available >= count
    }
}
