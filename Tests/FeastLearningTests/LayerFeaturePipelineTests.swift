import Foundation
import XCTest
import FeastCore
import FeastEvents
@testable import FeastLearning

/// Synthetic recordings: random events near a class-specific centre, made
/// from the recording's index with the seeded generator.
enum SyntheticRecordings {
    static func recordings(_ count: Int, classes: Int = 3) -> [Recording] {
        (0..<count).map { Recording(name: "synthetic/\($0)", label: $0 % classes, split: nil, location: .file("synthetic/\($0)")) }
    }

    static func events(of recording: Recording) -> ContiguousArray<Event> {
        let index = Int(recording.name.split(separator: "/").last!)!
        var rng = SplitMix64(seed: UInt64(index) &* 7919 &+ 1)
        let label = recording.label ?? 0
        var out = ContiguousArray<Event>()
        var t: Int64 = Int64(rng.below(1000))
        for _ in 0..<(1500 + rng.below(500)) {
            t += Int64(rng.below(200))
            let cx = 8 + 9 * label, cy = 17
            let x = max(0, min(33, cx + rng.below(11) - 5)), y = max(0, min(33, cy + rng.below(21) - 10))
            out.append(Event(t: t, x: UInt16(x), y: UInt16(y), polarity: UInt8(rng.below(2))))
        }
        return out
    }

    @Sendable static func open(_ recording: Recording) throws -> any EventSource {
        ArrayEventSource(events(of: recording), name: recording.name, chunkSize: 700)
    }
}

final class LayerFeaturePipelineTests: XCTestCase {
    let specs = try! ["hist", "hist:polarity,pool=2", "pixels", "hist:bins=3,norm=l1"].map { try FeatureSpec(parsing: $0) }

    func trainedLayer(_ recordings: [Recording]) throws -> FeastLayer<FloatArithmetic> {
        let layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 8, radius: 3), arithmetic: .init())
        var trainer = Trainer(layer: layer, epochs: 1)
        _ = try trainer.run(recordingCount: recordings.count, open: { try SyntheticRecordings.open(recordings[$0]) })
        return trainer.layer
    }

    func testParallelFeaturesEqualSerialFeaturesAndAFreshLayerPerRecording() throws {
        let recordings = SyntheticRecordings.recordings(24)
        let layer = try trainedLayer(Array(recordings.prefix(6)))
        let pipeline = try LayerFeaturePipeline(layer: layer, specs: specs)
        let serial = try pipeline.run(recordings, concurrency: 1, open: SyntheticRecordings.open)
        let parallel = try pipeline.run(recordings, concurrency: 4, open: SyntheticRecordings.open)
        XCTAssertEqual(serial.matrices, parallel.matrices)
        XCTAssertEqual(serial.labels, recordings.map { $0.label! })
        XCTAssertEqual(serial.names, recordings.map(\.name))

        // By hand: one layer reused serially, time surface reset per recording.
        var reused = layer
        for (r, recording) in recordings.enumerated() {
            reused.reset()
            var output = ContiguousArray<OutputEvent>()
            let events = SyntheticRecordings.events(of: recording)
            reused.process(events, learn: false, into: &output, emitMisses: false)
            for (s, spec) in specs.enumerated() {
                let extractor = try spec.makeExtractor(neurons: layer.neurons)
                let expected = spec.kind == .pixels
                    ? try (extractor as! PixelCountExtractor).features(ofEvents: events)
                    : try extractor.features(of: output)
                XCTAssertEqual(serial.matrices[s].row(r), expected, "recording \(r), spec \(spec)")
            }
        }
        XCTAssertGreaterThan(serial.matrices[0].storage.reduce(0, +), 0, "the layer produced winners")
    }

    func testLearningChangesTheFeatures() throws {
        let recordings = SyntheticRecordings.recordings(12)
        let untrained = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 8, radius: 3), arithmetic: .init())
        let trained = try trainedLayer(recordings)
        let spec = [FeatureSpec(kind: .hist)]
        let before = try LayerFeaturePipeline(layer: untrained, specs: spec).run(recordings, open: SyntheticRecordings.open)
        let after = try LayerFeaturePipeline(layer: trained, specs: spec).run(recordings, open: SyntheticRecordings.open)
        let differing = (0..<recordings.count).filter { before.matrices[0].row($0) != after.matrices[0].row($0) }.count
        XCTAssertEqual(differing, recordings.count, "every recording's win histogram changes with learning")
    }

    func testHistogramWithoutALayerIsRejected() throws {
        XCTAssertThrowsError(try LayerFeaturePipeline(layer: nil, specs: [FeatureSpec(kind: .hist, pool: 2)])) { error in
            XCTAssertEqual("\(error)", "feature spec 'hist:pool=2': win histograms need a FEAST layer; use 'pixels' for raw events")
        }
        XCTAssertThrowsError(try LayerFeaturePipeline(layer: nil, specs: [FeatureSpec(kind: .pixels)], pixelEvents: .output)) { error in
            XCTAssertEqual(error as? EvaluationError, .outputEventsWithoutLayer(spec: "pixels"))
            XCTAssertEqual("\(error)", "feature spec 'pixels': features of the output events need a FEAST layer; expected a layer, or the input events as pixel events")
        }
        XCTAssertNoThrow(try LayerFeaturePipeline(layer: nil, specs: [FeatureSpec(kind: .pixels)], pixelEvents: .input))
        XCTAssertThrowsError(try LayerFeaturePipeline(layer: nil, specs: [])) { error in
            XCTAssertEqual("\(error)", "no feature specs given; expected at least one (e.g. hist or pixels)")
        }
    }

    func testUnlabelledAndUnreadableRecordingsAreNamed() throws {
        let pipeline = try LayerFeaturePipeline(layer: nil, specs: [FeatureSpec(kind: .pixels)])
        let unlabelled = Recording(name: "loose.bin", label: nil, split: nil, location: .file("loose.bin"))
        XCTAssertThrowsError(try pipeline.run([unlabelled], open: SyntheticRecordings.open)) { error in
            XCTAssertEqual("\(error)", "recording loose.bin: no class label; expected a class folder (Train/3/x.bin) or a labels CSV with a label column")
        }
        // A .bin file cut mid-event: the decoder's error, prefixed with the file.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feast-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cut.bin")
        try Data([1, 2, 0x80, 0, 5, 3, 4]).write(to: file)
        let cut = Recording(name: "3/cut.bin", label: 3, split: nil, location: .file(file.path))
        XCTAssertThrowsError(try pipeline.run([cut])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("recording \(file.path): "), text)
            XCTAssertTrue(text.contains("cut.bin"), text)
        }
    }

    func testMalformedFeatureSpecsGiveClearErrors() {
        for (text, message) in [
            ("hist:pool=0", "feature spec 'hist:pool=0': pool must be an integer >= 1, got '0'"),
            ("histogram", "feature spec 'histogram': unknown kind 'histogram'; expected hist or pixels"),
            ("pixels:pool=2", "feature spec 'pixels:pool=2': pool= applies to hist; use block= for pixels"),
        ] {
            XCTAssertThrowsError(try FeatureSpec(parsing: text)) { XCTAssertEqual("\($0)", message) }
        }
        // A pooling grid finer than the sensor fails when the extractor is made.
        XCTAssertThrowsError(try LayerFeaturePipeline(layer: try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, radius: 2), arithmetic: .init()),
                                                      specs: [FeatureSpec(kind: .hist, pool: 40)])) { error in
            XCTAssertEqual("\(error)", "feature spec 'hist:pool=40': pool=40 is finer than the 34×34 sensor")
        }
    }
}
