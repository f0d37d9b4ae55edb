// Usage: swift run -c release custom-classifier DATASET
// (e.g. ../../../shared/datasets/nmnist-small): the stage table of feast
// evaluate with the built-in logistic regression next to your classifier.
import Foundation
import FeastCore
import FeastEvents
import FeastLearning

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first else {
    print("usage: custom-classifier DATASET   (a folder of class sub-folders, labels CSV or zip)")
    exit(2)
}

// 1. Register the classifier under a name (and any options it reads).
var registry = ClassifierRegistry.builtIn
registry.register(CosineCentroid.self, name: "cosine", summary: "nearest class mean by cosine similarity",
                  standardisation: nil) { _ in CosineCentroid() }

// 2. Describe the evaluation: the same API feast evaluate calls.
// feast evaluate's defaults (StageEvaluation.defaultParameters: 2 × 128 neurons, R = 3).
var evaluation = StageEvaluation()
evaluation.registry = registry
evaluation.classifiers = ["logistic", "cosine"]
evaluation.stages = [.a, .d]
evaluation.folds = 5
evaluation.log = { print("…", $0) }

// 3. Split the dataset (split column / Train-Test folders / seeded hold-out) and run.
do {
    let (train, test) = try Dataset.load(path: path).split(holdOut: 0.2, seed: 1)
    let report = try evaluation.run(train: train.recordings, test: test.recordings)
    print(report.table)
    if let best = report.best { print("best: \(best.stage.rawValue) \(best.features) \(best.classifier) \(best.test)") }
} catch {
    print("error: \(error)")
    exit(1)
}
