import Foundation
import FeastEvents
import XCTest

final class CSVCodecTests: XCTestCase {
    private func read(_ text: String, columns: CSVColumns? = nil, name: String = "e.csv") throws -> ContiguousArray<Event> {
        var reader = CSVReader(input: ByteInput(bytes: Array(text.utf8), name: name), columns: columns)
        return try reader.readAll()
    }

    func testRandomStreamsRoundTripExactlyThroughCSVIncludingExtremeTimestamps() throws {
        let folder = try TestSupport.temporaryFolder(self)
        for seed in UInt64(1)...6 {
            var events = TestSupport.randomStream(seed: seed, count: 10_000, start: -1_000_000, maxStep: 1_000_000_007, maxBack: 50_000)
            events.append(Event(t: .max, x: 33, y: 33, polarity: 1))
            events.append(Event(t: .min, x: 0, y: 0, polarity: 0))
            for columns in [CSVColumns.standard, CSVColumns(spec: "x,y,p,t")!] {
                var writer = try CSVWriter(path: folder + "/s.csv", columns: columns)
                try writer.write(ContiguousArray(events[..<5_000]))
                try writer.write(ContiguousArray(events[5_000...]))
                try writer.finish()
                var reader = try CSVReader(path: folder + "/s.csv")
                XCTAssertEqual(try reader.readAll(), events, "seed \(seed), columns \(columns)")
                XCTAssertEqual(reader.columns, columns, "order taken from the header")
            }
        }
    }

    /// Clean lines take the one-pass parser and the rest the general one;
    /// mixed, in any column order and across buffer boundaries, both must
    /// give the events written, and errors the same line numbers.
    func testCleanAndIrregularLinesMixedGiveTheSameEventsWithAndWithoutTheOnePassParser() throws {
        var rng = SplitMix64(seed: 11)
        for spec in ["t,x,y,p", "x,y,p,t", "p,t,y,x"] {
            let columns = try XCTUnwrap(CSVColumns(spec: spec))
            var text = spec + "\n", expected = ContiguousArray<Event>()
            for i in 0..<3_000 {
                let e = Event(t: Int64(rng.nextIndex(below: 2_000_000_000)) - 1_000, x: UInt16(rng.nextIndex(below: 34)),
                              y: UInt16(rng.nextIndex(below: 34)), polarity: UInt8(rng.nextIndex(below: 2)))
                let form = rng.nextIndex(below: 6)
                var fields = [String(e.t), String(e.x), String(e.y), String(e.polarity)]
                if form == 1 { fields[3] = e.polarity == 1 ? "true" : "-1" }
                if form == 2 { fields[1] = " \(fields[1]) " }
                if form == 3 { fields[2] = "0" + fields[2] }  // leading zero: still clean
                let line = columns.order.map { fields[$0.rawValue] }.joined(separator: ",")
                text += line + (form == 4 ? "\r\n" : "\n")
                if form == 5 && i % 7 == 0 { text += "\n" }  // a blank line
                expected.append(e)
            }
            let bytes = Array(text.utf8)
            for capacity in [96, 1_000, ByteInput.defaultCapacity] {
                for maxLineLength in [CSVReader.defaultMaxLineLength, CSVReader.longestCleanLine - 1] {  // the one-pass parser is off
                    let fd = TestSupport.pipeFeeding(bytes, piece: 37)  // reads end mid-line
                    var reader = CSVReader(input: ByteInput(fd: fd, name: "m.csv", ownsDescriptor: true, capacity: capacity), maxLineLength: maxLineLength)
                    XCTAssertEqual(try reader.readAll(), expected, "columns \(spec), buffer \(capacity), line limit \(maxLineLength)")
                }
            }
        }
        // In memory, the whole text is one buffer: two threads parse its clean
        // lines, each half up to its first irregular line.
        for (name, irregular) in [("none", [Int]()), ("first half", [700]), ("second half", [2_600]), ("both", [5, 1_400, 2_999])] {
            var text = "t,x,y,p\n", expected = ContiguousArray<Event>()
            for i in 0..<3_000 {
                let e = Event(t: Int64(i) * 977, x: UInt16(i % 34), y: UInt16(i / 34 % 34), polarity: UInt8(i % 2))
                text += irregular.contains(i) ? " \(e.t),\(e.x),\(e.y),\(e.polarity == 1 ? "true" : "-1")\r\n" : "\(e.t),\(e.x),\(e.y),\(e.polarity)\n"
                expected.append(e)
            }
            XCTAssertGreaterThan(text.utf8.count, CSVReader.concurrentParsingBytes)
            for concurrent in [true, false] {
                var reader = CSVReader(input: ByteInput(bytes: Array(text.utf8), name: "c.csv"), concurrentParsing: concurrent)
                XCTAssertEqual(try reader.readAll(), expected, "irregular lines: \(name), concurrent \(concurrent)")
            }
            var errorText = text
            errorText += "5,1,2,1\n5,1,2,x\n"
            for concurrent in [true, false] {
                XCTAssertEqual(TestSupport.errorMessage {
                    var reader = CSVReader(input: ByteInput(bytes: Array(errorText.utf8), name: "c.csv"), concurrentParsing: concurrent)
                    _ = try reader.readAll()
                }, "c.csv:3003:7: field 'p': expected polarity 0/1, -1/1 or true/false, found 'x'", "irregular lines: \(name)")
            }
        }
        let bad = "t,x,y,p\n" + String(repeating: "10,1,2,1\n", count: 500) + "11,1,2,7\n"
        for maxLineLength in [CSVReader.defaultMaxLineLength, CSVReader.longestCleanLine - 1] {
            XCTAssertEqual(TestSupport.errorMessage {
                let fd = TestSupport.pipeFeeding(Array(bad.utf8), piece: 37)
                var reader = CSVReader(input: ByteInput(fd: fd, name: "m.csv", ownsDescriptor: true, capacity: 100), maxLineLength: maxLineLength)
                _ = try reader.readAll()
            }, "m.csv:502:8: field 'p': expected polarity 0/1, -1/1 or true/false, found '7'")
        }
    }

