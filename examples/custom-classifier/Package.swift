// swift-tools-version: 6.1
// An example back-end classifier of your own, plugged into feast's stage
// evaluation. Depends on the feast package by a local path (two folders up).
import PackageDescription

let package = Package(
    name: "custom-classifier",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "feast", path: "../..")],
    targets: [
        .executableTarget(
            name: "custom-classifier",
            dependencies: [
                .product(name: "FeastLearning", package: "feast"),
                .product(name: "FeastEvents", package: "feast"),
                .product(name: "FeastCore", package: "feast"),
            ]),
    ]
)
