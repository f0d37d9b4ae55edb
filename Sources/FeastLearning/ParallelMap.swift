import Dispatch
import Foundation

/// Order-preserving parallel map for per-recording work (decoding, FEAST,
/// feature extraction).
///
/// `transform` runs on up to `concurrency` threads; worker w takes items
/// w, w + W, w + 2W, … so the result at index i is `transform(items[i])`
/// regardless of scheduling, and identical to the serial map when
/// `transform` is a pure function of its item. If any call throws, the
/// error of the lowest index is rethrown (deterministic), after all workers
/// finish.
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
    // Each index is written by exactly one worker and read only after
    // concurrentPerform returns, so the shared buffer needs no lock.
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var i = w
        while i < n {
            slots[i] = Result { try transform(items[i]) }
            i += workers
        }
    }
    return try results.map { try $0!.get() }
}

/// Default worker count: the active processor count.
public var defaultConcurrency: Int { ProcessInfo.processInfo.activeProcessorCount }
