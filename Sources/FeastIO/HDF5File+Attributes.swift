import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HDF5File {
    /// Opens the object (group or dataset) at `full` for attribute work.
    private func openObject(_ full: String) throws -> hid_t {
        try ensureOpen(full)
        guard exists(full) else {
            throw FeastIOError.missing(file: name, object: full, expected: "a group or dataset")
        }
        let object = H5Oopen(id, full, feast_h5p_default())
        guard object >= 0 else { throw failure("open object", object: full) }
        return object
    }

    /// Sets (replacing) attribute `attribute` on the object at `path`.
    /// Integers are stored as int64, reals as float64, strings as
    /// variable-length UTF-8 (h5py shows `str`), arrays as 1-D.
    public func setAttribute(_ attribute: String, _ value: HDF5AttributeValue, on path: String = "/") throws {
        let full = HDF5File.normalise(path)
        try ensureWritable(full)
        let object = try openObject(full)
        defer { H5Oclose(object) }
        if H5Aexists(object, attribute) > 0 { H5Adelete(object, attribute) }
        let where_ = "\(full) attribute '\(attribute)'"

        func create(type: hid_t, count: Int?, write: (hid_t) -> herr_t) throws {
            let space: hid_t
            if let count {
                var dims = [hsize_t(count)]
                space = H5Screate_simple(1, &dims, nil)
            } else {
                space = H5Screate(H5S_SCALAR)
            }
            defer { H5Sclose(space) }
            let attr = H5Acreate2(object, attribute, type, space, feast_h5p_default(), feast_h5p_default())
            guard attr >= 0 else { throw failure("create", object: where_) }
            defer { H5Aclose(attr) }
            guard write(attr) >= 0 else { throw failure("write", object: where_) }
        }

        switch value {
        case .int(let v):
            var x = Int64(v)
            try create(type: feast_h5t_std_i64le(), count: nil) { H5Awrite($0, feast_h5t_native_int64(), &x) }
        case .double(let v):
            var x = v
            try create(type: feast_h5t_ieee_f64le(), count: nil) { H5Awrite($0, feast_h5t_native_double(), &x) }
        case .string(let s):
            let type = HDF5File.variableStringType()
            defer { H5Tclose(type) }
            try s.withCString { c in
                var pointer: UnsafePointer<CChar>? = c
                try create(type: type, count: nil) { H5Awrite($0, type, &pointer) }
            }
        case .ints(let v):
            let xs = v.map { Int64($0) }
            try create(type: feast_h5t_std_i64le(), count: xs.count) { attr in
                xs.withUnsafeBufferPointer { H5Awrite(attr, feast_h5t_native_int64(), $0.baseAddress) }
            }
        case .doubles(let v):
            try create(type: feast_h5t_ieee_f64le(), count: v.count) { attr in
                v.withUnsafeBufferPointer { H5Awrite(attr, feast_h5t_native_double(), $0.baseAddress) }
            }
        }
    }

    /// Sets several attributes on the object at `path`.
    public func setAttributes(_ attributes: [String: HDF5AttributeValue], on path: String = "/") throws {
        for key in attributes.keys.sorted() { try setAttribute(key, attributes[key]!, on: path) }
    }

    /// True when the object at `path` has attribute `attribute`.
    public func hasAttribute(_ attribute: String, on path: String = "/") -> Bool {
        guard let object = try? openObject(HDF5File.normalise(path)) else { return false }
        defer { H5Oclose(object) }
        return H5Aexists(object, attribute) > 0
    }

    /// Names of the attributes of the object at `path`, sorted.
    public func attributeNames(of path: String = "/") throws -> [String] {
        let full = HDF5File.normalise(path)
        let object = try openObject(full)
        defer { H5Oclose(object) }
        final class Names { var all: [String] = [] }
        let names = Names()
        let box = Unmanaged.passRetained(names)
        defer { box.release() }
        var index: hsize_t = 0
        let status = H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, { _, attrName, _, data in
            guard let attrName, let data else { return 0 }
            Unmanaged<Names>.fromOpaque(data).takeUnretainedValue().all.append(String(cString: attrName))
            return 0
        }, box.toOpaque())
        guard status >= 0 else { throw failure("list attributes", object: full) }
        return names.all
    }

    /// Reads attribute `attribute` of the object at `path`: integers as
    /// `.int`/`.ints`, reals as `.double`/`.doubles`, a string as `.string`.
    public func attribute(_ attribute: String, of path: String = "/") throws -> HDF5AttributeValue {
        let full = HDF5File.normalise(path)
        let object = try openObject(full)
        defer { H5Oclose(object) }
        let where_ = "\(full) attribute '\(attribute)'"
        guard H5Aexists(object, attribute) > 0 else {
            throw FeastIOError.missingAttribute(file: name, object: full, attribute: attribute, expected: "a value")
        }
        let attr = H5Aopen(object, attribute, feast_h5p_default())
        guard attr >= 0 else { throw failure("open", object: where_) }
        defer { H5Aclose(attr) }
        let type = H5Aget_type(attr)
        defer { H5Tclose(type) }
        let space = H5Aget_space(attr)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard rank <= 1 else {
            throw FeastIOError.wrongShape(file: name, object: where_, expected: "a scalar or 1-D attribute", found: "\(rank)-D")
        }
        let typeClass = H5Tget_class(type)
        if typeClass == H5T_INTEGER || typeClass == H5T_FLOAT, !HDF5Library.hasPlainSize(type) {
            throw FeastIOError.wrongType(file: name, object: where_, expected: "a number of 1, 2, 4 or 8 bytes",
                                         found: HDF5Library.describe(type: type))
        }
        switch typeClass {
        case H5T_INTEGER:
            var xs = [Int64](repeating: 0, count: count)
            overflow.hit = false
            guard xs.withUnsafeMutableBufferPointer({ H5Aread(attr, feast_h5t_native_int64(), $0.baseAddress) }) >= 0 else {
                throw failure("read", object: where_)
            }
            return rank == 0 ? .int(Int(xs[0])) : .ints(xs.map { Int($0) })
        case H5T_FLOAT:
            var xs = [Double](repeating: 0, count: count)
            guard xs.withUnsafeMutableBufferPointer({ H5Aread(attr, feast_h5t_native_double(), $0.baseAddress) }) >= 0 else {
                throw failure("read", object: where_)
            }
            return rank == 0 ? .double(xs[0]) : .doubles(xs)
        case H5T_STRING:
            let strings = try readStrings(object: where_, storedType: type, count: count) { memoryType, buffer in
                H5Aread(attr, memoryType, buffer)
            }
            guard strings.count == 1 else {
                throw FeastIOError.wrongShape(file: name, object: where_, expected: "one string", found: "\(strings.count) strings")
            }
            return .string(strings[0])
        default:
            throw FeastIOError.wrongType(file: name, object: where_, expected: "a number or a string",
                                         found: HDF5Library.describe(type: type))
        }
    }

    /// Reads an integer attribute (a scalar, or a 1-element array).
    public func intAttribute(_ attribute: String, of path: String = "/") throws -> Int {
        let value = try typedAttribute(attribute, of: path, expected: "an integer")
        switch value {
        case .int(let v): return v
        case .ints(let v) where v.count == 1: return v[0]
        default: throw attributeTypeError(attribute, of: path, expected: "an integer", found: value)
        }
    }

    /// Reads a real attribute; integers are accepted and converted.
    public func doubleAttribute(_ attribute: String, of path: String = "/") throws -> Double {
        let value = try typedAttribute(attribute, of: path, expected: "a number")
        switch value {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case .doubles(let v) where v.count == 1: return v[0]
        default: throw attributeTypeError(attribute, of: path, expected: "a number", found: value)
        }
    }

    /// Reads a string attribute.
    public func stringAttribute(_ attribute: String, of path: String = "/") throws -> String {
        let value = try typedAttribute(attribute, of: path, expected: "a string")
        guard case .string(let s) = value else {
            throw attributeTypeError(attribute, of: path, expected: "a string", found: value)
        }
        return s
    }

    /// Reads an array of integers (a scalar counts as one element).
    public func intArrayAttribute(_ attribute: String, of path: String = "/") throws -> [Int] {
        let value = try typedAttribute(attribute, of: path, expected: "integers")
        switch value {
        case .ints(let v): return v
        case .int(let v): return [v]
        default: throw attributeTypeError(attribute, of: path, expected: "integers", found: value)
        }
    }

    /// Reads an array of reals (integers are converted).
    public func doubleArrayAttribute(_ attribute: String, of path: String = "/") throws -> [Double] {
        let value = try typedAttribute(attribute, of: path, expected: "numbers")
        switch value {
        case .doubles(let v): return v
        case .double(let v): return [v]
        case .ints(let v): return v.map(Double.init)
        case .int(let v): return [Double(v)]
        default: throw attributeTypeError(attribute, of: path, expected: "numbers", found: value)
        }
    }

    private func typedAttribute(_ attribute: String, of path: String, expected: String) throws -> HDF5AttributeValue {
        let full = HDF5File.normalise(path)
        do {
            return try self.attribute(attribute, of: full)
        } catch FeastIOError.missingAttribute(let file, let object, let attribute, _) {
            throw FeastIOError.missingAttribute(file: file, object: object, attribute: attribute, expected: expected)
        }
    }

    private func attributeTypeError(_ attribute: String, of path: String, expected: String, found: HDF5AttributeValue) -> FeastIOError {
        let kind: String
        switch found {
        case .int: kind = "an integer"
        case .double: kind = "a real number"
        case .string: kind = "a string"
        case .ints(let v): kind = "\(v.count) integers"
        case .doubles(let v): kind = "\(v.count) real numbers"
        }
        return .wrongType(file: name, object: "\(HDF5File.normalise(path)) attribute '\(attribute)'", expected: expected, found: kind)
    }
}
