/// Readers of camera formats skip the vendor words that are not change-
/// detection (CD / polarity) events: external triggers, IMU samples,
/// frames, `OTHERS` and `CONTINUED` words. They are counted by kind, not
/// errors, as the vendors' own readers do.
public protocol VendorEventSkipping {
    /// Skipped words or packets so far, by kind (e.g. `"EXT_TRIGGER": 12`).
    var skippedEvents: [String: Int] { get }
}

extension VendorEventSkipping {
    /// A one-line summary for warnings and `info`, e.g.
    /// `EXT_TRIGGER 12, OTHERS 3`; empty when nothing was skipped.
    public var skippedSummary: String {
        skippedEvents.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
