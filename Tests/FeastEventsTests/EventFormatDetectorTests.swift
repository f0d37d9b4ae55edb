import FeastEvents
import Foundation
import XCTest

/// Magic bytes and header first, then `--format`, then the extension.
final class EventFormatDetectorTests: XCTestCase {
    private func detect(_ text: String, name: String, given: EventFormat? = nil) throws -> EventFormat {
        try EventFormatDetector.detect(input: ByteInput(bytes: Array(text.utf8), name: name), given: given)
    }

    func testMagicBytesWinOverTheExtensionAndTheGivenFormat() throws {
        XCTAssertEqual(try detect("#!AER-DAT4.0\r\n", name: "a.bin", given: .csv), .aedat4)
        XCTAssertEqual(try detect("#!AER-DAT3.1\r\n", name: "a.aedat"), .aedat3)
        XCTAssertEqual(try detect("#!AER-DAT2.0\r\n", name: "a.aedat"), .aedat2)
        XCTAssertEqual(try detect("Event Stream\u{2}\u{0}", name: "x"), .es)
        XCTAssertEqual(try detect("% evt 3.0\n% end\n", name: "rec.dat"), .evt3)
        XCTAssertEqual(try detect("% date 2020\n% evt 2.0\n% end\n", name: "rec.raw"), .evt2)
        XCTAssertEqual(try detect("% format EVT3;height=720;width=1280\n% end\n", name: "-"), .evt3)
        XCTAssertEqual(try detect("% format EVT2;height=480;width=640\n", name: "-"), .evt2)
        XCTAssertEqual(try detect("% Data file containing CD events.\n% Version 2\n% Width 640\n% Height 480\n", name: "-"), .dat)
        var hdf5 = EventFormatDetector.hdf5Signature
        hdf5 += [0, 0]
        XCTAssertEqual(try EventFormatDetector.detect(input: ByteInput(bytes: hdf5, name: "x.bin"), given: nil), .hdf5)
    }

    func testHeaderlessFilesUseTheGivenFormatThenTheExtension() throws {
        XCTAssertEqual(try detect("1,2,3,1\n", name: "events.txt", given: .csv), .csv)
        XCTAssertEqual(try detect("1,2,3,1\n", name: "events.bin", given: .csv), .csv)
        XCTAssertEqual(try detect("\u{1}\u{2}\u{3}\u{4}\u{5}", name: "events.bin"), .nmnist)
        // A Prophesee header naming no version: the extension decides.
        XCTAssertEqual(try detect("% date 2020\n% end\n", name: "rec.raw"), .evt3)
    }

    func testDetectionOnlyPeeksSoTheReaderSeesTheWholeStream() throws {
        let input = ByteInput(bytes: Array("#!AER-DAT2.0\r\n".utf8), name: "a.aedat")
        _ = try EventFormatDetector.detect(input: input, given: nil)
        XCTAssertEqual(input.offset, 0)
        XCTAssertEqual(input.available, 14)
    }

    func testUnknownInputListsEverythingTried() {
        XCTAssertThrowsError(try detect("hello", name: "/data/rec.xyz")) { error in
            XCTAssertEqual("\(error)", "/data/rec.xyz: cannot tell the event format (tried: no known magic bytes or header (#!AER-DAT, Event Stream, HDF5, Prophesee % header); extension .xyz is not an event format (known: .bin .csv .h5 .hdf5 .raw .dat .aedat .aedat4 .es); no --format/--from given); give --format/--from/--to nmnist|csv|hdf5|evt2|evt3|dat|aedat2|aedat3|aedat4|es")
        }
        XCTAssertThrowsError(try detect("", name: "-")) { error in
            XCTAssertTrue("\(error)".hasPrefix("-: cannot tell the event format (tried: the file is empty; stdin/stdout has no extension; no --format/--from given)"), "\(error)")
        }
    }
}
