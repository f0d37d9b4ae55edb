import ArgumentParser
import Foundation
import FeastCore
import FeastEvents
import FeastIO

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
enum OutputEventFiles {
    enum Kind { case csv, hdf5, binary }

    static func kind(of path: String) throws -> Kind {
        if path == "-" { return .csv }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") { return .hdf5 }
        if lower.hasSuffix(".bin") { return .binary }
        throw ValidationError("\(path): cannot tell the output format from the extension; expected .csv, .h5/.hdf5 or .bin (or - for CSV on stdout)")
    }

    /// Appends CSV lines for `events` (`prefix` = `"file,"` or empty).
    static func appendCSV(_ events: ContiguousArray<OutputEvent>, prefix: String, to text: inout String) {
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
    static func appendBinary(_ events: ContiguousArray<OutputEvent>, to bytes: inout [UInt8]) {
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
    static func writeHDF5(_ events: ContiguousArray<OutputEvent>, geometry: SensorGeometry, to file: HDF5File, group: String) throws {
        try file.createGroup(group + "/events")
        try file.write(events.map(\.event.x), to: group + "/events/x")
        try file.write(events.map(\.event.y), to: group + "/events/y")
        try file.write(events.map(\.event.polarity), to: group + "/events/p")
        try file.write(events.map(\.event.t), to: group + "/events/t")
        try file.write(events.map(\.neuron), to: group + "/events/neuron")
        try file.setAttribute("width", .int(geometry.width), on: group + "/events")
        try file.setAttribute("height", .int(geometry.height), on: group + "/events")
    }
}
