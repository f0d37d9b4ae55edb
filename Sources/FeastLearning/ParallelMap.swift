import Dispatch
import Foundation
import Synchronization

/// Order-preserving parallel map for per-recording work (decoding, FEAST,
/// feature extraction) and for independent fits.
///
/// `transform` runs on up to `concurrency` threads. Each worker claims the
/// next unclaimed index in list order when it is free, so a list ordered
/// from the costliest item down balances unequal items; the result at index
/// i is `transform(items[i])` whatever the scheduling, and identical to the
/// serial map when `transform` is a pure function of its item. If any call
/// throws, the error of the lowest index is rethrown (deterministic), after
/// all workers finish.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], concurrency: Int = defaultConcurrency,
                                                  _ transform: @Sendable (T) throws -> R) throws -> [R] {
    let n = items.count
    let workers = Swift.max(1, Swift.min(concurrency, n))
    if workers == 1 { return try items.map(transform) }
    let results = UnsafeMutableBufferPointer<Result<R, any Error>?>.allocate(capacity: n)
    results.initialize(repeating: nil)
    defer {
        results.deinitialize()
        results.deallocate()
    }
    // Each index is claimed, and so written, by exactly one worker and read
    // only after concurrentPerform returns, so the buffer needs no lock.
    nonisolated(unsafe) let slots = results
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < n else { return }
            slots[i] = Result { try transform(items[i]) }
        }
    }
    return try results.map { try $0!.get() }
}

/// Default worker count: the active processor count.
public var defaultConcurrency: Int { ProcessInfo.processInfo.activeProcessorCount }
