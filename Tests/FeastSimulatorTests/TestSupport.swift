import FeastEvents
import FeastTestSupport
import Foundation

/// The real data folder: `$FEAST_DATA` or `../shared/datasets` beside the
/// package root.
func dataRoot() -> String { RealData.root }

/// Per-pixel event counts of a recording, L2-normalised.
func pixelCounts(_ events: ContiguousArray<Event>, geometry: SensorGeometry = .nmnist) -> [Double] {
    var v = [Double](repeating: 0, count: geometry.pixelCount)
    for e in events { v[Int(e.y) * geometry.width + Int(e.x)] += 1 }
    let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
    return norm > 0 ? v.map { $0 / norm } : v
}

func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
    return s
}

func isSortedByTime(_ events: ContiguousArray<Event>) -> Bool {
    zip(events, events.dropFirst()).allSatisfy { $0.t <= $1.t }
}
