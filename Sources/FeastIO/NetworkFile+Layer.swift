import FeastCore

extension NetworkFile {
    /// Reads a single-layer network file and restores its layer, whatever
    /// its arithmetic. `command` names the caller in the error for a
    /// stacked file (``FeastIOError/stackedNetwork(file:layers:command:)``).
    public static func loadLayer(from path: String, command: String = "this command") throws -> (file: NetworkFile, layer: AnyFeastLayer) {
        let (file, network) = try loadNetwork(from: path)
        guard network.depth == 1 else { throw FeastIOError.stackedNetwork(file: path, layers: network.depth, command: command) }
        return (file, network.layers[0])
    }

    /// Reads a network file of any depth and restores every layer.
    public static func loadNetwork(from path: String) throws -> (file: NetworkFile, network: FeastNetwork) {
        let file = try NetworkFile.read(from: path)
        return (file, try file.restoredNetwork(path: path))
    }

    /// The layers restored and stacked; errors name `path` and the layer's group.
    public func restoredNetwork(path: String) throws -> FeastNetwork {
        var layers = [AnyFeastLayer]()
        for (k, state) in self.layers.enumerated() {
            do {
                layers.append(try AnyFeastLayer(restoring: state))
            } catch let error as FeastCoreError {
                throw FeastIOError.unusableLayer(file: path, object: NetworkFile.group(ofLayer: k), underlying: error)
            }
        }
        do {
            return try FeastNetwork(layers: layers)
        } catch let error as FeastCoreError {
            throw FeastIOError.unusableLayer(file: path, object: NetworkFile.group(ofLayer: layers.count - 1), underlying: error)
        }
    }
}
