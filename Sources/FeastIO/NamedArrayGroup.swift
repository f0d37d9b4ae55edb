/// The values of one named array, in one of the four element types that
/// network files and classifier state use.
public enum NamedArrayValues: Sendable, Equatable {
    case float([Float])
    case double([Double])
    case int32([Int32])
    case int64([Int64])

    public var count: Int {
        switch self {
        case .float(let v): return v.count
        case .double(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        }
    }

    /// numpy-style element type name.
    public var typeName: String {
        switch self {
        case .float: return "float32"
        case .double: return "float64"
        case .int32: return "int32"
        case .int64: return "int64"
        }
    }
}

/// A named array: row-major values with the extent of each dimension.
public struct NamedArray: Sendable, Equatable {
    public var values: NamedArrayValues
    public var shape: [Int]

    public init(_ values: NamedArrayValues, shape: [Int]? = nil) {
        self.values = values
        self.shape = shape ?? [values.count]
    }
    public init(_ values: [Float], shape: [Int]? = nil) { self.init(.float(values), shape: shape) }
    public init(_ values: [Double], shape: [Int]? = nil) { self.init(.double(values), shape: shape) }
    public init(_ values: [Int32], shape: [Int]? = nil) { self.init(.int32(values), shape: shape) }
    public init(_ values: [Int64], shape: [Int]? = nil) { self.init(.int64(values), shape: shape) }
}

/// A group of named arrays, scalar/array attributes and nested groups: the
/// generic container under FEAST network files and classifier state.
///
/// In HDF5 each array is a dataset of the group (chunked, shuffle + gzip),
/// each attribute an attribute of the group, each nested group a subgroup.
/// After ``read(from:at:)`` the typed accessors (``floats(_:shape:)``...)
/// throw ``FeastIOError`` naming the file and the dataset when an array is
/// missing or has the wrong type or shape.
public struct NamedArrayGroup: Sendable, Equatable {
    public var arrays: [String: NamedArray]
    public var attributes: [String: HDF5AttributeValue]
    public var groups: [String: NamedArrayGroup]
    /// File and group path this group was read from (for messages); not
    /// part of equality.
    public private(set) var origin: (file: String, path: String) = ("<memory>", "/")

    public init(arrays: [String: NamedArray] = [:], attributes: [String: HDF5AttributeValue] = [:],
                groups: [String: NamedArrayGroup] = [:]) {
        self.arrays = arrays
        self.attributes = attributes
        self.groups = groups
    }

    public static func == (a: NamedArrayGroup, b: NamedArrayGroup) -> Bool {
        a.arrays == b.arrays && a.attributes == b.attributes && a.groups == b.groups
    }

    // MARK: - Writing and reading

    /// Writes the group at `path` (created if needed) of `file`.
    public func write(to file: HDF5File, at path: String) throws {
        let base = HDF5File.normalise(path)
        try file.createGroup(base)
        let prefix = base == "/" ? "/" : base + "/"
        for name in arrays.keys.sorted() {
            let array = arrays[name]!
            let target = prefix + name
            guard array.shape.allSatisfy({ $0 >= 0 }), array.shape.reduce(1, *) == array.values.count else {
                throw FeastIOError.invalidArgument(file: file.name, object: target,
                                                   reason: "\(array.values.count) values do not fill shape \(array.shape)")
            }
            switch array.values {
            case .float(let v): try file.write(v, shape: array.shape, to: target)
            case .double(let v): try file.write(v, shape: array.shape, to: target)
            case .int32(let v): try file.write(v, shape: array.shape, to: target)
            case .int64(let v): try file.write(v, shape: array.shape, to: target)
            }
        }
        try file.setAttributes(attributes, on: base)
        for name in groups.keys.sorted() { try groups[name]!.write(to: file, at: prefix + name) }
    }

    /// Reads the group at `path` with all its datasets, attributes and
    /// subgroups. float32 reads as `.float`, float64 as `.double`, integers
    /// up to 32 bits as `.int32`, wider ones as `.int64`.
    public static func read(from file: HDF5File, at path: String) throws -> NamedArrayGroup {
        let base = HDF5File.normalise(path)
        guard let kind = file.objectKind(base) else {
            throw FeastIOError.missing(file: file.name, object: base, expected: "a group of named arrays")
        }
        guard kind == .group else {
            throw FeastIOError.wrongType(file: file.name, object: base, expected: "a group of named arrays", found: "a \(kind)")
        }
        var group = NamedArrayGroup()
        group.origin = (file.name, base)
        let prefix = base == "/" ? "/" : base + "/"
        for name in try file.childNames(of: base) {
            let target = prefix + name
            switch file.objectKind(target) {
            case .group:
                group.groups[name] = try read(from: file, at: target)
            case .dataset:
                let dataset = try file.dataset(target)
                defer { dataset.close() }
                let shape = dataset.shape
                let type = dataset.typeName
                let values: NamedArrayValues
                switch type {
                case "float32": values = .float(try dataset.readAll(Float.self))
                case "float64": values = .double(try dataset.readAll(Double.self))
                case "int64", "uint64": values = .int64(try dataset.readAll(Int64.self))
                case _ where dataset.holdsIntegers: values = .int32(try dataset.readAll(Int32.self))
                default:
                    throw FeastIOError.wrongType(file: file.name, object: target, expected: "a numeric array", found: type)
                }
                group.arrays[name] = NamedArray(values, shape: shape)
            default:
                continue
            }
        }
        for name in try file.attributeNames(of: base) { group.attributes[name] = try file.attribute(name, of: base) }
        return group
    }

