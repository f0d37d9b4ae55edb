@testable import FeastEvents
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
            XCTAssertEqual("\(error)", "/data/rec.xyz: cannot tell the event format (tried: no known magic bytes or header (#!AER-DAT, Event Stream, HDF5, Prophesee % header); extension .xyz is not an event format (known: .bin .csv .h5 .hdf5 .raw .dat .aedat .aedat4 .es); no format given); give format nmnist|csv|hdf5|evt2|evt3|dat|aedat2|aedat3|aedat4|es")
        }
        XCTAssertThrowsError(try detect("", name: "-")) { error in
            XCTAssertTrue("\(error)".hasPrefix("-: cannot tell the event format (tried: the file is empty; stdin/stdout has no extension; no format given)"), "\(error)")
        }
    }

    /// Detection on a live pipe that sent a few bytes and stays open: it
    /// decides from what arrived instead of waiting for 64 KiB (the
    /// `feast stream` Ctrl-C test hung on this). A complete Prophesee
    /// header decides too; an unfinished magic prefix waits for more.
    func testDetectionOnAnOpenPipeDecidesFromTheBytesThatArrived() throws {
        for (text, expected) in [("t,x,y,p\n1,2,3,1\n", EventFormat.csv), ("\u{1}\u{2}\u{3}\u{4}\u{5}", .nmnist),
                                 ("% evt 3.0\n% geometry 1280x720\n% end\n", .evt3), ("Event Stream", .es)] {
            var fds: [Int32] = [0, 0]
            XCTAssertEqual(pipe(&fds), 0)
            _ = text.utf8CString.withUnsafeBufferPointer { write(fds[1], $0.baseAddress, $0.count - 1) }
            nonisolated(unsafe) let input = ByteInput(fd: fds[0], name: "-", ownsDescriptor: true)
            nonisolated(unsafe) var found: EventFormat?
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                found = try? EventFormatDetector.detect(input: input, given: expected == .csv ? .csv : .nmnist)
                done.signal()
            }
            // A hang guard, not a speed check: a blocked read never returns.
            let finished = done.wait(timeout: .now() + 20) == .success
            close(fds[1])
            if !finished { done.wait() }
            XCTAssertTrue(finished, "detection blocked on an open pipe after \(text.debugDescription)")
            XCTAssertEqual(found, expected, text.debugDescription)
        }
        XCTAssertTrue(Array("#!AER".utf8).withUnsafeBytes(EventFormatDetector.needsMoreBytes))
        XCTAssertTrue(Array("% evt 3.0\n".utf8).withUnsafeBytes(EventFormatDetector.needsMoreBytes))
        XCTAssertFalse(Array("%\u{3}".utf8).withUnsafeBytes(EventFormatDetector.needsMoreBytes))
    }
}
