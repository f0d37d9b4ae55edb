import FeastEvents

extension HDF5File {
    /// Writes a whole HDF5 file at `path` or nothing: `body` fills a file
    /// created at an ``AtomicFile`` temporary beside `path`, which is then
    /// closed and renamed into place. If `body` (or closing) throws, the
    /// temporary is deleted and a previous file at `path` stays as it was.
    public static func writeAtomically(to path: String, _ body: (HDF5File) throws -> Void) throws {
        let atomic = AtomicFile(destination: path)
        var created: HDF5File?
        do {
            let file = try HDF5File.create(at: atomic.temporaryPath, name: path)
            created = file
            try body(file)
            try file.close()
            try atomic.commit()
        } catch {
            try? created?.close()
            atomic.abort()
            throw error
        }
    }
}
