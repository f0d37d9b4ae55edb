import FeastCore

extension NetworkFile {
    /// Reads a network file and restores its layer, whatever its arithmetic.
    public static func loadLayer(from path: String) throws -> (file: NetworkFile, layer: AnyFeastLayer) {
        let file = try NetworkFile.read(from: path)
        do {
            return (file, try AnyFeastLayer(restoring: file.layer))
        } catch let error as FeastCoreError {
            throw FeastIOError.unusableLayer(file: path, object: "/layer0", underlying: error)
        }
    }
}
