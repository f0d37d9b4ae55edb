// libFuzzer target for the EVT 2.0 reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzEVT2(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let input = CameraFuzzCase(data, size, name: "fuzz.raw"),
          var reader = try? EVT2Reader(input: input.input, geometry: input.geometry, chunkCapacity: input.chunkCapacity) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // One event per 4-byte word at most.
    if let count { precondition(count <= input.bodyCount / 4) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzEVT2($0, $1) })
