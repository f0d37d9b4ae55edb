import XCTest
import FeastEvents
@testable import FeastIO

/// Files written by h5py/numpy (the way users produce them), read by FeastIO.
final class H5pyInteropTests: XCTestCase {
    func makeWithPython(_ script: String) throws -> String {
        let folder = makeTemporaryFolder(self)
        guard let (status, output) = runPythonH5py("import h5py, numpy as np\nfolder = '\(folder)'\n" + script) else {
            throw XCTSkip("python3 with h5py is not available; skipping h5py-written inputs")
        }
        XCTAssertEqual(status, 0, output)
        return folder
    }

    func testEventsWrittenByH5pyWithOtherIntegerTypesAreRead() throws {
        let folder = try makeWithPython("""
        with h5py.File(folder + '/py.h5', 'w') as f:
            g = f.create_group('events')
            g['x'] = np.array([0, 33, 5], dtype=np.int64)
            g['y'] = np.array([1, 2, 33], dtype=np.uint8)
            g['p'] = np.array([-1, 1, -1], dtype=np.int8)
            g.create_dataset('t', data=np.array([10, 20, 4000000000], dtype=np.uint32), chunks=(2,), compression='gzip')
            g.attrs['width'] = np.int32(34)
            g.attrs['height'] = np.uint16(34)
        with h5py.File(folder + '/float.h5', 'w') as f:
            f['events/x'] = np.array([1.0, 2.0]); f['events/y'] = np.array([1, 2]); f['events/p'] = np.array([0, 1]); f['events/t'] = np.array([1, 2])
            f.attrs['width'] = 34; f.attrs['height'] = 34
        with h5py.File(folder + '/bool.h5', 'w') as f:
            f['events/x'] = np.array([1, 2]); f['events/y'] = np.array([1, 2]); f['events/p'] = np.array([False, True]); f['events/t'] = np.array([1, 2])
            f['events'].attrs['width'] = 34; f['events'].attrs['height'] = 34
        """)
        var reader = try HDF5EventReader(path: folder + "/py.h5")
        XCTAssertEqual(reader.geometry, .nmnist)
        XCTAssertEqual(try reader.readAll(), [
            Event(t: 10, x: 0, y: 1, polarity: 0), Event(t: 20, x: 33, y: 2, polarity: 1), Event(t: 4_000_000_000, x: 5, y: 33, polarity: 0),
        ])
        XCTAssertEqual(errorMessage { _ = try HDF5EventReader(path: folder + "/float.h5") },
                       "\(folder)/float.h5: /events/x: wrong type: expected integers, found float64")
        XCTAssertEqual(errorMessage { _ = try HDF5EventReader(path: folder + "/bool.h5") },
                       "\(folder)/bool.h5: /events/p: wrong type: expected integers, found enum (e.g. bool)")
    }

    func testStringsAndAttributesInNumpyTypesAreRead() throws {
        let folder = try makeWithPython("""
        with h5py.File(folder + '/s.h5', 'w') as f:
            f['fixed'] = np.array([b'Train/0/1.bin', b'a', b''], dtype='S13')
            f.create_dataset('vlen', data=['x', 'ünï'], dtype=h5py.string_dtype())
            f['m'] = np.arange(6, dtype=np.float64).reshape(2, 3)
            f.attrs['i32'] = np.int32(-7)
            f.attrs['f32'] = np.float32(0.5)
            f.attrs['bytes'] = np.bytes_(b'fixed text')
            f.attrs['text'] = 'vlen text'
            f.attrs['array'] = np.array([1, 2, 3], dtype=np.uint16)
        """)
        let file = try HDF5File.open(folder + "/s.h5")
        XCTAssertEqual(try file.readStrings(from: "/fixed"), ["Train/0/1.bin", "a", ""])
        XCTAssertEqual(try file.readStrings(from: "/vlen"), ["x", "ünï"])
        let m = try file.read2D(Float.self, from: "/m")
        XCTAssertEqual(m.values, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try file.intAttribute("i32"), -7)
        XCTAssertEqual(try file.doubleAttribute("f32"), 0.5)
        XCTAssertEqual(try file.stringAttribute("bytes"), "fixed text")
        XCTAssertEqual(try file.stringAttribute("text"), "vlen text")
        XCTAssertEqual(try file.intArrayAttribute("array"), [1, 2, 3])
        XCTAssertEqual(try file.attributeNames(), ["array", "bytes", "f32", "i32", "text"])
    }

    func testFeaturesWrittenByH5pyAreRead() throws {
        let folder = try makeWithPython("""
        with h5py.File(folder + '/f.h5', 'w') as f:
            f['features'] = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float64)
            f['labels'] = np.array([0, 1, 1], dtype=np.int64)
            f['files'] = np.array([b'a.bin', b'b.bin', b'c.bin'])
            f.attrs['spec'] = 'from python'
        """)
        let features = try FeatureFile.read(from: folder + "/f.h5")
        XCTAssertEqual(features.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(features.labels, [0, 1, 1])
        XCTAssertEqual(features.files, ["a.bin", "b.bin", "c.bin"])
        XCTAssertEqual(features.attributes, ["spec": .string("from python")])
    }
}
