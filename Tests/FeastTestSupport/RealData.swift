import Foundation
import XCTest

/// Where the tests find real recordings: `$FEAST_DATA`, else
/// `../shared/datasets` beside the package root (the layout `.ci/run`
/// sees). Tests that need the data skip with a message naming the path.
public enum RealData {
    /// The datasets folder.
    public static var root: String {
        if let env = ProcessInfo.processInfo.environment["FEAST_DATA"], !env.isEmpty { return env }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent("../shared/datasets").standardizedFileURL.path
    }

    /// The nmnist-small folder (real N-MNIST recordings with labels), or an
    /// `XCTSkip` naming where it was looked for.
    public static func nmnistSmall() throws -> String {
        let path = root + "/nmnist-small"
        guard FileManager.default.fileExists(atPath: path + "/labels.csv") else {
            throw XCTSkip("real data not found at \(path) (set FEAST_DATA to the datasets folder)")
        }
        return path
    }
}
