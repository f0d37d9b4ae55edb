/// A destination for events written in chunks (a file encoder, stdout).
///
/// `write(_:)` appends events in order; `finish()` flushes and, for file
/// outputs, makes the file appear whole (see ``AtomicFile``). A sink that is
/// dropped without `finish()` leaves no partial output behind.
public protocol EventSink {
    mutating func write(_ events: ContiguousArray<Event>) throws
    mutating func finish() throws
}
