import XCTest
import FeastEvents
@testable import FeastIO

final class HDF5FileTests: XCTestCase {
    func testNumericDatasetsRoundTripInEveryElementType() throws {
        let path = makeTemporaryFolder(self) + "/numbers.h5"
        let file = try HDF5File.create(at: path)
        try file.write([UInt8](arrayLiteral: 0, 1, 255), to: "/a/u8")
        try file.write([UInt16](arrayLiteral: 0, 65535, 7), to: "/a/u16")
        try file.write([Int32](arrayLiteral: -5, 0, .max), to: "/a/i32")
        try file.write([Int64](arrayLiteral: .min, 0, .max), to: "/a/i64")
        try file.write([Float](arrayLiteral: 1.5, -2, .infinity, 0, 1, 2), rows: 2, columns: 3, to: "/b/f32")
        try file.write([Double](arrayLiteral: .pi, -1e300), to: "/b/f64")
        try file.write([Float](), rows: 0, columns: 4, to: "/b/empty")
        try file.close()

        let back = try HDF5File.open(path)
        XCTAssertEqual(try back.read1D(UInt8.self, from: "/a/u8"), [0, 1, 255])
        XCTAssertEqual(try back.read1D(UInt16.self, from: "/a/u16"), [0, 65535, 7])
        XCTAssertEqual(try back.read1D(Int32.self, from: "/a/i32"), [-5, 0, .max])
        XCTAssertEqual(try back.read1D(Int64.self, from: "a/i64"), [.min, 0, .max])
        let matrix = try back.read2D(Float.self, from: "/b/f32")
        XCTAssertEqual(matrix.rows, 2)
        XCTAssertEqual(matrix.columns, 3)
        XCTAssertEqual(matrix.values, [1.5, -2, .infinity, 0, 1, 2])
        XCTAssertEqual(try back.read1D(Double.self, from: "/b/f64"), [.pi, -1e300])
        let empty = try back.read(Float.self, from: "/b/empty")
        XCTAssertEqual(empty.shape, [0, 4])
        XCTAssertEqual(empty.values, [])
        XCTAssertEqual(try back.childNames(of: "/"), ["a", "b"])
        XCTAssertEqual(try back.childNames(of: "/a"), ["i32", "i64", "u16", "u8"])
        XCTAssertEqual(back.objectKind("/a"), .group)
        XCTAssertEqual(back.objectKind("/a/u8"), .dataset)
        XCTAssertNil(back.objectKind("/nope/x"))
    }

    func testIntegersWidenAndNarrowWhenValuesFit() throws {
        let path = makeTemporaryFolder(self) + "/widen.h5"
        let file = try HDF5File.create(at: path)
        try file.write([Int64](arrayLiteral: 1, 2, 300), to: "/x")
        try file.close()
        let back = try HDF5File.open(path)
        XCTAssertEqual(try back.read1D(UInt16.self, from: "/x"), [1, 2, 300])
        XCTAssertEqual(try back.read1D(Int32.self, from: "/x"), [1, 2, 300])
        XCTAssertEqual(errorMessage { _ = try back.read1D(UInt8.self, from: "/x") },
                       "\(path): /x: stored int64 value out of range (expected values that fit uint8)")
    }

    func testStringsRoundTripIncludingUnicodeAndEmpty() throws {
        let path = makeTemporaryFolder(self) + "/strings.h5"
        let file = try HDF5File.create(at: path)
        let names = ["Train/3/00012.bin", "", "ünïcødé ✓", String(repeating: "x", count: 1000)]
        try file.write(strings: names, to: "/files")
        try file.write(strings: [], to: "/none")
        try file.close()
        let back = try HDF5File.open(path)
        XCTAssertEqual(try back.readStrings(from: "/files"), names)
        XCTAssertEqual(try back.readStrings(from: "/none"), [])
    }

    func testAttributesRoundTripOnRootGroupsAndDatasets() throws {
        let path = makeTemporaryFolder(self) + "/attrs.h5"
        let file = try HDF5File.create(at: path)
        try file.createGroup("/g/h")
        try file.write([Int32](arrayLiteral: 1), to: "/g/d")
        try file.setAttribute("n", .int(-42))
        try file.setAttribute("tau", .double(20_000.5), on: "/g")
        try file.setAttribute("spec", .string("feast ✓"), on: "/g/h")
        try file.setAttribute("sizes", .ints([1, 2, 3]), on: "/g/d")
        try file.setAttribute("weights", .doubles([0.25, -1]), on: "/g/d")
        try file.setAttribute("n", .int(7)) // replaces
        try file.close()
        let back = try HDF5File.open(path)
        XCTAssertEqual(try back.intAttribute("n"), 7)
        XCTAssertEqual(try back.doubleAttribute("tau", of: "/g"), 20_000.5)
        XCTAssertEqual(try back.stringAttribute("spec", of: "/g/h"), "feast ✓")
        XCTAssertEqual(try back.intArrayAttribute("sizes", of: "/g/d"), [1, 2, 3])
        XCTAssertEqual(try back.doubleArrayAttribute("weights", of: "/g/d"), [0.25, -1])
        XCTAssertEqual(try back.attributeNames(of: "/g/d"), ["sizes", "weights"])
        XCTAssertEqual(try back.attribute("n"), .int(7))
    }

