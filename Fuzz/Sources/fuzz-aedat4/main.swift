// libFuzzer target for the AEDAT 4.0 reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FeastAEDAT4
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let input = CameraFuzzCase(data, size, name: "fuzz.aedat4"),
          var reader = try? AEDAT4Reader(input: input.input, geometry: input.geometry, chunkCapacity: input.chunkCapacity) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // Decompression can multiply bytes: at most one event per 16 decompressed bytes, which the packet cap bounds.
    _ = count
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzReader($0, $1) })
