import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open HDF5 file: a thin, safe layer over the HDF5 C library.
///
/// Objects are named by absolute paths (`/events/x`); groups on the way are
/// created as needed. Every failure throws ``FeastIOError`` naming
/// ``name`` (the path the user knows, which differs from the on-disk path
/// while writing to an ``AtomicFile`` temporary) and the object.
///
/// Not `Sendable`: HDF5 ids are process-global handles and the library is
/// serialised by one lock, so parallel code should parallelise compute and
/// keep each file on one task. All ids are closed by `close()` or `deinit`.
public final class HDF5File {
    /// The file's name in messages.
    public let name: String
    /// Where the file is on disk.
    public let path: String
    /// True when opened with ``create(at:name:)``.
    public let isWritable: Bool
    let id: hid_t
    /// Transfer property list that aborts conversions on out-of-range values.
    let transfer: hid_t
    let overflow: OverflowFlag
    public private(set) var isOpen = true

    /// Set by the conversion callback when a value did not fit the memory type.
    final class OverflowFlag { var hit = false }

    private init(name: String, path: String, id: hid_t, writable: Bool) {
        self.name = name
        self.path = path
        self.id = id
        self.isWritable = writable
        self.overflow = OverflowFlag()
        self.transfer = H5Pcreate(feast_h5p_dataset_xfer())
        H5Pset_type_conv_cb(transfer, { kind, _, _, _, _, data in
            guard kind == H5T_CONV_EXCEPT_RANGE_HI || kind == H5T_CONV_EXCEPT_RANGE_LOW else { return H5T_CONV_UNHANDLED }
            if let data { Unmanaged<OverflowFlag>.fromOpaque(data).takeUnretainedValue().hit = true }
            return H5T_CONV_ABORT
        }, Unmanaged.passUnretained(overflow).toOpaque())
    }

    /// Creates (truncating) a file at `path`; `name` (default `path`) is used
    /// in messages. Writers pass an ``AtomicFile`` temporary path here and
    /// the destination as `name`.
    public static func create(at path: String, name: String? = nil) throws -> HDF5File {
        HDF5Library.prepareThread()
        let fapl = H5Pcreate(feast_h5p_file_access())
        defer { H5Pclose(fapl) }
        // Strong close: closing the file closes every object in it, so a
        // committed file is complete even if a dataset handle lingers.
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        errno = 0 // so a stale errno is not blamed for an HDF5 failure
        let id = H5Fcreate(path, feast_h5f_acc_trunc(), feast_h5p_default(), fapl)
        guard id >= 0 else {
            let detail = HDF5Library.takeErrorStack()
            let reason = errno != 0 ? String(cString: strerror(errno)) : detail
            throw FeastIOError.cannotOpen(file: name ?? path, reason: reason)
        }
        return HDF5File(name: name ?? path, path: path, id: id, writable: true)
    }

    /// Opens an existing file read-only.
    public static func open(_ path: String, name: String? = nil) throws -> HDF5File {
        HDF5Library.prepareThread()
        let shown = name ?? path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FeastIOError.cannotOpen(file: shown, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw FeastIOError.cannotOpen(file: shown, reason: "is a folder, expected an HDF5 file")
        }
        guard access(path, R_OK) == 0 else {
            throw FeastIOError.cannotOpen(file: shown, reason: String(cString: strerror(errno)))
        }
        HDF5CrashGuard.noteReading(shown)
        let fapl = H5Pcreate(feast_h5p_file_access())
        defer { H5Pclose(fapl) }
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        let id = H5Fopen(path, feast_h5f_acc_rdonly(), fapl)
        guard id >= 0 else {
            let detail = HDF5Library.takeErrorStack()
            // No signature (empty, text, a truncated header) is "not an
            // HDF5 file", not a library error. Checked only on failure:
            // H5Fis_hdf5 opens the file a second time.
            if H5Fis_hdf5(path) <= 0 {
                _ = HDF5Library.takeErrorStack()
                throw FeastIOError.notHDF5(file: shown)
            }
            throw FeastIOError.library(file: shown, object: "/", operation: "open", detail: detail)
        }
        return HDF5File(name: shown, path: path, id: id, writable: false)
    }

    /// Flushes and closes the file and every object still open in it.
    public func close() throws {
        guard isOpen else { return }
        HDF5Library.prepareThread()
        isOpen = false
        H5Pclose(transfer)
        if H5Fclose(id) < 0 {
            throw failure("close", object: "/")
        }
    }

    deinit {
        if isOpen {
            HDF5Library.prepareThread()
            H5Pclose(transfer)
            H5Fclose(id)
        }
    }

    // MARK: - Internal helpers

