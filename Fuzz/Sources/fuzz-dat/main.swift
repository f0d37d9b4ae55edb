// libFuzzer target for the DAT reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzDAT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let input = CameraFuzzCase(data, size, name: "fuzz.dat"),
          var reader = try? DATReader(input: input.input, geometry: input.geometry, chunkCapacity: input.chunkCapacity) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // One event per 8-byte record at most.
    if let count { precondition(count <= input.bodyCount / 8) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzDAT($0, $1) })
