// libFuzzer target for the HDF5 event reader: the input bytes are written
// to a temporary file, which is opened and read to the end with a small
// chunk size. HDF5 itself is not instrumented (only Swift code is), so
// findings inside libhdf5 show as plain crashes. Run with scripts/fuzz.sh.
import CFuzzDriver
import Glibc
import FeastEvents
import FeastIO
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzHDF5(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let path = FuzzInput.temporaryFile(UnsafeBufferPointer(start: data, count: size), suffix: ".h5")
    defer { unlink(path) }
    do {
        var reader = try HDF5EventReader(path: path, chunkSize: 7)
        FuzzInput.drain(&reader)
    } catch {
        precondition(String(describing: error).contains(path), "error without the file name: \(error)")
    }
    return 0
}

exit(feast_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzHDF5($0, $1) })
