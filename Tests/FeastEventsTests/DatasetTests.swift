import FeastEvents
import Foundation
import XCTest

final class DatasetTests: XCTestCase {
    /// A small class-folder tree of `.bin` files with known event counts.
    private func makeTree(in folder: String) throws {
        var n = 1
        for (split, labels) in [("Train", [0, 3, 3, 7]), ("Test", [3, 7])] {
            for label in labels {
                let dir = "\(folder)/\(split)/\(label)"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                var writer = try NMNISTWriter(path: String(format: "%@/%05d.bin", dir, n))
                try writer.write(TestSupport.randomStream(seed: UInt64(n), count: n * 10))
                try writer.finish()
                n += 1
            }
        }
        // Not recordings: a CSV beside the class folders, a stray text file.
        TestSupport.write(Array("file,label\n".utf8), to: folder + "/labels.csv")
        TestSupport.write(Array("hello".utf8), to: folder + "/Train/3/notes.txt")
    }

    func testClassFolderLayoutGivesSortedLabelledRecordingsWithSplits() throws {
        let folder = try TestSupport.temporaryFolder(self)
        try makeTree(in: folder)
        let dataset = try Dataset.load(path: folder)
        XCTAssertEqual(dataset.recordings.map(\.name), [
            "Test/3/00005.bin", "Test/7/00006.bin", "Train/0/00001.bin", "Train/3/00002.bin", "Train/3/00003.bin", "Train/7/00004.bin",
        ])
        XCTAssertEqual(dataset.recordings.map(\.label), [3, 7, 0, 3, 3, 7])
        XCTAssertEqual(dataset.recordings.map(\.split), [.test, .test, .train, .train, .train, .train])
        var source = try dataset.recordings[0].open()
        XCTAssertEqual(try source.readAll().count, 50)
        let (train, test) = dataset.split(holdOut: 0.5, seed: 1)
        XCTAssertEqual(train.count, 4, "Train/Test folders decide, not the fraction")
        XCTAssertEqual(test.recordings.map(\.name), ["Test/3/00005.bin", "Test/7/00006.bin"])
    }

    func testFlatClassFolders() throws {
        let folder = try TestSupport.temporaryFolder(self)
        try makeTree(in: folder)
        let dataset = try Dataset.load(path: folder + "/Train")
        XCTAssertEqual(dataset.recordings.map(\.name), ["0/00001.bin", "3/00002.bin", "3/00003.bin", "7/00004.bin"])
        XCTAssertEqual(dataset.recordings.map(\.split), [nil, nil, nil, nil])
    }

    func testLabelsCSVPathsAreRelativeToTheCSV() throws {
        let folder = try TestSupport.temporaryFolder(self)
        try makeTree(in: folder)
        TestSupport.write(Array("file,label,split,source_id\nTrain/3/00002.bin,3,train,9\nTest/7/00006.bin,7,test,10\nTrain/0/00001.bin,,,\n".utf8), to: folder + "/labels.csv")
        let dataset = try Dataset.load(path: folder + "/labels.csv")
        XCTAssertEqual(dataset.recordings.map(\.name), ["Test/7/00006.bin", "Train/0/00001.bin", "Train/3/00002.bin"])
        XCTAssertEqual(dataset.recordings.map(\.label), [7, nil, 3])
        XCTAssertEqual(dataset.recordings.map(\.split), [.test, nil, .train])
        var source = try dataset.recordings[0].open()
        XCTAssertEqual(try source.readAll().count, 60)
    }

    func testLabelsCSVErrorsNameLine() throws {
        let folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(Array("file,label\na.bin,3\nb.bin,three\n".utf8), to: folder + "/labels.csv")
        XCTAssertEqual(TestSupport.errorMessage { _ = try Dataset.load(path: folder + "/labels.csv") },
                       "\(folder)/labels.csv:3: label 'three' is not an integer")
    }

