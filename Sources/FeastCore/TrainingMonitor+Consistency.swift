extension TrainingMonitor {
    /// The first way a decoded monitor (from a network file or checkpoint)
    /// contradicts itself, or nil. ``record(_:layer:)`` indexes its arrays
    /// without checks, so a resumed run must not start from a monitor whose
    /// array sizes and positions disagree (a corrupt or hand-edited file).
    public var inconsistency: String? {
        let c = configuration
        if neurons < 1 { return "neurons = \(neurons) (expected ≥ 1)" }
        if wins.count != neurons { return "wins has \(wins.count) entries (expected \(neurons), one per neuron)" }
        if epochWins.count != neurons { return "epoch_wins has \(epochWins.count) entries (expected \(neurons), one per neuron)" }
        if c.missWindow < 1 || c.historyInterval < 1 || c.convergenceWindow < 1 || c.convergencePatience < 1 {
            return "configuration \(c) (expected every window and interval ≥ 1)"
        }
        if window.count != c.missWindow { return "window has \(window.count) entries (expected miss_window = \(c.missWindow))" }
        if !(0..<window.count).contains(windowPosition) { return "window_position = \(windowPosition) (expected 0..<\(window.count))" }
        if !(0...window.count).contains(windowFill) { return "window_fill = \(windowFill) (expected 0…\(window.count))" }
        if window.contains(where: { $0 > 1 }) { return "window holds values other than 0 and 1" }
        let counted = window.reduce(0) { $0 + Int($1) }
        if windowMisses != counted { return "window_misses = \(windowMisses) (expected \(counted), the misses in the window)" }
        if events < 0 || misses < 0 || misses > events { return "events = \(events), misses = \(misses) (expected 0 ≤ misses ≤ events)" }
        if epochEvents < 0 || epochMisses < 0 || epochMisses > epochEvents {
            return "epoch_events = \(epochEvents), epoch_misses = \(epochMisses) (expected 0 ≤ misses ≤ events)"
        }
        if streak < 0 || streak > history.count { return "streak = \(streak) (expected 0…\(history.count), the history rows)" }
        return nil
    }
}