    func testWriterFormat() throws {
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try CSVWriter(path: folder + "/f.csv")
        try writer.write([Event(t: 893, x: 18, y: 16, polarity: 1), Event(t: -5, x: 0, y: 3, polarity: 0)])
        try writer.finish()
        XCTAssertEqual(String(decoding: try TestSupport.bytes(of: folder + "/f.csv"), as: UTF8.self), "t,x,y,p\n893,18,16,1\n-5,0,3,0\n")
    }

    func testPolarityReadsZeroOneMinusOneAndTrueFalse() throws {
        let events = try read("t,x,y,p\n1,0,0,0\n2,0,0,1\n3,0,0,-1\n4,0,0,true\n5,0,0,FALSE\n6,0,0,+1\n")
        XCTAssertEqual(events.map(\.polarity), [0, 1, 0, 1, 0, 1])
    }

    func testHeaderGivesColumnOrderAndColumnsOptionOverridesIt() throws {
        XCTAssertEqual(try read("x,y,polarity,timestamp\n3,4,1,77\n"), [Event(t: 77, x: 3, y: 4, polarity: 1)])
        XCTAssertEqual(try read("a,b,c,d\n3,4,1,77\n", columns: CSVColumns(spec: "x,y,p,t")), [Event(t: 77, x: 3, y: 4, polarity: 1)])
        XCTAssertEqual(try read("3,4,1,77\n", columns: CSVColumns(spec: "x,y,p,t")), [Event(t: 77, x: 3, y: 4, polarity: 1)])
    }

    func testHeaderlessInputDefaultsToTXYP() throws {
        XCTAssertEqual(try read("10,1,2,1\n11,3,4,0"), [Event(t: 10, x: 1, y: 2, polarity: 1), Event(t: 11, x: 3, y: 4, polarity: 0)])
    }

    func testWindowsLineEndingsSpacesBlankLinesAndByteOrderMark() throws {
        let text = "\u{FEFF}t,x,y,p\r\n10, 1 ,2,1\r\n\r\n11,3,4,0\r\n"
        XCTAssertEqual(try read(text), [Event(t: 10, x: 1, y: 2, polarity: 1), Event(t: 11, x: 3, y: 4, polarity: 0)])
    }

