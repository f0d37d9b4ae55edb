import Foundation
import XCTest

final class ConvertCommandTests: XCTestCase {
    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testBinToCSVToHDF5ToBinGivesIdenticalBytes() throws {
        let root = try CLI.nmnistSmall()
        let folder = try CLI.temporaryFolder(self)
        for name in ["Train/5/00001.bin", "Train/0/00002.bin", "Test/6/00012.bin", "Test/9/00100.bin"] {
            let source = root + "/" + name
            for (from, to) in [(source, folder + "/a.csv"), (folder + "/a.csv", folder + "/a.h5"), (folder + "/a.h5", folder + "/a.bin")] {
                let r = try CLI.run(["convert", from, to])
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertEqual(r.stdout.count, 0, "stdout carries nothing when writing a file")
            }
            XCTAssertEqual(try bytes(folder + "/a.bin"), try bytes(source), name)
        }
    }

    func testStdinAndStdoutGiveTheSameAsFiles() throws {
        let root = try CLI.nmnistSmall()
        let folder = try CLI.temporaryFolder(self)
        let source = root + "/Test/7/00001.bin"
        XCTAssertEqual(try CLI.run(["convert", source, folder + "/f.csv"]).status, 0)
        let piped = try CLI.run(["convert", "-", "-", "--from", "nmnist", "--to", "csv"], stdin: try bytes(source))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, try bytes(folder + "/f.csv"))
        let back = try CLI.run(["convert", "-", "-", "--from", "csv", "--to", "nmnist"], stdin: piped.stdout)
        XCTAssertEqual(back.stdout, try bytes(source))
    }

    func testClosedStdoutEndsQuietlyWithStatusZero() throws {
        let folder = try CLI.temporaryFolder(self)
        // 2 M events: far more CSV than a pipe buffer holds.
        var records = [UInt8]()
        records.reserveCapacity(10_000_000)
        for i in 0..<2_000_000 { records += CLI.record(x: UInt8(i % 34), y: UInt8(i / 34 % 34), p: UInt8(i & 1), t: i / 8 % 8_000_000) }
        CLI.write(records, to: folder + "/big.bin")
        let result = try CLI.shell("set -o pipefail; \"$FEAST\" convert '\(folder)/big.bin' - --to csv | head -1")
        XCTAssertEqual(result.status, 0, "status of the pipeline; stderr: \(result.stderr)")
        XCTAssertEqual(result.text, "t,x,y,p\n")
        XCTAssertEqual(result.stderr, "")
    }

    func testFailedConversionLeavesNoOutput() throws {
        let folder = try CLI.temporaryFolder(self)
        CLI.write(CLI.record(x: 1, y: 1, p: 1, t: 5) + [1, 2, 3], to: folder + "/cut.bin")
        try "old".write(toFile: folder + "/out.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(["convert", folder + "/cut.bin", folder + "/out.csv"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(folder)/cut.bin: byte offset 5: 3 trailing bytes"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/out.csv", encoding: .utf8), "old", "previous output untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["cut.bin", "out.csv"], "no temporary left")
    }

    func testFormatNeededForStdoutAndUnknownExtensions() throws {
        let folder = try CLI.temporaryFolder(self)
        CLI.write(CLI.record(x: 1, y: 1, p: 1, t: 5), to: folder + "/e.bin")
        let result = try CLI.run(["convert", folder + "/e.bin", "-"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("-: cannot tell the event format (tried: stdin/stdout has no extension; no --format/--from/--to given)"), result.stderr)
        let unknown = try CLI.run(["convert", folder + "/e.bin", folder + "/e.txt"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("\(folder)/e.txt: cannot tell the event format (tried: extension .txt is not an event format (known: .bin .csv .h5 .hdf5 .raw .dat .aedat .aedat4 .es); no --format/--from/--to given)"), unknown.stderr)
    }

    func testConvertWithFiltersAndColumns() throws {
        let folder = try CLI.temporaryFolder(self)
        try "x,y,p,t\n1,1,1,10\n2,2,0,20\n3,3,1,30\n3,3,1,30\n20,3,1,40\n".write(toFile: folder + "/in.csv", atomically: true, encoding: .utf8)
        let result = try CLI.run(["convert", folder + "/in.csv", "-", "--to", "csv", "--polarity", "on", "--dedup", "--crop", "0,0,10,10", "--time-window", "0,35"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.text, "t,x,y,p\n10,1,1,1\n30,3,3,1\n")
        let reordered = try CLI.run(["convert", folder + "/in.csv", "-", "--to", "csv", "--out-columns", "p,t,x,y", "--time-window", "0,15"])
        XCTAssertEqual(reordered.text, "p,t,x,y\n1,10,1,1\n")
    }

    func testHDF5ErrorsNameTheFile() throws {
        let folder = try CLI.temporaryFolder(self)
        try "not hdf5".write(toFile: folder + "/x.h5", atomically: true, encoding: .utf8)
        let result = try CLI.run(["info", folder + "/x.h5"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(folder)/x.h5"), result.stderr)
        let stdin = try CLI.run(["convert", "-", folder + "/y.csv", "--from", "hdf5"], stdin: Data())
        XCTAssertNotEqual(stdin.status, 0)
        XCTAssertTrue(stdin.stderr.contains("-: format hdf5 is not available: HDF5 needs a seekable file, not stdin"), stdin.stderr)
    }

    func testRandomStreamRoundTripsThroughEveryFormat() throws {
        let folder = try CLI.temporaryFolder(self)
        // Seeded stream with timestamps far beyond the 23 bits of a .bin record.
        var rng = TestLCG(state: 0x5EED)
        func next() -> UInt64 { rng.next() }
        var t: Int64 = 8_000_000
        var csv = "t,x,y,p\n"
        for _ in 0..<20_000 {
            t += Int64(next() % 2_000)
            csv += "\(t),\(next() % 34),\(next() % 34),\(next() % 2)\n"
        }
        try csv.write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        let steps = [("r.csv", "r.h5"), ("r.h5", "r.bin"), ("r.bin", "back.csv")]
        for (from, to) in steps {
            let r = try CLI.run(["convert", folder + "/" + from, folder + "/" + to])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/back.csv", encoding: .utf8), csv)
        let info = try CLI.run(["info", "--json", folder + "/r.bin"])
        XCTAssertFalse(info.text.contains("\"overflow_markers\": 0,"), "markers carry the clock past 2^23 µs")
    }

    /// `feast convert a.raw b.es` and back, through EVT 3.0, Event Stream
    /// and EVT 2.0 on a 1280×720 sensor: the same events and the sensor
    /// size in every header, from the CLI.
    func testCameraFormatsRoundTripThroughConvertWithTheirGeometry() throws {
        let folder = try CLI.temporaryFolder(self)
        var rng = TestLCG(state: 0xCAFE)
        func next() -> UInt64 { rng.next() }
        var t: Int64 = 1_000
        var csv = "t,x,y,p\n"
        for _ in 0..<30_000 {
            t += next() % 300 == 0 ? Int64(next() % 20_000_000) : Int64(next() % 50)
            csv += "\(t),\(next() % 1280),\(next() % 720),\(next() % 2)\n"
        }
        try csv.write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        let steps = [("r.csv", "a.raw", ["--geometry", "1280x720"]), ("a.raw", "b.es", []), ("b.es", "c.raw", ["--to", "evt2"]),
                     ("c.raw", "d.raw", ["--to", "evt3"]), ("d.raw", "back.csv", [])]
        for (from, to, extra) in steps {
            let r = try CLI.run(["convert", folder + "/" + from, folder + "/" + to] + extra)
            XCTAssertEqual(r.status, 0, "\(from) → \(to): \(r.stderr)")
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/back.csv", encoding: .utf8), csv)
        for file in ["a.raw", "b.es", "c.raw", "d.raw"] {
            let info = try CLI.run(["info", "--json", folder + "/" + file])
            XCTAssertEqual(info.status, 0, info.stderr)
            XCTAssertTrue(info.text.contains("\"width\": 1280, \"height\": 720"), "\(file): \(info.text)")
        }
    }

    func testInfoReadsZipArchiveOfClassFolders() throws {
        let root = try CLI.nmnistSmall()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") else { throw XCTSkip("no /usr/bin/zip") }
        let folder = try CLI.temporaryFolder(self)
        let zip = try CLI.shell("cd '\(root)' && /usr/bin/zip -q -r '\(folder)/Test.zip' Test")
        XCTAssertEqual(zip.status, 0, zip.stderr)
        let fromZip = try CLI.run(["info", "--json", folder + "/Test.zip"])
        let fromFolder = try CLI.run(["info", "--json", root + "/Test"])
        XCTAssertEqual(fromZip.status, 0, fromZip.stderr)
        func total(_ r: CLI.Result) throws -> [String: Int] {
            let json = try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
            return (json["total"] as! [String: Any]).mapValues { ($0 as? NSNumber)?.intValue ?? -1 }
        }
        XCTAssertEqual(try total(fromZip), try total(fromFolder))
        XCTAssertEqual(try total(fromZip)["events"], 385_596)
    }
}
