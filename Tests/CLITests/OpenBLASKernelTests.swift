// s2s restarts itself without OPENBLAS_CORETYPE when that variable forces a kernel older than the CPU
// supports (Sources/S2SNet/OpenBLASKernel.swift): the decision, and the restart seen from outside.
import Foundation
import S2SNet
import XCTest

final class OpenBLASKernelTests: XCTestCase {
    let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"]
    let avx2: Set<String> = ["sse2", "avx", "avx2", "fma"]

    func testReloadsOnlyWhenTheForcedKernelIsWeakerThanTheCPU() {
        func reload(_ forced: String?, _ current: String, _ flags: Set<String>, keep: Bool = false,
                    again: Bool = false) -> Bool {
            OpenBLASKernel.shouldReload(forcedCoreType: forced, currentCore: current, cpuFlags: flags,
                                        keepRequested: keep, alreadyReloaded: again)
        }
        XCTAssertTrue(reload("Haswell", "Haswell", avx512))
        XCTAssertTrue(reload("SANDYBRIDGE", "Sandybridge", avx2))
        XCTAssertFalse(reload("Haswell", "Haswell", avx2), "Haswell is the best an AVX2 CPU can run")
        XCTAssertFalse(reload("SkylakeX", "SkylakeX", avx512))
        XCTAssertFalse(reload(nil, "Haswell", avx512), "no variable: the library chose by itself")
        XCTAssertFalse(reload("", "Haswell", avx512))
        XCTAssertFalse(reload("Haswell", "Haswell", avx512, keep: true), "the user asked to keep it")
        XCTAssertFalse(reload("Haswell", "Haswell", avx512, again: true), "never restart twice")
        XCTAssertFalse(reload("Haswell", "Haswell", ["sse2"]), "unknown CPU: leave it alone")
    }

    /// Runs on machines whose CPU has AVX-512: the forced Haswell kernel is replaced, unless kept.
    func testVersionShowsTheKernelAfterTheRestart() throws {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard flags.contains(" avx512f "), flags.contains(" avx512bw "), flags.contains(" avx512vl ") else {
            throw XCTSkip("this CPU has no AVX-512")
        }
        let unset = try S2SCommand.run(["--version"], environment: ["OPENBLAS_CORETYPE": nil])
        XCTAssertEqual(unset.status, 0, unset.stderr)
        let forced = try S2SCommand.run(["--version"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(forced.stdout, unset.stdout, "the restart gives the kernel the library picks by itself")
        XCTAssertFalse(forced.stdout.contains("Haswell"), forced.stdout)
        let kept = try S2SCommand.run(["--version"], environment: [
            "OPENBLAS_CORETYPE": "Haswell", "S2S_KEEP_OPENBLAS_CORETYPE": "1"])
        XCTAssertTrue(kept.stdout.contains("OpenBLAS Haswell kernels"), kept.stdout)
    }
}
