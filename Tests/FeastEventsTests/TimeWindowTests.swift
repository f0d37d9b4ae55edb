import FeastEvents
import Foundation
import XCTest

/// Labelled time windows: `file,label,t_start,t_end` rows that cut one long
/// recording into many samples.
final class TimeWindowTests: XCTestCase {
    func testWindowSourceKeepsOnlyEventsInsideTheHalfOpenSpan() throws {
        let events = ContiguousArray((0..<100).map { Event(t: Int64($0) * 10, x: UInt16($0 % 34), y: 1, polarity: UInt8($0 & 1)) })
        // Chunks of 7 so the window's edges fall inside chunks, and chunks
        // wholly before the window must not end the stream.
        var source = TimeWindowSource(ArrayEventSource(events, chunkSize: 7), window: TimeWindow(start: 255, end: 500))
        let kept = try source.readAll()
        XCTAssertEqual(kept.map(\.t), Array(stride(from: 260, to: 500, by: 10)))
        XCTAssertEqual(kept.first, events[26])
        XCTAssertEqual(source.name, "<memory>@255-500")
    }

    func testWindowSourceStopsReadingAtTheFirstEventPastTheEnd() throws {
        var events = ContiguousArray((0..<20).map { Event(t: Int64($0), x: 0, y: 0, polarity: 1) })
        // An event back inside the window after the end was passed is not
        // read: time-ordered files stop early (documented).
        events.append(Event(t: 3, x: 1, y: 1, polarity: 0))
        var source = TimeWindowSource(ArrayEventSource(events, chunkSize: 4), window: TimeWindow(start: 2, end: 5))
        XCTAssertEqual(try source.readAll().map(\.t), [2, 3, 4])
    }

    func testEmptyWindowEndsTheStream() throws {
        let events = ContiguousArray((0..<10).map { Event(t: Int64($0) * 100, x: 0, y: 0, polarity: 1) })
        var source = TimeWindowSource(ArrayEventSource(events), window: TimeWindow(start: 101, end: 199))
        var chunk = ContiguousArray<Event>()
        XCTAssertFalse(try source.nextChunk(into: &chunk))
        XCTAssertTrue(chunk.isEmpty)
    }

    func testLabelsCSVWithWindowsGivesOneRecordingPerLine() throws {
        let folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(Array("t,x,y,p\n1,1,1,1\n".utf8), to: folder + "/user01.csv")
        TestSupport.write(Array("""
            file,label,t_start,t_end,split
            user01.csv,4,2000000,3000000,train
            user01.csv,1,0,1000000,train
            user01.csv,2,1000000,2000000,test

            """.utf8), to: folder + "/labels.csv")
        let dataset = try Dataset.load(path: folder + "/labels.csv")
        XCTAssertEqual(dataset.recordings.map(\.name), ["user01.csv@0-1000000", "user01.csv@1000000-2000000", "user01.csv@2000000-3000000"])
        XCTAssertEqual(dataset.recordings.map(\.label), [1, 2, 4])
        XCTAssertEqual(dataset.recordings.map(\.split), [.train, .test, .train])
        XCTAssertEqual(dataset.recordings[1].window, TimeWindow(start: 1_000_000, end: 2_000_000))
        XCTAssertEqual(dataset.recordings[1].displayPath, folder + "/user01.csv@1000000-2000000")
    }

    func testLabelsCSVWindowErrorsNameLineAndField() throws {
        let folder = try TestSupport.temporaryFolder(self)
        TestSupport.write(Array("t,x,y,p\n".utf8), to: folder + "/a.csv")
        func message(_ text: String) -> String {
            TestSupport.write(Array(text.utf8), to: folder + "/labels.csv")
            do { _ = try Dataset.load(path: folder + "/labels.csv"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("file,label,t_start,t_end\na.csv,1,50,50\n"),
                       "\(folder)/labels.csv:2: t_start 50 µs is not before t_end 50 µs; expected a window [t_start, t_end)")
        XCTAssertEqual(message("file,label,t_start,t_end\na.csv,1,-5,50\n"),
                       "\(folder)/labels.csv:2: t_start '-5' is not a time in µs (an integer ≥ 0)")
        XCTAssertEqual(message("file,label,t_start,t_end\na.csv,1,5\n"),
                       "\(folder)/labels.csv:2: t_end '' is not a time in µs (an integer ≥ 0)")
        XCTAssertEqual(message("file,label,t_start\na.csv,1,5\n"),
                       "\(folder)/labels.csv:1: header has t_start without t_end; a time window needs both (µs)")
        XCTAssertEqual(message("file,label,t_start,t_end\nb.csv,1,0,5\n"),
                       "\(folder)/labels.csv:2: listed file 'b.csv' does not exist (looked for \(folder)/b.csv; paths are relative to the labels CSV's folder)")
    }
}
