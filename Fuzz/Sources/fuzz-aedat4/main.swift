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
    guard let data, size > 0 else { return 0 }
    let options = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let capacity = 64 + Int(options & 0x7) * 37
    let geometry: SensorGeometry? = options & 0x8 != 0 ? SensorGeometry(width: 40, height: 30) : nil
    let chunk = 1 + Int(options >> 4) * 3
    guard var reader = try? AEDAT4Reader(input: FuzzInput.descriptorInput(body, capacity: capacity, name: "fuzz.aedat4"),
                                  geometry: geometry, chunkCapacity: chunk) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // Decompression can multiply bytes: at most one event per 16 decompressed bytes, which the packet cap bounds.
    _ = count
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzReader($0, $1) })
