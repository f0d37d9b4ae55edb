extension Dataset {
    /// Splits into train and test: by the recordings' `split` (from a split
    /// column or `Train`/`Test` folders; unmarked recordings go to train)
    /// when any recording has one, else a seeded hold-out of `fraction` of
    /// each label's recordings. Deterministic for a given seed.
    public func split(holdOut fraction: Double = 0.2, seed: UInt64 = 0) -> (train: Dataset, test: Dataset) {
        precondition(fraction >= 0 && fraction <= 1)
        if recordings.contains(where: { $0.split != nil }) {
            return (Dataset(source: source, recordings: recordings.filter { $0.split != .test }),
                    Dataset(source: source, recordings: recordings.filter { $0.split == .test }))
        }
        var generator = SplitMix64(seed: seed)
        var train = [Recording](), test = [Recording]()
        // Per label, so small classes keep their share on both sides.
        let groups = Dictionary(grouping: recordings, by: { $0.label ?? Int.min })
        for key in groups.keys.sorted() {
            var group = groups[key]!
            for i in stride(from: group.count - 1, to: 0, by: -1) {
                group.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
            let held = Int((Double(group.count) * fraction).rounded())
            test += group[..<held]
            train += group[held...]
        }
        return (Dataset(source: source, recordings: train), Dataset(source: source, recordings: test))
    }

    /// The recordings not marked test (all of them when none is marked).
    public func excludingTest() -> Dataset {
        Dataset(source: source, recordings: recordings.filter { $0.split != .test })
    }

    /// Every `count`-th recording starting at `index` (`0 ≤ index < count`):
    /// `count` shards partition the dataset deterministically.
    public func shard(index: Int, count: Int) -> Dataset {
        precondition(count > 0 && index >= 0 && index < count, "shard index must be in 0..<count")
        return Dataset(source: source, recordings: recordings.enumerated().filter { $0.offset % count == index }.map(\.element))
    }

    /// Parses a shard spec `i/n` (0-based i).
    public static func parseShard(_ spec: String) -> (index: Int, count: Int)? {
        let parts = spec.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n > 0, i >= 0, i < n else { return nil }
        return (i, n)
    }
}
