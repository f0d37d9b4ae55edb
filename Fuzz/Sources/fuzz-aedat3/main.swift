// libFuzzer target for the AEDAT 3.1 reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let input = CameraFuzzCase(data, size, name: "fuzz.aedat"),
          var reader = try? AEDAT3Reader(input: input.input, geometry: input.geometry, chunkCapacity: input.chunkCapacity) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // At most one event per 8 bytes (a polarity event takes 8 bytes).
    if let count { precondition(count <= input.bodyCount / 8) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzReader($0, $1) })
