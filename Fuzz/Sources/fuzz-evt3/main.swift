// libFuzzer target for the EVT 3.0 reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzEVT3(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let input = CameraFuzzCase(data, size, name: "fuzz.raw"),
          var reader = try? EVT3Reader(input: input.input, geometry: input.geometry, chunkCapacity: input.chunkCapacity) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // A vector word gives at most 12 events per 2 bytes.
    if let count { precondition(count <= input.bodyCount * 6) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzEVT3($0, $1) })
