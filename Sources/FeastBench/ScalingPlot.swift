import FeastIO
import Foundation

extension ScalingBenchmark {
    /// Training cost against N (log axis), a line per arithmetic and R, with
    /// the float roofline per R in grey. y is log10 of CPU ns per event, so
    /// 16 to 1024 neurons fit on one readable scale.
    public static func plot(_ rows: [Row]) -> LinePlot {
        var series: [LinePlot.Series] = []
        let radii = Array(Set(rows.map(\.radius))).sorted()
        for kind in ["float", "fixed"] {
            for r in radii {
                let line = rows.filter { $0.arithmetic == kind && $0.radius == r }.sorted { $0.neurons < $1.neurons }
                guard !line.isEmpty else { continue }
                series.append(LinePlot.Series(name: "\(kind) R=\(r)", x: line.map { Double($0.neurons) },
                                              y: line.map { log10($0.trainNanoseconds) }, markers: true))
            }
        }
        for r in radii {
            let line = rows.filter { $0.arithmetic == "float" && $0.radius == r }.sorted { $0.neurons < $1.neurons }
            guard !line.isEmpty else { continue }
            series.append(LinePlot.Series(name: "bound R=\(r)", x: line.map { Double($0.neurons) },
                                          y: line.map { log10($0.bound) }, colour: RGB(150, 150, 150)))
        }
        return LinePlot(title: "FEAST training cost per event vs N (grey: dense roofline)",
                        xLabel: "neurons N", yLabel: "log10 CPU ns per event", series: series, logX: true,
                        width: 900, height: 600)
    }
}
