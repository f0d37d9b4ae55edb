import XCTest
@testable import FeastIO

final class NamedArrayGroupTests: XCTestCase {
    func testNestedGroupsArraysAndAttributesRoundTrip() throws {
        let path = makeTemporaryFolder(self) + "/net.h5"
        let layer = NamedArrayGroup(
            arrays: ["weights": NamedArray([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3]),
                     "thresholds": NamedArray([Double](arrayLiteral: 0.5, 0.25)),
                     "wins": NamedArray([Int64](arrayLiteral: 10, 20)),
                     "fixed": NamedArray([Int32](arrayLiteral: -3, 3, 0, 1), shape: [2, 1, 2]),
                     "empty": NamedArray([Float](), shape: [0, 3])],
            attributes: ["neurons": .int(2), "eta": .double(0.001), "arithmetic": .string("float"), "bits": .ints([8, 16])])
        let root = NamedArrayGroup(attributes: ["format_version": .int(1)], groups: ["layer0": layer])
        try root.writeFile(to: path)
        let back = try NamedArrayGroup.readFile(from: path)
        XCTAssertEqual(back, root)
        let layerBack = try back.group("layer0")
        XCTAssertEqual(try layerBack.floats("weights", shape: [2, 3]), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try layerBack.doubles("weights"), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try layerBack.int64s("fixed"), [-3, 3, 0, 1])
        XCTAssertEqual(try layerBack.int("neurons"), 2)
        XCTAssertEqual(try layerBack.double("neurons"), 2)
        XCTAssertEqual(try layerBack.string("arithmetic"), "float")
    }

    func testTypedAccessorsNameFileAndArrayOnErrors() throws {
        let path = makeTemporaryFolder(self) + "/net.h5"
        try NamedArrayGroup(groups: ["layer0": NamedArrayGroup(
            arrays: ["weights": NamedArray([Float](repeating: 0, count: 6), shape: [2, 3])],
            attributes: ["arithmetic": .string("float")])]).writeFile(to: path)
        let layer = try NamedArrayGroup.readFile(from: path).group("layer0")
        XCTAssertEqual(errorMessage { _ = try layer.floats("weights", shape: [3, 2]) },
                       "\(path): /layer0/weights: wrong shape: expected 3×2, found 2×3")
        XCTAssertEqual(errorMessage { _ = try layer.int32s("weights") },
                       "\(path): /layer0/weights: wrong type: expected int32, found float32")
        XCTAssertEqual(errorMessage { _ = try layer.floats("thresholds", shape: [2]) },
                       "\(path): /layer0/thresholds: missing (expected an array of shape 2)")
        XCTAssertEqual(errorMessage { _ = try layer.int("neurons") },
                       "\(path): /layer0: missing attribute 'neurons' (expected an integer)")
        XCTAssertEqual(errorMessage { _ = try layer.int("arithmetic") },
                       "\(path): /layer0 attribute 'arithmetic': wrong type: expected an integer, found \"float\"")
        XCTAssertEqual(errorMessage { _ = try NamedArrayGroup.read(from: HDF5File.open(path), at: "/layer1") },
                       "\(path): /layer1: missing (expected a group of named arrays)")
    }

    func testShapeThatDoesNotFitValuesIsRefusedAndNothingWritten() throws {
        let folder = makeTemporaryFolder(self)
        let group = NamedArrayGroup(arrays: ["w": NamedArray([Float](arrayLiteral: 1, 2, 3), shape: [2, 2])])
        XCTAssertEqual(errorMessage { try group.writeFile(to: folder + "/bad.h5") },
                       "\(folder)/bad.h5: /w: 3 values do not fill shape [2, 2]")
        XCTAssertEqual(listFolder(folder), [])
    }
}