    // MARK: - Typed access with clear errors

    private func objectPath(_ name: String) -> String {
        origin.path == "/" ? "/" + name : origin.path + "/" + name
    }

    /// The array `name`, checked against `shape` when given.
    public func array(_ name: String, shape: [Int]? = nil) throws -> NamedArray {
        guard let array = arrays[name] else {
            let what = shape.map { "an array of shape \($0.map(String.init).joined(separator: "×"))" } ?? "an array"
            throw FeastIOError.missing(file: origin.file, object: objectPath(name), expected: what)
        }
        if let shape, array.shape != shape {
            throw FeastIOError.wrongShape(file: origin.file, object: objectPath(name),
                                          expected: shape.map(String.init).joined(separator: "×"),
                                          found: array.shape.map(String.init).joined(separator: "×"))
        }
        return array
    }

    private func typeError(_ name: String, expected: String, found: NamedArray) -> FeastIOError {
        .wrongType(file: origin.file, object: objectPath(name), expected: expected, found: found.values.typeName)
    }

    /// float32 values of `name`.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let a = try array(name, shape: shape)
        guard case .float(let v) = a.values else { throw typeError(name, expected: "float32", found: a) }
        return v
    }

    /// float64 values of `name` (float32 arrays are widened).
    public func doubles(_ name: String, shape: [Int]? = nil) throws -> [Double] {
        let a = try array(name, shape: shape)
        switch a.values {
        case .double(let v): return v
        case .float(let v): return v.map(Double.init)
        default: throw typeError(name, expected: "float64", found: a)
        }
    }

    /// int32 values of `name`.
    public func int32s(_ name: String, shape: [Int]? = nil) throws -> [Int32] {
        let a = try array(name, shape: shape)
        guard case .int32(let v) = a.values else { throw typeError(name, expected: "int32", found: a) }
        return v
    }

    /// int64 values of `name` (int32 arrays are widened).
    public func int64s(_ name: String, shape: [Int]? = nil) throws -> [Int64] {
        let a = try array(name, shape: shape)
        switch a.values {
        case .int64(let v): return v
        case .int32(let v): return v.map(Int64.init)
        default: throw typeError(name, expected: "int64", found: a)
        }
    }

    /// The nested group `name`.
    public func group(_ name: String) throws -> NamedArrayGroup {
        guard let g = groups[name] else {
            throw FeastIOError.missing(file: origin.file, object: objectPath(name), expected: "a group")
        }
        return g
    }

    private func attributeValue(_ name: String, expected: String) throws -> HDF5AttributeValue {
        guard let value = attributes[name] else {
            throw FeastIOError.missingAttribute(file: origin.file, object: origin.path, attribute: name, expected: expected)
        }
        return value
    }

    private func attributeError(_ name: String, expected: String, found: HDF5AttributeValue) -> FeastIOError {
        .wrongType(file: origin.file, object: "\(origin.path) attribute '\(name)'", expected: expected, found: "\(found)")
    }

    /// Integer attribute `name`.
    public func int(_ name: String) throws -> Int {
        let v = try attributeValue(name, expected: "an integer")
        guard case .int(let x) = v else { throw attributeError(name, expected: "an integer", found: v) }
        return x
    }

    /// Real attribute `name` (integers accepted).
    public func double(_ name: String) throws -> Double {
        let v = try attributeValue(name, expected: "a number")
        switch v {
        case .double(let x): return x
        case .int(let x): return Double(x)
        default: throw attributeError(name, expected: "a number", found: v)
        }
    }

    /// String attribute `name`.
    public func string(_ name: String) throws -> String {
        let v = try attributeValue(name, expected: "a string")
        guard case .string(let x) = v else { throw attributeError(name, expected: "a string", found: v) }
        return x
    }

    // MARK: - Whole files

    /// Writes the group as the root of a new file at `path`, atomically.
    public func writeFile(to path: String) throws {
        try HDF5File.writeAtomically(to: path) { try write(to: $0, at: "/") }
    }

    /// Reads the root group of the file at `path`.
    public static func readFile(from path: String) throws -> NamedArrayGroup {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        return try read(from: file, at: "/")
    }
}
