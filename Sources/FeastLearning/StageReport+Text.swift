import Foundation

extension StageReport {
    /// The human report of `feast evaluate` (and `feast demo`, `feast merge`):
    /// the stage table, the best row with its interval and how it was
    /// chosen, per-class accuracy, the confusion matrix and the times.
    public func text(best: StageResult, wall: Double) -> String {
        let report = self
        var out = [String]()
        out.append("\(report.trainCount) training, \(report.testCount) test recordings; \(report.seeds.count) seed(s)\(report.folds.map { "; \($0)-fold CV within training" } ?? ""); accuracy mean ± spread over seeds")
        out.append("")
        out.append(report.table)
        out.append("")
        let interval = report.testInterval(best).map { " (95 % interval \($0))" } ?? ""
        out.append("best: stage \(best.stage.rawValue) (\(best.stage.title)), features \(best.features), classifier \(best.classifier): test \(best.test)\(interval)\(best.crossValidation.map { ", cv \($0)" } ?? "")")
        switch report.selection {
        case .crossValidation:
            out.append("chosen by \(report.folds ?? 0)-fold CV inside the training recordings; the test split (\(report.testCount) recordings) was scored once, after the choice; the interval is the Wilson score interval")
        case .testSplit:
            out.append("chosen on the test split (no cross-validation folds), so its test figure is optimistic; choose by K-fold CV inside the training recordings instead")
        }
        let perClass = best.confusion.perClassAccuracy.enumerated().map { "\($0.offset): \($0.element.map { String(format: "%.3f", $0) } ?? "-")" }
        out.append("per class (test\(report.seeds.count > 1 ? ", pooled over seeds" : "")): " + perClass.joined(separator: "  "))
        out.append("confusion (test\(report.seeds.count > 1 ? ", summed over \(report.seeds.count) seeds" : "")):")
        out.append(best.confusion.description)
        let t = report.timings
        out.append("")
        out.append(String(format: "time: %.1f s (training %.1f s, features %.1f s, classifiers %.1f s)", wall, t.training, t.extraction, t.classification))
        return out.joined(separator: "\n")
    }
}
