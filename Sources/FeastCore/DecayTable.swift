/// The decay table's entries at a fixed address, so the per-pixel read
/// needs no array access closure. Immutable after init.
@usableFromInline
final class DecayTable: @unchecked Sendable {
    @usableFromInline let entries: UnsafeMutablePointer<Float>
    /// Index of the final entry (the 0 past the horizon).
    @usableFromInline let last: UInt32
    @usableFromInline let count: Int

    init(_ values: [Float]) {
        count = values.count
        entries = .allocate(capacity: max(1, values.count))
        entries.initialize(repeating: 0, count: max(1, values.count))
        for (i, v) in values.enumerated() { entries[i] = v }
        last = UInt32(max(0, values.count - 1))
    }

    deinit { entries.deallocate() }
}
