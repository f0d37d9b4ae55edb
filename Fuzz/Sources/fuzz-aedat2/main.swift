// libFuzzer target for the AEDAT 2.0 reader. The first input byte picks the
// buffer and chunk sizes and whether a geometry is given; the rest is the
// file (header included). Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let options = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let capacity = 64 + Int(options & 0x7) * 37
    let geometry: SensorGeometry? = options & 0x8 != 0 ? SensorGeometry(width: 40, height: 30) : nil
    let chunk = 1 + Int(options >> 4) * 3
    guard var reader = try? AEDAT2Reader(input: FuzzInput.descriptorInput(body, capacity: capacity, name: "fuzz.aedat"),
                                  geometry: geometry, chunkCapacity: chunk) else { return 0 }
    let count = FuzzInput.drain(&reader)
    // At most one event per 8 bytes (a record takes 8 bytes).
    if let count { precondition(count <= body.count / 8) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzReader($0, $1) })
