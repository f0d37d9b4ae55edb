import Foundation
import XCTest

/// examples/parallel-extract.sh and examples/slurm-extract.sh, run end to
/// end (the Slurm one without Slurm: its array tasks and merge job run
/// here with the SLURM_* variables Slurm would set).
final class ScalingExamplesTests: XCTestCase {
    /// xargs -P over 3 shards, then merge: the script itself cmp's the merged
    /// file against a single run and fails otherwise.
    func testParallelExtractExampleMergesShardsIntoTheSingleRunFile() throws {
        let work = try CLI.temporaryFolder(self)
        let r = try ExamplesTests.runExample("parallel-extract.sh", [work], environment: ["SHARDS": "3", "JOBS": "2", "RUNNER": "xargs"])
        XCTAssertEqual(r.status, 0, r.stderr + r.text)
        XCTAssertTrue(r.text.contains("== 3 shards, 2 at a time, with xargs"), r.text)
        XCTAssertTrue(r.text.contains("== merged file identical to a single run:"), r.text)
        let parts = try FileManager.default.contentsOfDirectory(atPath: work + "/parts").sorted()
        XCTAssertEqual(parts, ["part-0.h5", "part-1.h5", "part-2.h5"])
    }

    func testSlurmExampleIsValidBashAndItsTasksAndMergeJobGiveTheSingleRunFile() throws {
        let script = ExamplesTests.root + "/examples/slurm-extract.sh"
        let syntax = try CLI.shell("bash -n '\(script)'")
        XCTAssertEqual(syntax.status, 0, syntax.stderr)

        let work = try CLI.temporaryFolder(self)
        func ok(_ args: [String]) throws {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        try ok(["simulate", "--out", work + "/data", "--train-per-class", "1", "--test-per-class", "1", "--seed", "5"])
        try ok(["train", work + "/data", "-o", work + "/net.h5", "--neurons", "8", "--seed", "5"])
        let args = [work + "/net.h5", work + "/data", work + "/out.h5", "3"]
        // Submission, dry: the array and the merge job depending on it.
        let dry = try ExamplesTests.runExample("slurm-extract.sh", args, environment: ["DRY_RUN": "1"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("sbatch --parsable --array=0-2 "), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("sbatch --parsable --dependency=afterok:12345 --job-name=feast-merge --export=ALL,FEAST_STAGE=merge "), dry.stderr)
        XCTAssertTrue(dry.text.contains("submitted array job 12345 (3 shards) and merge job 12346"), dry.text)
        // The three array tasks, in any order, then the merge job.
        for task in [2, 0, 1] {
            let r = try ExamplesTests.runExample("slurm-extract.sh", args, environment: [
                "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_JOB_ID": "12345", "SLURM_CPUS_PER_TASK": "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let merge = try ExamplesTests.runExample("slurm-extract.sh", args, environment: ["FEAST_STAGE": "merge"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        try ok(["extract", "--network", work + "/net.h5", work + "/data", "-o", work + "/single.h5"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: work + "/out.h5")),
                       try Data(contentsOf: URL(fileURLWithPath: work + "/single.h5")))
        // A failed task leaves a shard missing: the merge job refuses.
        try FileManager.default.removeItem(atPath: work + "/out.parts/part-00001.h5")
        try FileManager.default.removeItem(atPath: work + "/out.h5")
        let broken = try ExamplesTests.runExample("slurm-extract.sh", args, environment: ["FEAST_STAGE": "merge"])
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.stderr.contains("shard 1/3 missing"), broken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/out.h5"))
    }
}
