import XCTest
import FeastEvents
import FeastCore
@testable import FeastIO

/// Network files of stacked layers: `/layer0`, `/layer1`, … with per-layer
/// training histories; single-layer files are unchanged.
final class StackedNetworkFileTests: XCTestCase {
    /// A two-layer network trained layer by layer on random events, with monitors.
    func trainedStack<A: FeastArithmetic>(_ type: A.Type, _ configuration: (FeastParameters) -> A.Configuration) throws -> (NetworkFile, FeastNetwork) {
        let p0 = FeastParameters(neurons: 6, radius: 2, seed: 3)
        let p1 = FeastNetwork.stackedParameters(FeastParameters(neurons: 4, radius: 1, seed: 3), after: 6)
        let recordings = (0..<3).map { randomNetworkEvents(3_000, seed: 9 + UInt64($0)) }
        let monitor = MonitorConfiguration(missWindow: 100, historyInterval: 500)
        var t0 = Trainer(layer: try FeastLayer<A>(parameters: p0, arithmetic: configuration(p0)), epochs: 1, monitor: monitor)
        _ = try t0.run(recordingCount: 3, open: { ArrayEventSource(recordings[$0]) })
        let prefix = FeastNetwork(AnyFeastLayer(t0.layer))
        var t1 = Trainer(layer: try FeastLayer<A>(parameters: p1, arithmetic: configuration(p1)), epochs: 1, monitor: monitor)
        _ = try t1.run(recordingCount: 3, open: { StackedEventSource(ArrayEventSource(recordings[$0]), through: prefix) })
        let network = try FeastNetwork(layers: [AnyFeastLayer(t0.layer), AnyFeastLayer(t1.layer)])
        return (NetworkFile(layers: network.layers.map(\.state), monitors: [t0.monitor, t1.monitor]), network)
    }

    func trainedStack(fixed: Bool) throws -> (NetworkFile, FeastNetwork) {
        fixed ? try trainedStack(FixedPointArithmetic.self) { FixedPointConfiguration().resolved(for: $0) }
              : try trainedStack(FloatArithmetic.self) { _ in .init() }
    }

    func testStackedNetworkRoundTripsEveryLayerAndHistoryInFloatAndFixed() throws {
        for fixed in [false, true] {
            let path = makeTemporaryFolder(self) + "/stack\(fixed).h5"
            let (file, network) = try trainedStack(fixed: fixed)
            try file.write(to: path)
            let (back, restored) = try NetworkFile.loadNetwork(from: path)
            XCTAssertEqual(back, file)
            XCTAssertEqual(back.layers.count, 2)
            XCTAssertEqual(back.deeperMonitors.count, 1)
            XCTAssertEqual(restored.layers.map(\.state), network.layers.map(\.state))
            XCTAssertEqual(restored.layers[1].parameters.inputChannels, 6)
            XCTAssertEqual(restored.layers[1].arithmeticName, fixed ? "fixed" : "float32")
            // The restored stack computes what the trained one does.
            var a = network, b = restored
            var outA = ContiguousArray<OutputEvent>(), outB = ContiguousArray<OutputEvent>()
            a.process(randomNetworkEvents(2_000, seed: 4), learn: false, into: &outA, emitMisses: true)
            b.process(randomNetworkEvents(2_000, seed: 4), learn: false, into: &outB, emitMisses: true)
            XCTAssertEqual(outA, outB)
            XCTAssertFalse(outA.isEmpty)
            XCTAssertThrowsError(try NetworkFile.loadLayer(from: path, command: "feast export")) {
                XCTAssertEqual("\($0)", "\(path): a stacked network of 2 layers; feast export works on a single layer (train one with --layers 1)")
            }
        }
    }

    func testH5pySeesEveryLayerGroupAndTheLayerCount() throws {
        let path = makeTemporaryFolder(self) + "/py.h5"
        try trainedStack(fixed: false).0.write(to: path)
        guard let (status, output) = runPythonH5py("""
        import h5py
        f = h5py.File('\(path)', 'r')
        print(f.attrs['layers'], f['layer0/weights'].shape, f['layer1/weights'].shape, f['layer1'].attrs['parameters.input_channels'],
              f['layer1'].attrs['parameters.polarity_mode'], len(f['layer1/training/event']) > 0)
        """) else { throw XCTSkip("python3 with h5py is not available") }
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output, "2 (6, 25) (4, 54) 6 polarityChannel True\n")
    }

    func testMissingOrMismatchedDeeperLayersGiveClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        let good = folder + "/good.h5"
        let (file, _) = try trainedStack(fixed: false)
        var plain = file
        plain.monitor = nil
        plain.deeperMonitors = []
        try plain.write(to: good)

        func tampered(_ name: String, _ change: (inout NamedArrayGroup) -> Void) throws -> String {
            var group = try NamedArrayGroup.readFile(from: good)
            change(&group)
            try group.writeFile(to: folder + "/" + name)
            return folder + "/" + name
        }
        let missing = try tampered("missing.h5") { $0.groups["layer1"] = nil }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: missing) },
                       "\(missing): /layer1: missing (expected a group holding layer 1)")
        let many = try tampered("many.h5") { $0.attributes["layers"] = .int(100) }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: many) }, "\(many): / attribute 'layers': 100 (expected 1…64 layers)")
        // Layer 1 of another layer's channel count: refused when restored, naming the group.
        var wrong = plain
        wrong.layers[1].parameters.inputChannels = 5
        wrong.layers[1].contextLength = 5 * 9
        wrong.layers[1].weights = [Float](repeating: 0.1, count: 4 * 45)
        try wrong.write(to: folder + "/channels.h5")
        XCTAssertEqual(errorMessage { _ = try NetworkFile.loadNetwork(from: folder + "/channels.h5") },
                       "\(folder)/channels.h5: /layer1: invalid input channels 5: expected 6 channels in layer 1, one per neuron of layer 0")
    }
}
