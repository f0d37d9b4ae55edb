import Dispatch
import FeastEvents

extension SyntheticNMNIST {
    /// Makes the recordings of `items` on all cores. The result is in the
    /// order of `items` and does not depend on the number of threads, since
    /// every recording depends only on `(seed, digit, index)`.
    public func recordings(for items: [SyntheticDatasetPlan.Item], seed: UInt64) -> [ContiguousArray<Event>] {
        let sensor = sensor(seed: seed)
        let results = ResultSlots<ContiguousArray<Event>>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { k in
            let item = items[k]
            results.set(k, recording(digit: item.digit, index: item.index, seed: seed, sensor: sensor))
        }
        return results.values()
    }
}

/// Slots written once each by parallel workers, each slot by one worker
/// only (so no two threads touch the same element), read after all finish.
/// Raw memory rather than an array: concurrent writes to distinct slots of
/// an array held by a class would overlap as accesses to the whole array.
final class ResultSlots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: count)
    }
    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
    func set(_ k: Int, _ value: T) {
        precondition(k >= 0 && k < count)
        base[k] = value
    }
    func values() -> [T] { (0..<count).map { base[$0]! } }
}
