import FeastCore
import FeastEvents
import Foundation
import XCTest

/// ``FeastNetwork``: stacked layers, each deeper one fed the winners of the
/// layer before with the neuron as its channel.
final class StackedNetworkTests: XCTestCase {
    /// Two layers; `fixed`: each in fixed point resolved for its own parameters.
    func stack(_ first: FeastParameters, _ second: FeastParameters, fixed: Bool = false) throws -> FeastNetwork {
        func arithmetic(_ p: FeastParameters) -> LayerArithmetic { fixed ? .fixed(FixedPointConfiguration().resolved(for: p)) : .float }
        let a = try AnyFeastLayer(parameters: first, geometry: .nmnist, arithmetic: arithmetic(first))
        let stacked = FeastNetwork.stackedParameters(second, after: a.totalNeurons)
        let b = try AnyFeastLayer(parameters: stacked, geometry: .nmnist, arithmetic: arithmetic(stacked))
        return try FeastNetwork(layers: [a, b])
    }

    func testDeeperLayerSeesTheWinnersOfTheLayerBeforeWithTheNeuronAsChannel() throws {
        let events = TestData.randomEvents(6_000, seed: 11)
        var network = try stack(FeastParameters(neurons: 8, radius: 3, seed: 2), FeastParameters(neurons: 6, radius: 2, seed: 5))
        // By hand: layer 0, its winners re-addressed, then layer 1, both learning.
        var first = network.layers[0], second = network.layers[1]
        var out0 = ContiguousArray<OutputEvent>(), out1 = ContiguousArray<OutputEvent>()
        first.process(events, learn: true, into: &out0, emitMisses: true)
        let channelled = ContiguousArray(out0.filter { $0.neuron >= 0 }.map {
            Event(t: $0.event.t, x: $0.event.x, y: $0.event.y, polarity: UInt8($0.neuron))
        })
        XCTAssertLessThan(channelled.count, events.count, "layer 0 misses some events, which layer 1 must not see")
        second.process(channelled, learn: true, into: &out1, emitMisses: true)

        var stacked = ContiguousArray<OutputEvent>()
        network.process(events, learn: true, into: &stacked, emitMisses: true)
        XCTAssertEqual(stacked, out1)
        XCTAssertEqual(network.layers[1].state, second.state)
        XCTAssertEqual(network.layers[0].state, first.state)
        XCTAssertEqual(network.totalNeurons, 6)
        XCTAssertTrue(stacked.allSatisfy { $0.neuron < 6 && $0.event.polarity < 8 })
        XCTAssertEqual(Set(stacked.map(\.event.polarity)).count, 8, "every layer-0 neuron reaches layer 1 as a channel")
    }

    func testStackedSourceGivesThePrefixWinnersAsChannelEventsInChunks() throws {
        let events = TestData.randomEvents(9_000, seed: 3)
        var network = try stack(FeastParameters(neurons: 8, radius: 3, seed: 2), FeastParameters(neurons: 4, radius: 2))
        let prefix = network.prefix(1)
        var whole = ContiguousArray<OutputEvent>()
        var copy = prefix
        copy.process(events, learn: false, into: &whole, emitMisses: false)
        var source = StackedEventSource(ArrayEventSource(events, chunkSize: 1_000), through: prefix)
        let seen = try source.readAll()
        XCTAssertEqual(seen, ContiguousArray(whole.map { Event(t: $0.event.t, x: $0.event.x, y: $0.event.y, polarity: UInt8($0.neuron)) }))
        // The source's prefix is frozen: the network it was built from is unchanged.
        XCTAssertEqual(network.prefix(1).layers[0].state, prefix.layers[0].state)
        network.reset()
    }

