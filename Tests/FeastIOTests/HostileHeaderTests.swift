import XCTest
import CHDF5
import FeastEvents
@testable import FeastIO

/// Files whose headers claim sizes their stored data cannot back: rejected
/// at open, before anything is streamed or allocated.
final class HostileHeaderTests: XCTestCase {
    /// An `/events` group whose four datasets claim `count` elements each in
    /// 64 Ki chunks that are never written (the file stays a few KB).
    func writeUnbackedEvents(count: Int, to path: String) throws {
        let file = try HDF5File.create(at: path)
        try file.createGroup("/events")
        try file.setAttributes(["width": .int(34), "height": .int(34)], on: "/events")
        let columns: [(String, HDF5ElementKind, Int)] = [("x", .uint16, 2), ("y", .uint16, 2), ("p", .uint8, 1), ("t", .int64, 8)]
        for (name, kind, size) in columns {
            let id = try file.createDataset("/events/\(name)", fileType: kind.nativeType, elementSize: size,
                                            shape: [count], chunk: [65_536], compression: 4)
            H5Dclose(id)
        }
        try file.close()
    }

    func testEventsFileClaimingATrillionUnwrittenEventsIsRejectedAtOpen() throws {
        let path = makeTemporaryFolder(self) + "/absurd.h5"
        try writeUnbackedEvents(count: 1 << 40, to: path)
        XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int, 100_000)
        XCTAssertEqual(errorMessage { _ = try HDF5EventReader(path: path) },
                       "\(path): /events/x: 1099511627776 elements claimed but 0 bytes stored (expected stored data for every element; at most 4096:1 compression)")
    }

    func testReadingAllOfAnUnbackedDatasetThrowsInsteadOfAllocating() throws {
        let path = makeTemporaryFolder(self) + "/absurd.h5"
        try writeUnbackedEvents(count: 1 << 40, to: path)
        let file = try HDF5File.open(path)
        XCTAssertEqual(errorMessage { _ = try file.read1D(Int64.self, from: "/events/t") },
                       "\(path): /events/t: 1099511627776 elements claimed but 0 bytes stored (expected stored data for every element; at most 4096:1 compression)")
    }

    func testHighlyCompressibleRealEventsStillRead() throws {
        // 200,000 identical events compress by shuffle+deflate far more than
        // typical data, yet stay under the accepted expansion.
        let path = makeTemporaryFolder(self) + "/zeros.h5"
        let writer = try HDF5EventWriter(path: path, geometry: .nmnist)
        try writer.write(ContiguousArray(repeating: Event(t: 0, x: 0, y: 0, polarity: 0), count: 200_000))
        try writer.finish()
        var reader = try HDF5EventReader(path: path)
        XCTAssertEqual(try reader.readAll().count, 200_000)
    }
}

/// Inputs found by `scripts/fuzz.sh` (fuzz-hdf5), kept as regressions.
final class FuzzFoundHDF5Tests: XCTestCase {
    static func corpusFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FeastCLITests/Corpus/\(name)").path
    }

    /// A mutated object header made libhdf5 ask malloc for 100 TB (an abort
    /// under ASan); a plain build must report the object as unreadable, not
    /// as missing.
    func testCorruptObjectHeaderIsReportedAsUnreadable() throws {
        let path = Self.corpusFile("fuzz-corrupt-object-header.h5")
        XCTAssertEqual(errorMessage { _ = try HDF5EventReader(path: path) },
                       "\(path): /events: cannot open: HDF5 cannot read the object's header (corrupt or truncated file)")
    }
}