    /// The library error for a failed `operation`, with HDF5's error stack.
    func failure(_ operation: String, object: String) -> FeastIOError {
        .library(file: name, object: object, operation: operation, detail: HDF5Library.takeErrorStack())
    }

    func ensureOpen(_ object: String) throws {
        HDF5Library.prepareThread()
        guard isOpen else {
            throw FeastIOError.invalidArgument(file: name, object: object, reason: "file is already closed")
        }
    }

    func ensureWritable(_ object: String) throws {
        try ensureOpen(object)
        guard isWritable else {
            throw FeastIOError.invalidArgument(file: name, object: object, reason: "file is open read-only")
        }
    }

    /// Normalises an object path to absolute form without a trailing slash.
    static func normalise(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }

    /// A link-creation property list that creates missing parent groups.
    func withIntermediateGroups<R>(_ body: (hid_t) throws -> R) rethrows -> R {
        let lcpl = H5Pcreate(feast_h5p_link_create())
        defer { H5Pclose(lcpl) }
        H5Pset_create_intermediate_group(lcpl, 1)
        return try body(lcpl)
    }

    // MARK: - Objects and groups

    /// Whether the links of `path` exist, throwing when HDF5 cannot look
    /// them up (corrupt metadata) instead of reporting "missing".
    public func linkExists(_ path: String) throws -> Bool {
        try ensureOpen(path)
        var prefix = ""
        for part in HDF5File.normalise(path).split(separator: "/") {
            prefix += "/" + part
            let found = H5Lexists(id, prefix, feast_h5p_default())
            if found < 0 { throw failure("read", object: prefix) }
            if found == 0 { return false }
        }
        return true
    }

    /// True when an object (group or dataset) exists at `path`.
    public func exists(_ path: String) -> Bool {
        guard isOpen else { return false }
        HDF5Library.prepareThread()
        let full = HDF5File.normalise(path)
        if full == "/" { return true }
        var prefix = ""
        for part in full.split(separator: "/") {
            prefix += "/" + part
            if H5Lexists(id, prefix, feast_h5p_default()) <= 0 {
                _ = HDF5Library.takeErrorStack()
                return false
            }
        }
        return H5Oexists_by_name(id, full, feast_h5p_default()) > 0
    }

    /// The kind of object at `path`, or nil if there is none.
    public func objectKind(_ path: String) -> HDF5ObjectKind? {
        guard exists(path) else { return nil }
        let object = H5Oopen(id, HDF5File.normalise(path), feast_h5p_default())
        guard object >= 0 else { _ = HDF5Library.takeErrorStack(); return nil }
        defer { H5Oclose(object) }
        switch H5Iget_type(object) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// Creates a group (and any missing parents); an existing group is kept.
    public func createGroup(_ path: String) throws {
        let full = HDF5File.normalise(path)
        try ensureWritable(full)
        if full == "/" { return }
        if let kind = objectKind(full) {
            guard kind == .group else {
                throw FeastIOError.invalidArgument(file: name, object: full, reason: "exists and is not a group")
            }
            return
        }
        // No creation/modification times: the same content gives the same bytes.
        let gcpl = H5Pcreate(feast_h5p_group_create())
        defer { H5Pclose(gcpl) }
        H5Pset_obj_track_times(gcpl, false)
        let group = withIntermediateGroups { H5Gcreate2(id, full, $0, gcpl, feast_h5p_default()) }
        guard group >= 0 else { throw failure("create group", object: full) }
        H5Gclose(group)
    }

    /// Names of the objects directly inside group `path`, sorted by name.
    public func childNames(of path: String) throws -> [String] {
        let full = HDF5File.normalise(path)
        try ensureOpen(full)
        guard let kind = objectKind(full) else {
            throw FeastIOError.missing(file: name, object: full, expected: "a group")
        }
        guard kind == .group else {
            throw FeastIOError.wrongType(file: name, object: full, expected: "a group", found: "a \(kind)")
        }
        final class Names { var all: [String] = [] }
        let names = Names()
        let box = Unmanaged.passRetained(names)
        defer { box.release() }
        var index: hsize_t = 0
        let status = H5Literate_by_name(id, full, H5_INDEX_NAME, H5_ITER_INC, &index, { _, linkName, _, data in
            guard let linkName, let data else { return 0 }
            Unmanaged<Names>.fromOpaque(data).takeUnretainedValue().all.append(String(cString: linkName))
            return 0
        }, box.toOpaque(), feast_h5p_default())
        guard status >= 0 else { throw failure("list group", object: full) }
        return names.all
    }
}

/// What an object path refers to.
public enum HDF5ObjectKind: Sendable, Equatable, CustomStringConvertible {
    case group, dataset, other
    public var description: String {
        switch self {
        case .group: return "group"
        case .dataset: return "dataset"
        case .other: return "named datatype"
        }
    }
}
