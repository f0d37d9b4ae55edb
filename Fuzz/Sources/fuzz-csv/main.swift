// libFuzzer target for the CSV event reader. The first input byte picks
// the options (buffer size, line limit, chunk size, given columns); the rest
// is the text. Build and run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let options = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let capacity = 64 + Int(options & 0x3) * 61
    let maxLine = [8, 40, 4_096, 100_000][Int(options >> 2 & 0x3)]
    let chunk = 1 + Int(options >> 4 & 0x3) * 5
    let columns: CSVColumns? = options & 0x40 != 0 ? CSVColumns(names: ["x", "y", "p", "t"]) : nil
    var reader = CSVReader(input: FuzzInput.descriptorInput(body, capacity: capacity, name: "fuzz.csv"),
                           geometry: .nmnist, columns: columns, maxLineLength: maxLine, chunkCapacity: chunk)
    FuzzInput.drain(&reader)
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzCSV($0, $1) })