    func testMissingWrongTypeAndWrongShapeErrorsNameFileAndObject() throws {
        let path = makeTemporaryFolder(self) + "/bad.h5"
        let file = try HDF5File.create(at: path)
        try file.write([Float](arrayLiteral: 1, 2, 3, 4), rows: 2, columns: 2, to: "/m")
        try file.write(strings: ["a"], to: "/s")
        try file.setAttribute("label", .string("x"), on: "/m")
        try file.close()
        let back = try HDF5File.open(path)
        XCTAssertEqual(errorMessage { _ = try back.read1D(Float.self, from: "/nothing") },
                       "\(path): /nothing: missing (expected a 1-D dataset of floating-point numbers)")
        XCTAssertEqual(errorMessage { _ = try back.read2D(Int32.self, from: "/m") },
                       "\(path): /m: wrong type: expected integers, found float32")
        XCTAssertEqual(errorMessage { _ = try back.read1D(Float.self, from: "/m") },
                       "\(path): /m: wrong shape: expected a 1-D dataset, found 2-D 2×2")
        XCTAssertEqual(errorMessage { _ = try back.readStrings(from: "/m") },
                       "\(path): /m: wrong type: expected strings, found float32")
        XCTAssertEqual(errorMessage { _ = try back.read1D(Int64.self, from: "/s") },
                       "\(path): /s: wrong type: expected integers, found string")
        XCTAssertEqual(errorMessage { _ = try back.intAttribute("label", of: "/m") },
                       "\(path): /m attribute 'label': wrong type: expected an integer, found a string")
        XCTAssertEqual(errorMessage { _ = try back.intAttribute("width", of: "/m") },
                       "\(path): /m: missing attribute 'width' (expected an integer)")
        XCTAssertEqual(errorMessage { _ = try back.childNames(of: "/m") },
                       "\(path): /m: wrong type: expected a group, found a dataset")
    }

    func testOpeningNonHDF5InputsGivesClearErrors() throws {
        let folder = makeTemporaryFolder(self)
        writeBytes([], to: folder + "/empty.h5")
        writeBytes(Array("t,x,y,p\n1,2,3,1\n".utf8), to: folder + "/text.h5")
        XCTAssertEqual(errorMessage { _ = try HDF5File.open(folder + "/empty.h5") },
                       "\(folder)/empty.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
        XCTAssertEqual(errorMessage { _ = try HDF5File.open(folder + "/text.h5") },
                       "\(folder)/text.h5: not an HDF5 file (no HDF5 signature; expected a file written by HDF5 or h5py)")
        XCTAssertEqual(errorMessage { _ = try HDF5File.open(folder + "/absent.h5") },
                       "\(folder)/absent.h5: cannot open: No such file or directory")
        XCTAssertEqual(errorMessage { _ = try HDF5File.open(folder) },
                       "\(folder): cannot open: is a folder, expected an HDF5 file")
        XCTAssertEqual(errorMessage { _ = try HDF5File.create(at: folder + "/no/such/dir.h5") },
                       "\(folder)/no/such/dir.h5: cannot open: No such file or directory")
    }

    func testExtendibleDatasetAppendsAndHyperslabReads() throws {
        let path = makeTemporaryFolder(self) + "/ext.h5"
        let file = try HDF5File.create(at: path)
        let data = try file.createExtendible(Int64.self, at: "/t", chunk: 7)
        var expected: [Int64] = []
        var generator = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let piece = (0..<Int.random(in: 0...13, using: &generator)).map { _ in Int64.random(in: -1000...1000, using: &generator) }
            try data.append(piece)
            expected += piece
        }
        XCTAssertEqual(data.shape, [expected.count])
        try file.close()
        let back = try HDF5File.open(path)
        let t = try back.dataset("/t")
        XCTAssertEqual(try t.readAll(Int64.self), expected)
        XCTAssertEqual(try t.read(Int64.self, rows: 5..<17), Array(expected[5..<17]))
        XCTAssertEqual(try t.read(Int64.self, rows: 9..<9), [])
        XCTAssertEqual(errorMessage { _ = try t.read(Int64.self, rows: 0..<(expected.count + 1)) },
                       "\(path): /t: rows 0..<\(expected.count + 1) are outside 0..<\(expected.count)")
    }

    func testReadOnlyFileRefusesWrites() throws {
        let path = makeTemporaryFolder(self) + "/ro.h5"
        try HDF5File.create(at: path).close()
        let back = try HDF5File.open(path)
        XCTAssertEqual(errorMessage { try back.write([Int32](arrayLiteral: 1), to: "/x") },
                       "\(path): /x: file is open read-only")
    }
}
