import Foundation
import FeastCore
import FeastEvents


/// Writers of FEAST output events `(t, x, y, p, neuron)`, chosen by the
/// output's extension:
///
/// - `.csv` (or `-`): header `t,x,y,p,neuron`; with several recordings a
///   leading `file` column names the recording;
/// - `.h5`/`.hdf5`: `/events/{x,y,p,t,neuron}` (uint16, uint16, uint8,
///   int64 µs, int32) with `width`/`height` attributes; with several
///   recordings one group per recording, `/recordings/NNNNN/events/...`
///   with `file` and `label` attributes (label −1 when unknown);
/// - `.bin`: packed little-endian 17-byte records `t:int64 x:uint16
///   y:uint16 p:uint8 neuron:int32` (one recording only).
///
/// Neuron −1 is a miss (only with `--emit-misses`).
public enum OutputEventFiles {
    public enum Kind { case csv, hdf5, binary }

    public static func kind(of path: String) throws -> Kind {
        if path == "-" { return .csv }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") { return .hdf5 }
        if lower.hasSuffix(".bin") { return .binary }
        throw FeastIOError.unknownOutputFormat(file: path, expected: ".csv, .h5/.hdf5 or .bin (or - for CSV on stdout)")
    }

    /// Appends CSV lines for `events` (`prefix` = `"file,"` or empty).
    public static func appendCSV(_ events: ContiguousArray<OutputEvent>, prefix: String, to text: inout String) {
        text.reserveCapacity(text.utf8.count + events.count * (prefix.utf8.count + 24))
        for o in events {
            let e = o.event
            text += prefix
            text += String(e.t)
            text += ","
            text += String(e.x)
            text += ","
            text += String(e.y)
            text += ","
            text += String(e.polarity)
            text += ","
            text += String(o.neuron)
            text += "\n"
        }
    }

    /// Appends 17-byte records.
    public static func appendBinary(_ events: ContiguousArray<OutputEvent>, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + events.count * 17)
        for o in events {
            withUnsafeBytes(of: o.event.t.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: o.event.x.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: o.event.y.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(o.event.polarity)
            withUnsafeBytes(of: o.neuron.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    /// Writes the events of one recording under `group` ("" = root).
    public static func writeHDF5(_ events: ContiguousArray<OutputEvent>, geometry: SensorGeometry, to file: HDF5File, group: String) throws {
        try writeHDF5(encode(events), geometry: geometry, to: file, group: group)
    }

    /// The `/events` datasets of one recording, as stored.
    public struct Columns {
        public var x: [UInt16], y: [UInt16], p: [UInt8], t: [Int64], neuron: [Int32]
    }

    /// Writes stored columns under `group` ("" = root); `feast merge` copies with it.
    public static func writeHDF5(_ c: Columns, geometry: SensorGeometry, to file: HDF5File, group: String) throws {
        try writeHDF5(EncodedEvents(x: EncodedColumn(c.x), y: EncodedColumn(c.y), p: EncodedColumn(c.p),
                                    t: EncodedColumn(c.t), neuron: EncodedColumn(c.neuron)),
                      geometry: geometry, to: file, group: group)
    }

    /// One recording's columns, shuffled and deflated (on a worker thread),
    /// ready for the writer.
    public struct EncodedEvents: Sendable {
        public var x: EncodedColumn, y: EncodedColumn, p: EncodedColumn, t: EncodedColumn, neuron: EncodedColumn
    }

    public static func encode(_ events: ContiguousArray<OutputEvent>) -> EncodedEvents {
        EncodedEvents(x: EncodedColumn(events.map(\.event.x)), y: EncodedColumn(events.map(\.event.y)),
                      p: EncodedColumn(events.map(\.event.polarity)), t: EncodedColumn(events.map(\.event.t)),
                      neuron: EncodedColumn(events.map(\.neuron)))
    }

    /// Writes encoded columns (the one writer of `/events`): the same file
    /// bytes as HDF5's own deflate filter gives, with the compression done
    /// before (on a worker thread in `feast extract`).
    public static func writeHDF5(_ c: EncodedEvents, geometry: SensorGeometry, to file: HDF5File, group: String) throws {
        try file.createGroup(group + "/events")
        try file.write(c.x, to: group + "/events/x")
        try file.write(c.y, to: group + "/events/y")
        try file.write(c.p, to: group + "/events/p")
        try file.write(c.t, to: group + "/events/t")
        try file.write(c.neuron, to: group + "/events/neuron")
        try file.setAttribute("width", .int(geometry.width), on: group + "/events")
        try file.setAttribute("height", .int(geometry.height), on: group + "/events")
    }

    /// Reads the columns and geometry written by ``writeHDF5(_:geometry:to:group:)``.
    public static func readHDF5(from file: HDF5File, group: String) throws -> (Columns, SensorGeometry) {
        let e = group + "/events"
        let c = Columns(x: try file.read1D(UInt16.self, from: e + "/x"), y: try file.read1D(UInt16.self, from: e + "/y"),
                        p: try file.read1D(UInt8.self, from: e + "/p"), t: try file.read1D(Int64.self, from: e + "/t"),
                        neuron: try file.read1D(Int32.self, from: e + "/neuron"))
        let n = c.t.count
        guard c.x.count == n, c.y.count == n, c.p.count == n, c.neuron.count == n else {
            throw FeastIOError.wrongShape(file: file.name, object: e, expected: "x, y, p, t, neuron of equal lengths",
                                          found: "\(c.x.count), \(c.y.count), \(c.p.count), \(n), \(c.neuron.count)")
        }
        let geometry = SensorGeometry(width: try file.intAttribute("width", of: e), height: try file.intAttribute("height", of: e))
        return (c, geometry)
    }
}
