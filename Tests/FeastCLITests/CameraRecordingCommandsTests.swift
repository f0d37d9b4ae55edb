import Foundation
import XCTest

/// One long 1280×720 recording cut into labelled time windows, in the
/// formats that carry their sensor size: every DATASET command runs on it,
/// takes the geometry from the file (never from the largest address) and
/// sees only each window's events.
final class CameraRecordingCommandsTests: XCTestCase {
    static let width = 1280, height = 720
    /// Samples in the recording, alternating class 0 (a bar moving right)
    /// and class 1 (a bar moving down), each 40 ms, 10 ms apart.
    static let samples = 12

    /// Writes `long.csv` (t,x,y,p) and returns the windows `(label, start, end, events)`.
    private func writeLongRecording(_ folder: String) throws -> [(label: Int, start: Int, end: Int, events: Int)] {
        var rng = TestLCG(state: 12345)
        func next() -> UInt64 { rng.next() }
        var text = "t,x,y,p\n"
        var windows = [(label: Int, start: Int, end: Int, events: Int)]()
        var t = 0
        for s in 0..<Self.samples {
            let label = s % 2
            let start = t
            // Anywhere on the sensor, far beyond 34×34.
            let x0 = 40 + Int(next() % UInt64(Self.width - 120)), y0 = 40 + Int(next() % UInt64(Self.height - 120))
            var count = 0
            for step in 0..<400 {
                t = start + step * 100
                let along = step / 10, across = Int(next() % 20)
                let (x, y) = label == 0 ? (x0 + along, y0 + across) : (x0 + across, y0 + along)
                text += "\(t),\(x),\(y),\(next() & 1)\n"
                count += 1
            }
            windows.append((label, start, t + 1, count))
            t += 10_000
        }
        try text.write(toFile: folder + "/long.csv", atomically: true, encoding: .utf8)
        return windows
    }

    /// The camera-file formats under test (extension, `--to` name).
    static let formats = [("h5", "hdf5"), ("raw", "evt3"), ("es", "es")]

