import Foundation
import FeastLearning

/// The confusion-matrix picture of a stage evaluation.
public enum ConfusionPlot {
    /// Writes FOLDER/confusion.png of the best configuration (`feast evaluate
    /// --plots`, `feast demo`); returns its path.
    public static func write(best: StageResult, folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cm = best.confusion
        let labels = (0..<cm.classes).map(String.init)
        let heatmap = Heatmap(values: cm.counts.flatMap { $0.map(Double.init) }, rows: cm.classes, columns: cm.classes,
                              rowLabels: labels, columnLabels: labels,
                              title: "stage \(best.stage.rawValue), \(best.features), \(best.classifier): test \(String(format: "%.3f", cm.accuracy))",
                              rowAxisLabel: "true", columnAxisLabel: "predicted")
        let path = (folder as NSString).appendingPathComponent("confusion.png")
        try heatmap.write(to: path)
        return path
    }
}
