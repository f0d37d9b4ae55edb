import FeastCore
import FeastEvents
import Foundation
import XCTest

final class TrainerTests: XCTestCase {
    func recordings() -> [ContiguousArray<Event>] {
        (0..<12).map { r in
            var rng = SplitMix64(state: UInt64(r) + 100)
            var t: Int64 = 0
            return ContiguousArray((0..<800).map { _ in
                t += Int64(rng.below(200))
                return Event(t: t, x: UInt16(rng.below(34)), y: UInt16(rng.below(34)), polarity: UInt8(rng.below(2)))
            })
        }
    }

    func testShuffleIsSeededAndAPermutation() throws {
        let t = Trainer(layer: try FeastLayer<FloatArithmetic>(parameters: FeastParameters(seed: 4), arithmetic: .init()), epochs: 3)
        let a = t.order(epoch: 0, count: 50), b = t.order(epoch: 1, count: 50)
        XCTAssertEqual(a.sorted(), Array(0..<50))
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, t.order(epoch: 0, count: 50))
    }

    func testStoppedAndResumedTrainingIsBitIdenticalToAnUninterruptedRun() throws {
        let recs = recordings()
        var c = FixedPointConfiguration()
        c.rounding = .stochastic
        let layer = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 8), arithmetic: c)
        let monitor = MonitorConfiguration(historyInterval: 500)
        var whole = Trainer(layer: layer, epochs: 3, monitor: monitor)
        let full = try whole.run(recordingCount: recs.count, open: { ArrayEventSource(recs[$0], chunkSize: 100) })
        XCTAssertTrue(full.completed)

        var first = Trainer(layer: layer, epochs: 3, monitor: monitor)
        var opened = 0
        let part = try first.run(recordingCount: recs.count, open: { opened += 1; return ArrayEventSource(recs[$0], chunkSize: 100) },
                                 shouldStop: { opened == 17 })
        XCTAssertFalse(part.completed)
        XCTAssertEqual(part.position, TrainingPosition(epoch: 1, recording: 5))
        let saved = try JSONEncoder().encode(first.checkpoint)
        var second = try Trainer<FixedPointArithmetic>(resuming: JSONDecoder().decode(TrainingCheckpoint.self, from: saved), epochs: 3)
        let rest = try second.run(recordingCount: recs.count, open: { ArrayEventSource(recs[$0], chunkSize: 100) })
        XCTAssertTrue(rest.completed)
        XCTAssertEqual(second.layer.state, whole.layer.state)
        XCTAssertEqual(second.monitor, whole.monitor)
        XCTAssertEqual(part.events + rest.events, full.events)
        XCTAssertEqual(rest.missRate, full.missRate)
    }

    func testSpanProcessingGivesTheLayerAndHistoryOfPerEventProcessing() throws {
        // Border skips make some events not count towards the history rows,
        // and a history interval that does not divide the chunk size puts
        // rows in the middle of chunks.
        let recs = recordings()
        for chunkSize in [1, 97, 800] {
            let layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 8, radius: 3, borderPolicy: .skip), arithmetic: .init())
            let config = MonitorConfiguration(historyInterval: 333, trackWeightDrift: true)
            var trainer = Trainer(layer: layer, epochs: 1, shuffle: false, monitor: config)
            _ = try trainer.run(recordingCount: recs.count, open: { ArrayEventSource(recs[$0], chunkSize: chunkSize) })

            var manual = layer
            var monitor = TrainingMonitor(layer: manual, configuration: config)
            for r in recs {
                manual.reset()
                for e in r { monitor.record(manual.process(e, learn: true), layer: manual) }
            }
            XCTAssertEqual(trainer.layer.state, manual.state, "chunk \(chunkSize)")
            XCTAssertEqual(trainer.monitor.history, monitor.history, "chunk \(chunkSize)")
            XCTAssertGreaterThan(monitor.history.count, 10)
            XCTAssertGreaterThan(manual.counters.skipped, 0)
        }
    }

    func testProgressIsReportedAndRecordingErrorsNameTheRecording() throws {
        let recs = recordings()
        var t = Trainer(layer: try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init()), epochs: 1)
        var reports = 0
        _ = try t.run(recordingCount: recs.count, open: { ArrayEventSource(recs[$0], chunkSize: 64) },
                      progress: { p in reports += 1; XCTAssertGreaterThan(p.events, 0) }, progressInterval: 0)
        XCTAssertGreaterThan(reports, 100)
        struct Broken: Error, CustomStringConvertible { var description: String { "truncated event at byte 10" } }
        var u = Trainer(layer: try FeastLayer<FloatArithmetic>(parameters: FeastParameters(), arithmetic: .init()), epochs: 1, shuffle: false)
        XCTAssertThrowsError(try u.run(recordingCount: 3, open: { i in if i == 1 { throw Broken() }; return ArrayEventSource(recs[i]) })) {
            XCTAssertEqual("\($0)", "recording 1 (#1): truncated event at byte 10")
        }
    }
}
