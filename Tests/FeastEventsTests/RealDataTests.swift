import FeastEvents
import Foundation
import XCTest

/// Every recording of nmnist-small against `stats.csv` (an independent
/// numpy decoder), and exact byte round trips.
final class RealDataTests: XCTestCase {
    private struct Expected { var events, tFirst, tLast, on, off, overflow, duplicates: Int }

    private func expectations(_ root: String) throws -> [String: Expected] {
        let text = try String(contentsOfFile: root + "/stats.csv", encoding: .utf8)
        var rows = [String: Expected]()
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            let n = f[1...].map { Int($0)! }
            rows[f[0]] = Expected(events: n[0], tFirst: n[1], tLast: n[2], on: n[3], off: n[4], overflow: n[5], duplicates: n[6])
        }
        return rows
    }

    func testEveryRecordingMatchesStatsCSV() throws {
        let root = try TestSupport.nmnistSmall()
        let expected = try expectations(root)
        let dataset = try Dataset.load(path: root)
        XCTAssertEqual(dataset.count, 901)
        XCTAssertEqual(Set(dataset.recordings.map(\.name)), Set(expected.keys))
        XCTAssertEqual(dataset.recordings.filter { $0.split == .test }.count, 100)
        for recording in dataset.recordings {
            var source = try recording.open()
            let s = try EventStatistics.of(&source)
            guard let e = expected[recording.name] else { continue }
            let got = [s.events, Int(s.tFirst ?? -1), Int(s.tLast ?? -1), s.onEvents, s.offEvents, s.overflowMarkers, s.duplicates]
            XCTAssertEqual(got, [e.events, e.tFirst, e.tLast, e.on, e.off, e.overflow, e.duplicates], recording.name)
            XCTAssertEqual(s.backwardsTimestamps, 0, recording.name)
            XCTAssertEqual([s.xMin, s.xMax, s.yMin, s.yMax].allSatisfy { $0 != nil && $0! >= 0 && $0! <= 33 }, true)
        }
    }

    func testBinToCSVToBinGivesIdenticalBytesForEveryRecording() throws {
        let root = try TestSupport.nmnistSmall()
        let folder = try TestSupport.temporaryFolder(self)
        for recording in try Dataset.load(path: root).recordings {
            guard case let .file(path) = recording.location else { continue }
            var reader = try NMNISTReader(path: path)
            var csv = try CSVWriter(path: folder + "/r.csv")
            try reader.forEachChunk { try csv.write($0) }
            try csv.finish()
            var csvReader = try CSVReader(path: folder + "/r.csv")
            var bin = try NMNISTWriter(path: folder + "/r.bin")
            try csvReader.forEachChunk { try bin.write($0) }
            try bin.finish()
            XCTAssertEqual(try TestSupport.bytes(of: folder + "/r.bin"), try TestSupport.bytes(of: path), recording.name)
        }
    }

    func testPipeAndFileInputsGiveIdenticalEvents() throws {
        let root = try TestSupport.nmnistSmall()
        for name in ["Train/5/00001.bin", "Test/7/00001.bin", "Train/0/00002.bin"] {
            let path = root + "/" + name
            var fromFile = try NMNISTReader(path: path)
            let expected = try fromFile.readAll()
            let fd = TestSupport.pipeFeeding(try TestSupport.bytes(of: path), piece: 4_093)
            var fromPipe = NMNISTReader(input: ByteInput(fd: fd, name: "-", ownsDescriptor: true))
            XCTAssertEqual(try fromPipe.readAll(), expected, name)
        }
    }

    func testLabelsCSVAgreesWithFolderLayout() throws {
        let root = try TestSupport.nmnistSmall()
        let fromCSV = try Dataset.load(path: root + "/labels.csv")
        let fromFolders = try Dataset.load(path: root)
        XCTAssertEqual(fromCSV.count, 901)
        XCTAssertEqual(fromCSV.recordings.map(\.name), fromFolders.recordings.map(\.name))
        XCTAssertEqual(fromCSV.recordings.map(\.label), fromFolders.recordings.map(\.label))
        XCTAssertEqual(fromCSV.recordings.map(\.split), fromFolders.recordings.map(\.split))
        let (train, test) = fromCSV.split()
        XCTAssertEqual([train.count, test.count], [801, 100])
    }
}