    func testLabelsCSVListingAMissingFileNamesItsLineBeforeAnyWork() throws {
        let folder = try TestSupport.temporaryFolder(self)
        try makeTree(in: folder)
        TestSupport.write(Array("file,label\nTrain/3/00002.bin,3\nTrain/3/nope.bin,3\n".utf8), to: folder + "/labels.csv")
        XCTAssertEqual(TestSupport.errorMessage { _ = try Dataset.load(path: folder + "/labels.csv") },
                       "\(folder)/labels.csv:3: listed file 'Train/3/nope.bin' does not exist (looked for \(folder)/Train/3/nope.bin; paths are relative to the labels CSV's folder)")
    }

    func testZipArchiveIsReadWithoutUnpacking() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") else { throw XCTSkip("no /usr/bin/zip to build a test archive") }
        let folder = try TestSupport.temporaryFolder(self)
        try makeTree(in: folder + "/tree")
        let zipper = Process()
        zipper.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        zipper.currentDirectoryURL = URL(fileURLWithPath: folder + "/tree")
        zipper.arguments = ["-q", "-r", folder + "/set.zip", "Train", "Test"]
        try zipper.run()
        zipper.waitUntilExit()
        XCTAssertEqual(zipper.terminationStatus, 0)
        let fromZip = try Dataset.load(path: folder + "/set.zip")
        let fromFolder = try Dataset.load(path: folder + "/tree")
        XCTAssertEqual(fromZip.recordings.map(\.name), fromFolder.recordings.map(\.name))
        XCTAssertEqual(fromZip.recordings.map(\.label), fromFolder.recordings.map(\.label))
        for (a, b) in zip(fromZip.recordings, fromFolder.recordings) {
            guard case .zipEntry = a.location else { return XCTFail("expected zip entries") }
            var sa = try a.open(), sb = try b.open()
            XCTAssertEqual(try sa.readAll(), try sb.readAll(), a.name)
        }
    }

    func testSeededHoldOutIsDeterministicStratifiedAndDisjoint() throws {
        let recordings = (0..<100).map { Recording(name: String(format: "%03d.bin", $0), label: $0 % 4, split: nil, location: .file("/x/\($0).bin")) }
        let dataset = Dataset(source: "mem", recordings: recordings)
        let (train, test) = dataset.split(holdOut: 0.2, seed: 42)
        let again = dataset.split(holdOut: 0.2, seed: 42)
        XCTAssertEqual(test.recordings.map(\.name), again.test.recordings.map(\.name))
        XCTAssertEqual(test.count, 20)
        XCTAssertEqual(train.count, 80)
        XCTAssertEqual(Set(train.recordings.map(\.name)).intersection(test.recordings.map(\.name)), [])
        for label in 0..<4 { XCTAssertEqual(test.recordings.filter { $0.label == label }.count, 5) }
        XCTAssertNotEqual(dataset.split(holdOut: 0.2, seed: 43).test.recordings.map(\.name), test.recordings.map(\.name))
    }

    func testShardsPartitionTheDataset() throws {
        let recordings = (0..<10).map { Recording(name: "\($0)", label: nil, split: nil, location: .file("\($0)")) }
        let dataset = Dataset(source: "mem", recordings: recordings)
        let shards = (0..<3).map { dataset.shard(index: $0, count: 3) }
        XCTAssertEqual(shards.map(\.count), [4, 3, 3])
        XCTAssertEqual(Set(shards.flatMap { $0.recordings.map(\.name) }).count, 10)
        XCTAssertEqual(Dataset.parseShard("1/3")?.index, 1)
        XCTAssertNil(Dataset.parseShard("3/3"))
    }

    func testMissingDatasetPath() throws {
        XCTAssertEqual(TestSupport.errorMessage { _ = try Dataset.load(path: "/nonexistent/feast") }, "/nonexistent/feast: no such file or folder")
    }
}
