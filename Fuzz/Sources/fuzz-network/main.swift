// libFuzzer target for the network-file loader (FeastIO.NetworkFile): the
// input bytes are written to a temporary .h5 file, loaded, and a loaded
// network is restored into a layer of its arithmetic, as `feast extract`,
// `stream`, `render` and `train --resume` do. A thrown error must name the
// file; a trap or a sanitizer report is a finding. HDF5 itself is not
// instrumented. Run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastCore
import FeastIO
import FuzzSupport

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
        } else {
            _ = try FeastLayer<FloatArithmetic>(restoring: layer)
        }
    } catch {}
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzNetwork($0, $1) })
