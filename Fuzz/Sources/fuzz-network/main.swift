// libFuzzer target for the network-file loader (FeastIO.NetworkFile): the
// input bytes are written to a temporary .h5 file, loaded, and a loaded
// network is restored into a layer of its arithmetic, as `feast extract`,
// `stream`, `render` and `train --resume` do. A thrown error must name the
// file; a trap or a sanitizer report is a finding. HDF5 itself is not
// instrumented. Run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastCore
import FeastEvents
import FeastIO
import FuzzSupport

/// A few events for a resumed training run to record.
let fewEvents: ContiguousArray<Event> = {
    var events = ContiguousArray<Event>()
    for i in 0..<64 {
        let x = UInt16(i * 7 % 34), y = UInt16(i * 11 % 34)
        events.append(Event(t: Int64(i) * 50, x: x, y: y, polarity: UInt8(i & 1)))
    }
    return events
}()

/// Resumes a checkpoint as `feast train --resume` does and trains over one
/// tiny recording: the decoded monitor and position drive the run.
func resume<A: FeastArithmetic>(_ network: NetworkFile, as type: A.Type) {
    guard let monitor = network.monitor, let position = network.position, network.layer.geometry == .nmnist else { return }
    let checkpoint = TrainingCheckpoint(layer: network.layer, monitor: monitor, position: position)
    guard var trainer = try? Trainer<A>(resuming: checkpoint, epochs: min(position.epoch + 1, 3)) else { return }
    _ = try? trainer.run(recordingCount: 1, open: { _ in ArrayEventSource(fewEvents, chunkSize: 16) })
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNetwork(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let path = FuzzInput.temporaryFile(UnsafeBufferPointer(start: data, count: size), suffix: ".h5")
    defer { unlink(path) }
    let network: NetworkFile
    do {
        network = try NetworkFile.read(from: path)
    } catch {
        precondition(String(describing: error).contains(path), "error without the file name: \(error)")
        return 0
    }
    // A loaded network has the arrays its state declares, all finite.
    let layer = network.layer
    precondition(layer.weights.count == layer.populations * layer.neurons * layer.contextLength, "weights of the wrong size")
    precondition(layer.thresholds.count == layer.populations * layer.neurons, "thresholds of the wrong size")
    precondition(layer.weights.allSatisfy(\.isFinite) && layer.thresholds.allSatisfy(\.isFinite), "non-finite values loaded")
    // Restoring may refuse (a FeastCoreError), never trap.
    do {
        if layer.arithmetic == FixedPointArithmetic.name {
            _ = try FeastLayer<FixedPointArithmetic>(restoring: layer)
            resume(network, as: FixedPointArithmetic.self)
        } else {
            _ = try FeastLayer<FloatArithmetic>(restoring: layer)
            resume(network, as: FloatArithmetic.self)
        }
    } catch {}
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzNetwork($0, $1) })