    func testAChannelBeyondTheLayersChannelsIsSkippedNotStored() throws {
        var layer = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, radius: 1, polarityMode: .polarityChannel, inputChannels: 5),
                                                    arithmetic: .init())
        XCTAssertEqual(layer.contextLength, 5 * 9)
        XCTAssertEqual(layer.process(Event(t: 10, x: 5, y: 5, polarity: 5), learn: true), -2)
        XCTAssertEqual(layer.counters.outsideSensor, 1)
        XCTAssertGreaterThanOrEqual(layer.process(Event(t: 20, x: 5, y: 5, polarity: 4), learn: true), 0)
        // Channel 4 fired at the centre: only that channel's window is nonzero.
        let trace = layer.step(Event(t: 30, x: 5, y: 5, polarity: 2), learn: false)
        let nonzero = trace.context.enumerated().filter { $0.element > 0 }.map { $0.offset / 9 }
        XCTAssertEqual(Set(nonzero), [2, 4])
    }

    func testTwoChannelLayerIsUnchangedByTheGeneralisation() throws {
        // inputChannels = 2 is the sensor's OFF/ON channel mode: any nonzero
        // polarity is ON, as before stacking.
        let events = TestData.randomEvents(3_000, seed: 8)
        var a = try FeastLayer<FloatArithmetic>(parameters: FeastParameters(neurons: 4, radius: 2, polarityMode: .polarityChannel), arithmetic: .init())
        var b = a
        let onAsSeven = ContiguousArray(events.map { Event(t: $0.t, x: $0.x, y: $0.y, polarity: $0.polarity == 0 ? 0 : 7) })
        var wa = [Int32](repeating: 0, count: events.count), wb = wa
        a.process(events, range: 0..<events.count, learn: true, winners: &wa)
        b.process(onAsSeven, range: 0..<events.count, learn: true, winners: &wb)
        XCTAssertEqual(wa, wb)
        XCTAssertEqual(a.counters.outsideSensor, 0)
    }

    func testNetworkRefusesALayerThatCannotTakeTheLayerBefore() throws {
        let a = try AnyFeastLayer(parameters: FeastParameters(neurons: 8), geometry: .nmnist, arithmetic: .float)
        let wrong = try AnyFeastLayer(parameters: FeastParameters(neurons: 4, polarityMode: .polarityChannel, inputChannels: 6),
                                      geometry: .nmnist, arithmetic: .float)
        XCTAssertThrowsError(try FeastNetwork(layers: [a, wrong])) {
            XCTAssertEqual("\($0)", "invalid input channels 6: expected 8 channels in layer 1, one per neuron of layer 0")
        }
        let big = try AnyFeastLayer(parameters: FeastParameters(neurons: 200, polarityMode: .perPolarity), geometry: .nmnist, arithmetic: .float)
        XCTAssertThrowsError(try FeastNetwork.checkStackable(FeastNetwork.stackedParameters(FeastParameters(), after: big.totalNeurons),
                                                             after: big.totalNeurons, depth: 1)) {
            XCTAssertEqual("\($0)", "invalid neurons 400: expected at most 256 neurons (all populations) in layer 0: its winner is layer 1's channel byte")
        }
        XCTAssertThrowsError(try FeastParameters(polarityMode: .polarityChannel, inputChannels: 257).validate(geometry: .nmnist)) {
            XCTAssertEqual("\($0)", "invalid input channels 257: expected 2…256 (an event's polarity byte is its channel)")
        }
    }

    func testParametersOfOldFilesDecodeWithTwoChannelsAndEncodeAsBefore() throws {
        let old = #"{"neurons":8,"radius":3,"tau":20000,"eta":0.001,"thresholdRise":0.001,"thresholdFall":0.003,"initialThreshold":0,"seed":1,"borderPolicy":"zeroPad","polarityMode":"polarityChannel"}"#
        let p = try JSONDecoder().decode(FeastParameters.self, from: Data(old.utf8))
        XCTAssertEqual(p.inputChannels, 2)
        XCTAssertEqual(p.contextLength, 2 * 49)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertFalse(String(decoding: try encoder.encode(p), as: UTF8.self).contains("inputChannels"))
        let stacked = FeastNetwork.stackedParameters(p, after: 40)
        let text = String(decoding: try encoder.encode(stacked), as: UTF8.self)
        XCTAssertTrue(text.contains(#""inputChannels":40"#), text)
        XCTAssertEqual(try JSONDecoder().decode(FeastParameters.self, from: Data(text.utf8)), stacked)
    }

    /// Layer by layer, each layer's miss rate settles at its own
    /// Δclose/(Δclose + N·Δopen), and a fixed-point stack trains in fixed
    /// point in every layer.
    func testEquilibriumMissRateHoldsPerLayerInFloatAndFixed() throws {
        let recordings = (0..<30).map { TestData.randomEvents(4_000, seed: 100 + UInt64($0), maxGap: 60) }
        for fixed in [false, true] {
            var network = try stack(FeastParameters(neurons: 8, radius: 2, seed: 4), FeastParameters(neurons: 8, radius: 2, seed: 4), fixed: fixed)
            for k in 0..<2 {
                let prefix = k == 0 ? nil : network.prefix(k)
                var rates = [Double]()
                var layer = network.layers[k]
                let expected = try XCTUnwrap(layer.read(PredictedMissRate()))
                for epoch in 0..<3 {
                    var misses = 0, total = 0
                    for r in recordings {
                        var source: any EventSource = ArrayEventSource(r)
                        if let prefix { source = StackedEventSource(source, through: prefix) }
                        try layer.run(&source, learn: true, emitMisses: true) { out in
                            misses += out.filter { $0.neuron < 0 }.count
                            total += out.count
                        }
                    }
                    if epoch == 2 { rates.append(Double(misses) / Double(total)) }
                }
                XCTAssertEqual(rates[0], expected, accuracy: expected * 0.25, "layer \(k), \(layer.arithmeticName)")
                XCTAssertEqual(layer.arithmeticName, fixed ? "fixed" : "float32")
                network.replaceLayer(k, with: layer)
            }
        }
    }

    private struct PredictedMissRate: FeastLayerVisitor {
        func visit<A: FeastArithmetic>(_ layer: inout FeastLayer<A>) throws -> Double { layer.predictedMissRate }
    }
}
