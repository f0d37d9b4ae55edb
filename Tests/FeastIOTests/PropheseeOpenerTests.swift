import XCTest
import FeastEvents
@testable import FeastIO

/// EventFileOpener for Prophesee files: detection by header, writers by
/// extension/format, user geometry over the header's, missing geometry.
final class PropheseeOpenerTests: XCTestCase {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "feast-prophesee-opener-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testEVT2AndEVT3WrittenByTheFactoryAreDetectedAndReadBack() throws {
        let dir = try folder()
        let geometry = SensorGeometry(width: 640, height: 480)
        let events: ContiguousArray<Event> = [Event(t: 1, x: 0, y: 0, polarity: 1), Event(t: 1 << 25, x: 639, y: 479, polarity: 0), Event(t: 1 << 35, x: 3, y: 4, polarity: 1)]
        for format in [EventFormat.evt2, .evt3] {
            // Both are .raw: the header tells the version, not the extension.
            let path = dir + "/\(format.rawValue).raw"
            var sink = try EventFileOpener.makeSink(path: path, format: format, geometry: geometry, columns: nil)
            try sink.write(events)
            try sink.finish()
            var source = try EventFileOpener.openSource(path: path)
            XCTAssertEqual(source.geometry, geometry)
            XCTAssertEqual(try source.readAll(), events, "\(format)")
            XCTAssertEqual(try EventFormatDetector.detect(input: try ByteInput.open(path: path), given: nil), format)
            XCTAssertTrue(EventFileOpener.warnings(for: source).isEmpty)
        }
    }

    func testDATIsDetectedAndUserGeometryOverridesTheHeader() throws {
        let dir = try folder()
        let path = dir + "/x.dat"
        var bytes = Array("% Version 2\n% Width 4\n% Height 4\n".utf8) + [0x0C, 8]
        for v in [UInt32(5), UInt32(100) | UInt32(2) << 14 | 1 << 28] { bytes += (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let message = "\(String(describing: try? { var s = try EventFileOpener.openSource(path: path); return try s.readAll() }()))"
        XCTAssertEqual(message, "nil")
        var source = try EventFileOpener.openSource(path: path, options: EventReadOptions(geometry: SensorGeometry(width: 128, height: 8)))
        XCTAssertEqual(try source.readAll(), [Event(t: 5, x: 100, y: 2, polarity: 1)])
    }

    func testMissingGeometryNamesWhatWasLookedFor() throws {
        let dir = try folder()
        let path = dir + "/n.raw"
        _ = FileManager.default.createFile(atPath: path, contents: Data("% evt 3.0\n% end\n".utf8 + [0x00, 0x80]))
        do {
            _ = try EventFileOpener.openSource(path: path)
            XCTFail("expected missingGeometry")
        } catch let error as FeastEventsError {
            XCTAssertEqual(error, .missingGeometry(path: path, format: .evt3, looked: PropheseeHeader.geometryKeys))
        }
    }
}
