import FeastEvents

extension InputRecordings.Item {
    /// Opens the recording; with `network`, refuses a recording from a
    /// larger sensor than the network's (its events off the network's
    /// sensor would be skipped silently).
    public func open(_ options: EventReadOptions, network: SensorGeometry? = nil) throws -> any EventSource {
        let source = try recording.map { try EventFileOpener.openSource(recording: $0, options: options) }
            ?? EventFileOpener.openSource(path: path!, options: options)
        if let network { try EventFileOpener.checkSensor(of: source, fits: network) }
        return source
    }
}
