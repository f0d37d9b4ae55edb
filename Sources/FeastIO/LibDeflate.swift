#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Optional acceleration: libdeflate (shipped with libtiff on Debian, so
/// usually present) inflates about twice as fast as zlib. It is loaded with
/// `dlopen` when available; without it the reader uses zlib, with the same
/// results. Set `FEAST_NO_LIBDEFLATE=1` to force zlib.
///
/// Unchecked Sendable: every field is immutable after initialisation, and
/// a decompressor object is only ever used by one thread at a time (one
/// per chunk slot).
final class LibDeflate: @unchecked Sendable {
    typealias Alloc = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    /// (decompressor, in, in_nbytes, out, out_nbytes_avail, actual_out) -> result (0 = success)
    typealias Decompress = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int,
                                           UnsafeMutablePointer<Int>?) -> Int32

    let alloc: Alloc
    let free: Free
    let decompress: Decompress

    /// The loaded library, or nil.
    static let shared: LibDeflate? = LibDeflate()

    private init?() {
        if getenv("FEAST_NO_LIBDEFLATE") != nil { return nil }
        guard let handle = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libdeflate.so", RTLD_NOW | RTLD_LOCAL),
              let a = dlsym(handle, "libdeflate_alloc_decompressor"),
              let f = dlsym(handle, "libdeflate_free_decompressor"),
              let d = dlsym(handle, "libdeflate_deflate_decompress") else { return nil }
        alloc = unsafeBitCast(a, to: Alloc.self)
        free = unsafeBitCast(f, to: Free.self)
        decompress = unsafeBitCast(d, to: Decompress.self)
    }

    /// Raw-deflate decompresses `input` into exactly `output.count` bytes;
    /// returns the bytes produced or -1.
    func inflate(_ decompressor: OpaquePointer, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var produced = 0
        let status = decompress(decompressor, input.baseAddress, input.count, output.baseAddress, output.count, &produced)
        return status == 0 ? produced : -1
    }
}
