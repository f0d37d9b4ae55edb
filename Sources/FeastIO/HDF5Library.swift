import CHDF5

/// Process-wide HDF5 plumbing: silencing HDF5's own error printing and
/// turning its error stack into one line for ``FeastIOError/library``.
///
/// Debian's HDF5 is a thread-safe build, where the error stack and its
/// automatic printer are per thread; so every public entry point calls
/// ``prepareThread()`` (one cheap library call) instead of relying on a
/// one-time set-up that would only cover the first thread.
enum HDF5Library {
    /// No HDF5 clean-up at exit: every file is closed explicitly (or by
    /// `deinit`), and after a failed `H5Fclose` (a full disk, `ulimit -f`)
    /// HDF5 1.10's exit-time clean-up dereferences the half-closed file and
    /// crashes, after feast has already reported the error (found by the
    /// full-disk test). Must precede the library's initialisation.
    static let opened: Bool = {
        H5dont_atexit()
        return H5open() >= 0
    }()

    /// Turns off HDF5's printing of error stacks to stderr on this thread.
    @inline(__always)
    static func prepareThread() {
        _ = opened
        H5Eset_auto2(feast_h5e_default(), nil, nil)
    }

    /// The current thread's error stack condensed to one line; clears it.
    static func takeErrorStack() -> String {
        final class Lines { var all: [String] = [] }
        let lines = Lines()
        let box = Unmanaged.passRetained(lines)
        defer { box.release() }
        H5Ewalk2(feast_h5e_default(), H5E_WALK_DOWNWARD, { _, error, data in
            guard let error, let data else { return 0 }
            let lines = Unmanaged<Lines>.fromOpaque(data).takeUnretainedValue()
            if let desc = error.pointee.desc {
                let text = String(cString: desc)
                if !text.isEmpty, !lines.all.contains(text) { lines.all.append(text) }
            }
            return 0
        }, box.toOpaque())
        H5Eclear2(feast_h5e_default())
        // Outermost (what failed) and innermost (why): the middle of an
        // HDF5 stack is library internals.
        guard let first = lines.all.first, let last = lines.all.last else { return "unknown HDF5 error" }
        return first == last ? first : "\(first): \(last)"
    }

    /// True for a number of 1, 2, 4 or 8 bytes whose precision fits its
    /// size. libhdf5 1.10 over-reads its own buffers converting a corrupt
    /// file's "float" of 260 bytes (found by fuzz-network), so such types
    /// are refused before any read.
    static func hasPlainSize(_ type: hid_t) -> Bool {
        let size = H5Tget_size(type)
        return [1, 2, 4, 8].contains(size) && H5Tget_precision(type) <= size * 8
    }

    /// A numpy-style name of an HDF5 datatype for messages: `uint16`,
    /// `int64`, `float32`, `string`, `compound`, ...
    static func describe(type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            return "\(signed ? "int" : "uint")\(size * 8)"
        case H5T_FLOAT: return "float\(size * 8)"
        case H5T_STRING: return "string"
        case H5T_COMPOUND: return "compound"
        case H5T_ENUM: return "enum (e.g. bool)"
        case H5T_ARRAY: return "array"
        case H5T_VLEN: return "variable-length sequence"
        case H5T_OPAQUE: return "opaque"
        case H5T_REFERENCE: return "reference"
        case H5T_BITFIELD: return "bitfield"
        case H5T_TIME: return "time"
        default: return "unknown type"
        }
    }
}

/// The element types FeastIO stores in numeric datasets and attributes.
public enum HDF5ElementKind: Sendable, Equatable {
    case uint8, uint16, int8, int32, int64, float32, float64

    /// True for integer kinds, false for floating point.
    public var isInteger: Bool {
        switch self {
        case .float32, .float64: return false
        default: return true
        }
    }

    /// numpy-style name (`uint16`, `float32`), used in messages.
    public var name: String {
        switch self {
        case .uint8: return "uint8"
        case .uint16: return "uint16"
        case .int8: return "int8"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }

    /// The native in-memory HDF5 type (not to be closed).
    var nativeType: hid_t {
        switch self {
        case .uint8: return feast_h5t_native_uint8()
        case .uint16: return feast_h5t_native_uint16()
        case .int8: return feast_h5t_native_int8()
        case .int32: return feast_h5t_native_int32()
        case .int64: return feast_h5t_native_int64()
        case .float32: return feast_h5t_native_float()
        case .float64: return feast_h5t_native_double()
        }
    }

    /// The little-endian file type written for this kind.
    var fileType: hid_t {
        switch self {
        case .uint8: return feast_h5t_std_u8le()
        case .uint16: return feast_h5t_std_u16le()
        case .int8: return feast_h5t_native_int8()
        case .int32: return feast_h5t_std_i32le()
        case .int64: return feast_h5t_std_i64le()
        case .float32: return feast_h5t_ieee_f32le()
        case .float64: return feast_h5t_ieee_f64le()
        }
    }

    /// Whether a file type of class `typeClass` may be read as this kind:
    /// integers as integers, floats as floats (HDF5 converts sizes and
    /// signedness, and FeastIO aborts on values out of range).
    func accepts(typeClass: H5T_class_t) -> Bool {
        isInteger ? typeClass == H5T_INTEGER : typeClass == H5T_FLOAT
    }

    /// "an integer" / "a float" dataset description for messages.
    var expectedClass: String { isInteger ? "integers" : "floating-point numbers" }
}

/// A Swift type that FeastIO can store as an HDF5 numeric element.
public protocol HDF5Element: Sendable {
    static var hdf5Kind: HDF5ElementKind { get }
    /// Zero, used to allocate read buffers.
    static var hdf5Zero: Self { get }
}

extension UInt8: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .uint8 }; public static var hdf5Zero: UInt8 { 0 } }
extension UInt16: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .uint16 }; public static var hdf5Zero: UInt16 { 0 } }
extension Int8: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .int8 }; public static var hdf5Zero: Int8 { 0 } }
extension Int32: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .int32 }; public static var hdf5Zero: Int32 { 0 } }
extension Int64: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .int64 }; public static var hdf5Zero: Int64 { 0 } }
extension Float: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .float32 }; public static var hdf5Zero: Float { 0 } }
extension Double: HDF5Element { public static var hdf5Kind: HDF5ElementKind { .float64 }; public static var hdf5Zero: Double { 0 } }

/// A scalar or array attribute value.
public enum HDF5AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case ints([Int])
    case doubles([Double])

    public var description: String {
        switch self {
        case let .int(v): return "\(v)"
        case let .double(v): return "\(v)"
        case let .string(v): return "\"\(v)\""
        case let .ints(v): return "\(v)"
        case let .doubles(v): return "\(v)"
        }
    }
}
