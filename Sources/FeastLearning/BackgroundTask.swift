import Dispatch

/// Work started on another thread now and collected later with
/// ``value()``: lets a serial writer overlap with the next batch's
/// computation. ``value()`` may be called any number of times.
public final class BackgroundTask<T: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    /// Waits for the work; returns its value or rethrows its error.
    public func value() throws -> T {
        done.wait()
        done.signal()  // later calls return at once
        return try result!.get()
    }
}
