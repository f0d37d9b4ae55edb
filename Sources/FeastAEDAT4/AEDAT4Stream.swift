import Foundation
import FeastEvents

/// One stream (track) of an AEDAT 4.0 file, as its header's XML
/// description declares it under `outInfo`: a numeric id, the 4-letter
/// flatbuffer identifier of its packets (`EVTS` events, `FRME` frames,
/// `IMUS` IMU samples, `TRIG` triggers) and, for events and frames, the
/// sensor size (`info` node, `sizeX` / `sizeY` in pixels).
public struct AEDAT4Stream: Sendable, Hashable {
    public let id: Int
    public let typeIdentifier: String
    public let geometry: SensorGeometry?

    public init(id: Int, typeIdentifier: String, geometry: SensorGeometry?) {
        self.id = id
        self.typeIdentifier = typeIdentifier
        self.geometry = geometry
    }

    /// The streams the description declares, by id. A small scanner of
    /// DV's `<node name=…>` / `<attr key=… type=…>value</attr>` tree (no
    /// XML library: the description is a few hundred bytes of that one
    /// shape); entity references in values are not expanded.
    /// Throws a reason string when no stream is declared.
    static func parse(description text: String) throws(DescriptionFailure) -> [AEDAT4Stream] {
        var path = [String]()
        var types = [Int: String]()
        var widths = [Int: Int](), heights = [Int: Int]()
        let utf8 = Array(text.utf8)
        var i = 0
        func attribute(_ name: String, in tag: ArraySlice<UInt8>) -> String? {
            let key = Array((name + "=\"").utf8)
            var j = tag.startIndex
            while j + key.count <= tag.endIndex {
                if tag[j..<(j + key.count)].elementsEqual(key), j == tag.startIndex || tag[j - 1] == UInt8(ascii: " ") || tag[j - 1] == 0x0A || tag[j - 1] == 0x09 {
                    let start = j + key.count
                    guard let end = tag[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                    return String(decoding: tag[start..<end], as: UTF8.self)
                }
                j += 1
            }
            return nil
        }
        while i < utf8.count {
            guard utf8[i] == UInt8(ascii: "<") else { i += 1; continue }
            guard let close = utf8[i...].firstIndex(of: UInt8(ascii: ">")) else { break }
            let tag = utf8[(i + 1)..<close]
            i = close + 1
            if tag.starts(with: "/node".utf8) {
                if !path.isEmpty { path.removeLast() }
            } else if tag.starts(with: "node".utf8) {
                let name = attribute("name", in: tag) ?? ""
                if tag.last != UInt8(ascii: "/") { path.append(name) }
            } else if tag.starts(with: "attr".utf8), let key = attribute("key", in: tag) {
                guard let end = utf8[i...].firstIndex(of: UInt8(ascii: "<")) else { break }
                let value = String(decoding: utf8[i..<end], as: UTF8.self).trimmingCharacters(in: [" ", "\n", "\t", "\r"])
                i = end
                // Streams are outInfo's children; their sizes sit in an `info` child.
                guard let outInfo = path.firstIndex(of: "outInfo"), path.count > outInfo + 1, let id = Int(path[outInfo + 1]) else { continue }
                let depth = path.count - outInfo
                if depth == 2 && key == "typeIdentifier" { types[id] = value }
                if depth == 3 && path.last == "info" {
                    if key == "sizeX" { widths[id] = Int(value) }
                    if key == "sizeY" { heights[id] = Int(value) }
                }
            }
        }
        guard !types.isEmpty else { throw DescriptionFailure(reason: "the header's description declares no streams (no outInfo node with typeIdentifier attributes)") }
        var streams = [AEDAT4Stream]()
        for (id, type) in types.sorted(by: { $0.key < $1.key }) {
            var geometry: SensorGeometry?
            if let w = widths[id], let h = heights[id] {
                guard (1...32767).contains(w), (1...32767).contains(h) else {
                    throw DescriptionFailure(reason: "stream \(id) declares a \(w)×\(h) sensor; expected sizeX and sizeY in 1…32767")
                }
                geometry = SensorGeometry(width: w, height: h)
            }
            streams.append(AEDAT4Stream(id: id, typeIdentifier: type, geometry: geometry))
        }
        return streams
    }

    struct DescriptionFailure: Error {
        let reason: String
    }
}