    func testDatasetCommandsRunOnLabelledWindowsOfALargeSensorRecording() throws {
        let folder = try CLI.temporaryFolder(self)
        let windows = try writeLongRecording(folder)
        for (ext, name) in Self.formats {
            let file = "long.\(ext)"
            let converted = try CLI.run(["convert", folder + "/long.csv", folder + "/" + file, "--geometry", "1280x720", "--to", name])
            XCTAssertEqual(converted.status, 0, converted.stderr)
            var labels = "file,label,t_start,t_end,split\n"
            for (i, w) in windows.enumerated() { labels += "\(file),\(w.label),\(w.start),\(w.end),\(i < 8 ? "train" : "test")\n" }
            try labels.write(toFile: folder + "/labels.csv", atomically: true, encoding: .utf8)

            // info: one row per window, the header's sensor, the window's events.
            let info = try CLI.run(["info", "--json", folder + "/labels.csv"])
            XCTAssertEqual(info.status, 0, info.stderr)
            let report = try JSONSerialization.jsonObject(with: info.stdout) as! [String: Any]
            let rows = report["recordings"] as! [[String: Any]]
            XCTAssertEqual(rows.count, Self.samples, name)
            XCTAssertEqual(rows.map { $0["width"] as? Int }, Array(repeating: Self.width, count: Self.samples))
            XCTAssertEqual(rows.map { $0["height"] as? Int }, Array(repeating: Self.height, count: Self.samples))
            XCTAssertEqual(rows.map { $0["events"] as? Int }, windows.map(\.events), name)
            XCTAssertEqual(rows[0]["file"] as? String, "\(folder)/\(file)@\(windows[0].start)-\(windows[0].end)")

            // train sizes the time surface from the header: events far outside 34×34 are learned from.
            let train = try CLI.run(["train", folder + "/labels.csv", "-o", folder + "/net.h5", "--neurons", "4", "--radius", "2", "--json"])
            XCTAssertEqual(train.status, 0, train.stderr)
            let extract = try CLI.run(["extract", "--network", folder + "/net.h5", folder + "/labels.csv", "-o", folder + "/out.csv"])
            XCTAssertEqual(extract.status, 0, extract.stderr)
            let lines = try String(contentsOfFile: folder + "/out.csv", encoding: .utf8).split(separator: "\n")
            // Header + one line per event of every window with a winner or a
            // miss dropped: at least some output, all of it inside the windows' span.
            XCTAssertGreaterThan(lines.count, 100, name)
            let maxX = lines.dropFirst().compactMap { Int($0.split(separator: ",")[2]) }.max() ?? 0
            XCTAssertGreaterThan(maxX, 34, "output events beyond 34×34: the layer has the file's sensor")

            // stream: the same layer over stdin keeps the file's geometry from the network.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/long.csv"))
            let streamed = try CLI.run(["stream", "--network", folder + "/net.h5", "--format", "csv"], stdin: bytes)
            XCTAssertEqual(streamed.status, 0, streamed.stderr)
            XCTAssertGreaterThan(streamed.text.split(separator: "\n").count, 100)

            // A network of a smaller sensor refuses the recording instead of
            // skipping every event off its 34×34 pixels.
            let small = try CLI.run(["train", folder + "/labels.csv", "-o", folder + "/small.h5", "--neurons", "4", "--radius", "2", "--geometry", "34x34"])
            XCTAssertNotEqual(small.status, 0, "a 34×34 --geometry must not read 1280×720 addresses")
            let csvNet = try CLI.run(["train", folder + "/long.csv", "-o", folder + "/small.h5", "--neurons", "4", "--radius", "2", "--geometry", "1279x719"])
            XCTAssertEqual(csvNet.status, 0, csvNet.stderr)
            let mismatch = try CLI.run(["extract", "--network", folder + "/small.h5", folder + "/labels.csv", "-o", folder + "/bad.csv"])
            XCTAssertNotEqual(mismatch.status, 0)
            XCTAssertTrue(mismatch.stderr.contains("the recording's sensor is 1280×720, larger than the network's 1279×719"), mismatch.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/bad.csv"))

            // fit and classify on the windows.
            let fit = try CLI.run(["fit", "--network", folder + "/net.h5", "--train", folder + "/labels.csv", "-o", folder + "/clf.h5",
                                   "--classifier", "centroid", "--features", "hist"])
            XCTAssertEqual(fit.status, 0, fit.stderr)
            let classify = try CLI.run(["classify", "--classifier", folder + "/clf.h5", "--network", folder + "/net.h5", folder + "/labels.csv", "--split", "test"])
            XCTAssertEqual(classify.status, 0, classify.stderr)
            let predictions = classify.text.split(separator: "\n").dropFirst()
            XCTAssertEqual(predictions.count, 4, classify.text)
            XCTAssertTrue(predictions.allSatisfy { $0.hasPrefix("\(folder)/\(file)@") }, classify.text)

            // size: the heuristics over the windows.
            let size = try CLI.run(["size", folder + "/labels.csv", "--neurons", "2,4", "--radius", "2", "--no-classifier", "--json"])
            XCTAssertEqual(size.status, 0, size.stderr)

            // evaluate over the windows' split marks.
            let evaluate = try CLI.run(["evaluate", "--train", folder + "/labels.csv", "--neurons", "4", "--radius", "2", "--stages", "a,c",
                                        "--classifier", "centroid", "--json"])
            XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
            let result = try JSONSerialization.jsonObject(with: evaluate.stdout) as! [String: Any]
            XCTAssertEqual(result["train_recordings"] as? Int, 8, evaluate.text)
            XCTAssertEqual(result["test_recordings"] as? Int, 4, evaluate.text)
        }
    }
}
