/// A bounds-checked view of one flatbuffer (an AEDAT 4 IOHeader or packet),
/// enough of the format for AEDAT 4's tables: root table, vtable fields,
/// scalars, strings and vectors of structs. Every read is checked against
/// the buffer, so a corrupt offset is an error naming where it points, not
/// a crash; nothing is copied.
///
/// Layout (flatbuffers.dev, "internals"): little-endian; the root is a
/// uint32 offset to a table; a table starts with an int32 soffset back to
/// its vtable; a vtable is uint16 vtable size, uint16 table size, then one
/// uint16 offset per field (0 = absent); a vector or string field holds a
/// uint32 offset (from the field) to a uint32 count followed by the
/// elements.
struct FlatBufferView {
    /// The flatbuffer's bytes (after any size prefix).
    let bytes: UnsafeRawBufferPointer

    /// Why a read failed, with the offset inside the flatbuffer.
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    private func check(_ offset: Int, _ count: Int, _ what: String) throws {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw Failure(offset: offset, reason: "\(what) at \(offset) + \(count) bytes is outside the \(bytes.count)-byte flatbuffer")
        }
    }

    func uint16(_ offset: Int) throws -> Int {
        try check(offset, 2, "uint16")
        return Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    func uint32(_ offset: Int) throws -> Int {
        try check(offset, 4, "uint32")
        return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    func int32(_ offset: Int) throws -> Int {
        try check(offset, 4, "int32")
        return Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
    }

    func int64(_ offset: Int) throws -> Int64 {
        try check(offset, 8, "int64")
        return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    /// The root table's position.
    func rootTable() throws -> Int {
        let table = try uint32(0)
        try check(table, 4, "root table")
        return table
    }

    /// The position of field `index` of the table at `table`, nil when absent.
    func field(_ index: Int, ofTable table: Int) throws -> Int? {
        let vtable = table - (try int32(table))
        let vtableSize = try uint16(vtable)
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw Failure(offset: vtable, reason: "vtable of \(vtableSize) bytes; expected an even size of at least 4")
        }
        let entry = 4 + 2 * index
        guard entry + 2 <= vtableSize else { return nil }
        let offset = try uint16(vtable + entry)
        guard offset != 0 else { return nil }
        let tableSize = try uint16(vtable + 2)
        guard offset < tableSize else {
            throw Failure(offset: vtable + entry, reason: "field \(index) at table offset \(offset), beyond the table's \(tableSize) bytes")
        }
        return table + offset
    }

    /// The vector referenced by the offset field at `field`: the first
    /// element's position and the count, all `elementSize`-byte elements
    /// inside the buffer.
    func vector(at field: Int, elementSize: Int) throws -> (start: Int, count: Int) {
        let position = field + (try uint32(field))
        let count = try uint32(position)
        guard count <= (bytes.count - position - 4) / elementSize else {
            throw Failure(offset: position, reason: "vector of \(count) \(elementSize)-byte elements runs past the \(bytes.count)-byte flatbuffer")
        }
        return (position + 4, count)
    }

    /// The string referenced by the offset field at `field`.
    func string(at field: Int) throws -> String {
        let (start, count) = try vector(at: field, elementSize: 1)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]), as: UTF8.self)
    }
}
