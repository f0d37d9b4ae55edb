// libFuzzer target for the N-MNIST `.bin` reader. The first input byte
// picks the options (lenient, buffer and chunk sizes, geometry); the rest is
// the file. Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNMNIST(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let options = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let lenient = options & 1 != 0
    let capacity = 64 + Int(options >> 1 & 0x7) * 37
    let geometry = options & 0x10 != 0 ? SensorGeometry(width: 304, height: 300) : .nmnist
    let chunk = 1 + Int(options >> 5)
    var reader = NMNISTReader(input: FuzzInput.descriptorInput(body, capacity: capacity, name: "fuzz.bin"),
                              geometry: geometry, lenient: lenient, chunkCapacity: chunk)
    let count = FuzzInput.drain(&reader)
    // A whole file of records decodes to at most one event per record.
    if let count { precondition(count <= body.count / 5) }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzNMNIST($0, $1) })