    func testGarbageFieldFailsWithLineAndColumn() throws {
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n1,2,3,1\n5,abc,3,1\n") },
                       "e.csv:3:3: field 'x': expected an integer in 0..<34 (sensor 34×34), found 'abc'")
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n1,2,3,2\n") },
                       "e.csv:2:7: field 'p': expected polarity 0/1, -1/1 or true/false, found '2'")
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n1.5,2,3,1\n") },
                       "e.csv:2:1: field 't': expected an integer timestamp in microseconds, found '1.5'")
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("1,2,40,1\n") },
                       "e.csv:1:5: field 'y': expected an integer in 0..<34 (sensor 34×34), found '40'")
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n99999999999999999999,2,3,1\n") },
                       "e.csv:2:1: field 't': expected an integer timestamp in microseconds, found '99999999999999999999'")
    }

    func testWrongFieldCountFailsWithLine() throws {
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n1,2,3\n") },
                       "e.csv:2: expected 4 comma-separated fields, found 3")
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("t,x,y,p\n1,2,3,1,9,9\n") },
                       "e.csv:2: expected 4 comma-separated fields, found 6")
    }

    func testBadHeaderFails() throws {
        XCTAssertEqual(TestSupport.errorMessage { _ = try self.read("time,x,y,color\n1,2,3,1\n") },
                       "e.csv:1: header 'time,x,y,color' does not name the columns t, x, y, p once each (also accepted: timestamp, polarity); use the columns option to give the order")
    }

    func testBinaryFedAsCSVFailsClearly() throws {
        let bytes = TestSupport.record(x: 18, y: 16, p: 1, t: 893) + TestSupport.record(x: 20, y: 17, p: 1, t: 1060)
        var reader = CSVReader(input: ByteInput(bytes: bytes, name: "x.bin"))
        XCTAssertEqual(TestSupport.errorMessage { _ = try reader.readAll() },
                       "x.bin: byte offset 0: byte 0x12 is not CSV text; expected CSV lines 't,x,y,p' (binary data? use the format nmnist for .bin)")
    }

    func testMegabyteLineFailsWithLineNumberInsteadOfGrowing() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let text = "t,x,y,p\n1,2,3,1\n" + String(repeating: "7", count: 1 << 20) + ",1,1,1\n"
        TestSupport.write(Array(text.utf8), to: folder + "/long.csv")
        var reader = try CSVReader(path: folder + "/long.csv")
        XCTAssertEqual(TestSupport.errorMessage { _ = try reader.readAll() },
                       "\(folder)/long.csv:3: line longer than 4096 bytes; expected short CSV event lines (is this a CSV file?)")
    }

    func testEmptyAndHeaderOnlyFilesHaveZeroEvents() throws {
        XCTAssertEqual(try read("").count, 0)
        XCTAssertEqual(try read("t,x,y,p\n").count, 0)
        XCTAssertEqual(try read("\n\n").count, 0)
    }

    func testLinesSplitAcrossPipeReadsParseWhole() throws {
        let events = TestSupport.randomStream(seed: 3, count: 3_000)
        let folder = try TestSupport.temporaryFolder(self)
        var writer = try CSVWriter(path: folder + "/p.csv")
        try writer.write(events)
        try writer.finish()
        let bytes = try TestSupport.bytes(of: folder + "/p.csv")
        for piece in [1, 5, 1_000] {
            let fd = TestSupport.pipeFeeding(bytes, piece: piece)
            var reader = CSVReader(input: ByteInput(fd: fd, name: "pipe", ownsDescriptor: true, capacity: 8_192), maxLineLength: 100)
            XCTAssertEqual(try reader.readAll(), events, "piece \(piece)")
        }
    }
}

final class LivePipeTests: XCTestCase {
    /// Events written to a pipe that stays open must come out before EOF.
    private func checkPromptDelivery(_ first: [UInt8], expecting count: Int, make: (ByteInput) -> any EventSource) throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let readerDone = DispatchSemaphore(value: 0)
        let writerTimedOut = LockedFlag()
        let writeEnd = fds[1]
        first.withUnsafeBytes { _ = write(writeEnd, $0.baseAddress, first.count) }
        Thread.detachNewThread {
            if readerDone.wait(timeout: .now() + 10) == .timedOut { writerTimedOut.set() }
            close(writeEnd)
        }
        var source = make(ByteInput(fd: fds[0], name: "pipe", ownsDescriptor: true))
        var chunk = ContiguousArray<Event>()
        XCTAssertTrue(try source.nextChunk(into: &chunk))
        readerDone.signal()
        XCTAssertEqual(chunk.count, count)
        while try source.nextChunk(into: &chunk) {}
        XCTAssertFalse(writerTimedOut.value, "the first chunk waited for the end of the stream")
    }

    func testCSVFromLivePipeDeliversEventsBeforeEOF() throws {
        try checkPromptDelivery(Array("t,x,y,p\n1,2,3,1\n2,2,3,0\n".utf8), expecting: 2) { CSVReader(input: $0) }
    }

    func testBinFromLivePipeDeliversEventsBeforeEOF() throws {
        try checkPromptDelivery(TestSupport.record(x: 1, y: 1, p: 1, t: 5) + TestSupport.record(x: 1, y: 2, p: 0, t: 6), expecting: 2) { NMNISTReader(input: $0) }
    }
}

/// A flag set from another thread.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
