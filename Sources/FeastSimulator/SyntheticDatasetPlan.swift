/// Which recordings a synthetic data set holds and where each one goes, in
/// the N-MNIST layout `Train/<class>/NNNNN.bin`, `Test/<class>/NNNNN.bin`
/// (digits: 10 classes, `.bin`; planes: 4 classes, `.es`).
///
/// Sample indices: training sample `i` of a digit is index `i`, test sample
/// `m` is index `testIndexBase + m`, so the test set does not change when
/// the training set grows (and never overlaps it).
public struct SyntheticDatasetPlan: Sendable, Hashable {
    /// One planned recording.
    public struct Item: Sendable, Hashable {
        /// `"train"` or `"test"`.
        public var split: String
        /// The class: the digit, or the ``AircraftSilhouette`` raw value.
        public var digit: Int
        /// Sample index passed to ``SyntheticNMNIST/recording(digit:index:seed:)``.
        public var index: Int
        /// Path relative to the data set folder, e.g. `Train/3/00004.bin`.
        public var relativePath: String

        public init(split: String, digit: Int, index: Int, relativePath: String) {
            self.split = split
            self.digit = digit
            self.index = index
            self.relativePath = relativePath
        }
    }

    public static let testIndexBase = 1 << 32

    public let trainPerClass: Int
    public let testPerClass: Int
    public let seed: UInt64
    /// Number of classes, 0..<classes.
    public let classes: Int
    /// All recordings, training first; within a split sample-major and
    /// digit-minor, so file ids interleave the classes as in N-MNIST.
    public let items: [Item]

    /// `fileExtension` without the dot: `bin` (N-MNIST's 5-byte events, at
    /// most 256 × 256 pixels) or `es` (Event Stream, any sensor size).
    public init(trainPerClass: Int, testPerClass: Int, seed: UInt64, classes: Int = 10, fileExtension: String = "bin") {
        precondition(trainPerClass >= 0 && testPerClass >= 0, "counts must not be negative")
        precondition(classes > 0, "need at least one class")
        self.trainPerClass = trainPerClass
        self.testPerClass = testPerClass
        self.seed = seed
        self.classes = classes
        var items: [Item] = []
        items.reserveCapacity(classes * (trainPerClass + testPerClass))
        for (split, folder, count, base) in [("train", "Train", trainPerClass, 0), ("test", "Test", testPerClass, SyntheticDatasetPlan.testIndexBase)] {
            var id = 0
            for i in 0..<count {
                for digit in 0..<classes {
                    id += 1
                    items.append(Item(split: split, digit: digit, index: base + i,
                                      relativePath: "\(folder)/\(digit)/\(SyntheticDatasetPlan.fiveDigits(id)).\(fileExtension)"))
                }
            }
        }
        self.items = items
    }

    /// A planes data set: one class per ``AircraftSilhouette``, Event Stream
    /// files (the 304 × 240 sensor is beyond the `.bin` format's 256 pixels).
    public static func planes(trainPerClass: Int, testPerClass: Int, seed: UInt64) -> SyntheticDatasetPlan {
        SyntheticDatasetPlan(trainPerClass: trainPerClass, testPerClass: testPerClass, seed: seed,
                             classes: AircraftSilhouette.allCases.count, fileExtension: "es")
    }

    /// The labels CSV (`file,label,split`, header first, one row per item).
    public var labelsCSV: String {
        var s = "file,label,split\n"
        for item in items { s += "\(item.relativePath),\(item.digit),\(item.split)\n" }
        return s
    }

    static func fiveDigits(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}
