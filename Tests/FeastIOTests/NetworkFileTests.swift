import XCTest
import FeastEvents
import FeastCore
@testable import FeastIO

final class NetworkFileTests: XCTestCase {
    /// A float layer trained briefly, with its monitor.
    func trainedFloat() throws -> (LayerState, TrainingMonitor) {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, radius: 2, seed: 7), arithmetic: .init())
        var monitor = TrainingMonitor(layer: layer, configuration: MonitorConfiguration(missWindow: 100, historyInterval: 250))
        for event in randomNetworkEvents(3_000, seed: 1) {
            let winner = layer.process(event, learn: true)
            monitor.record(winner, layer: layer)
        }
        return (layer.state, monitor)
    }

    func testFloatNetworkWithHistoryRoundTripsExactly() throws {
        let path = makeTemporaryFolder(self) + "/net.h5"
        let (state, monitor) = try trainedFloat()
        XCTAssertGreaterThan(monitor.history.count, 5)
        let network = NetworkFile(layer: state, monitor: monitor, position: TrainingPosition(epoch: 1, recording: 3))
        try network.write(to: path)
        let back = try NetworkFile.read(from: path)
        XCTAssertEqual(back, network)
        let restored = try FeastLayer<FloatArithmetic>(restoring: back.layer)
        XCTAssertEqual(restored.state, state)
    }

    func testFixedPointNetworkRoundTripsBitExactly() throws {
        let path = makeTemporaryFolder(self) + "/fixed.h5"
        var layer = try FeastLayer<FixedPointArithmetic>(parameters: FeastParameters(neurons: 3, radius: 1, seed: 3),
                                                         arithmetic: FixedPointConfiguration())
        for event in randomNetworkEvents(2_000, seed: 2) { _ = layer.process(event, learn: true) }
        let network = NetworkFile(layer: layer.state)
        try network.write(to: path)
        let back = try NetworkFile.read(from: path)
        XCTAssertEqual(back, network)
        XCTAssertFalse(back.layer.rawWeights.isEmpty)
        XCTAssertEqual(try FeastLayer<FixedPointArithmetic>(restoring: back.layer).state, layer.state)
    }

    func testH5pySeesParametersAsAttributes() throws {
        let path = makeTemporaryFolder(self) + "/py.h5"
        let (state, monitor) = try trainedFloat()
        try NetworkFile(layer: state, monitor: monitor).write(to: path)
        guard let (status, output) = runPythonH5py("""
        import h5py
        f = h5py.File('\(path)', 'r')
        l = f['layer0']
        print(f.attrs['format_version'], f.attrs['kind'], l['weights'].shape, l['weights'].dtype, l.attrs['parameters.neurons'],
              l.attrs['parameters.radius'], l.attrs['parameters.tau'], l.attrs['arithmetic'], l.attrs['geometry.width'],
              len(f['training/event']) == len(f['training/moving_miss_rate']))
        """) else { throw XCTSkip("python3 with h5py is not available") }
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output, "1 feast-network (4, 25) float32 4 2 20000 float32 34 True\n")
    }

    /// Rewrites a network file (without training group) after `change`.
    func tampered(_ source: String, _ destination: String, _ change: (inout NamedArrayGroup) -> Void) throws {
        var group = try NamedArrayGroup.readFile(from: source)
        change(&group)
        try group.writeFile(to: destination)
    }

    func testBrokenMismatchedAndNewerFilesGiveClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        let good = folder + "/good.h5"
        let (state, _) = try trainedFloat()
        try NetworkFile(layer: state).write(to: good)

        try tampered(good, folder + "/newer.h5") { $0.attributes["format_version"] = .int(2) }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/newer.h5") },
                       "\(folder)/newer.h5: /: format_version 2 is newer than this feast understands (1); upgrade feast")

        try tampered(good, folder + "/shape.h5") { g in
            g.groups["layer0"]!.arrays["weights"] = NamedArray([Float](repeating: 0.1, count: 5 * 25), shape: [5, 25])
        }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/shape.h5") },
                       "\(folder)/shape.h5: /layer0/weights: wrong shape: expected 4×25 (neurons × context length), found 5×25")

        try tampered(good, folder + "/nan.h5") { g in
            var w = state.weights
            w[37] = .nan
            g.groups["layer0"]!.arrays["weights"] = NamedArray(w, shape: [4, 25])
        }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/nan.h5") },
                       "\(folder)/nan.h5: /layer0/weights at index 37: nan (expected finite numbers)")

        try tampered(good, folder + "/thresholds.h5") { g in g.groups["layer0"]!.arrays["thresholds"] = nil }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/thresholds.h5") },
                       "\(folder)/thresholds.h5: /layer0/thresholds: missing (expected 4 floating-point numbers, one per neuron)")

        try tampered(good, folder + "/json.h5") { g in g.groups["layer0"]!.attributes["state_json"] = .string("{\"arithmetic\": 3}") }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/json.h5") }?.hasPrefix(
            "\(folder)/json.h5: /layer0 attribute 'state_json': "), true)

        let writer = try HDF5EventWriter(path: folder + "/events.h5", geometry: .nmnist)
        try writer.finish()
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/events.h5") },
                       "\(folder)/events.h5: /: missing attribute 'format_version' (expected an integer: is this a network file written by feast train?)")
    }

    func testSameNetworkGivesByteIdenticalFiles() throws {
        let folder = makeTemporaryFolder(self)
        let (state, monitor) = try trainedFloat()
        try NetworkFile(layer: state, monitor: monitor).write(to: folder + "/a.h5")
        Thread.sleep(forTimeInterval: 1.1)  // HDF5 object times have one-second resolution
        let (again, monitorAgain) = try trainedFloat()
        try NetworkFile(layer: again, monitor: monitorAgain).write(to: folder + "/b.h5")
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.h5"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b.h5"))
        XCTAssertEqual(a, b, "no object timestamps: equal content, equal bytes")
    }

    func testTruncatedAndNonHDF5FilesGiveClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        let (state, monitor) = try trainedFloat()
        try NetworkFile(layer: state, monitor: monitor).write(to: folder + "/good.h5")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/good.h5"))
        try bytes.prefix(3000).write(to: URL(fileURLWithPath: folder + "/cut.h5"))
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/cut.h5") }?.hasPrefix(
            "\(folder)/cut.h5: /: cannot open: "), true)
        try Data("t,x,y,p\n".utf8).write(to: URL(fileURLWithPath: folder + "/text.h5"))
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/text.h5") },
                       "\(folder)/text.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
    }

    func testWrongNeuronCountAgainstWeightsIsRefused() throws {
        let folder = makeTemporaryFolder(self)
        let (state, _) = try trainedFloat()
        var wrong = state
        wrong.neurons = 5  // the state says 5 neurons, the weights hold 4 rows
        wrong.parameters.neurons = 5
        var meta = wrong
        meta.weights = []; meta.thresholds = []
        try NetworkFile(layer: state).write(to: folder + "/good.h5")
        let json = try NetworkFile.json(meta, file: "", object: "")
        try tampered(folder + "/good.h5", folder + "/neurons.h5") { $0.groups["layer0"]!.attributes["state_json"] = .string(json) }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/neurons.h5") },
                       "\(folder)/neurons.h5: /layer0/weights: wrong shape: expected 5×25 (neurons × context length), found 4×25")
        // A state contradicting itself is refused before any array is sized from it.
        meta.parameters.neurons = 4
        let inconsistent = try NetworkFile.json(meta, file: "", object: "")
        try tampered(folder + "/good.h5", folder + "/state.h5") { $0.groups["layer0"]!.attributes["state_json"] = .string(inconsistent) }
        XCTAssertEqual(errorMessage { _ = try NetworkFile.read(from: folder + "/state.h5") },
                       "\(folder)/state.h5: /layer0 attribute 'state_json': neurons = 5 (expected 4 like parameters.neurons)")
    }
}
