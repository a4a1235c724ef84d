// Making sure OpenBLAS runs its best kernel for this CPU.
//
// OpenBLAS picks a kernel family (SkylakeX, Haswell, …) once, when the library loads, and honours the
// environment variable OPENBLAS_CORETYPE if it is set. Some environments set it to an older family; on an
// AVX-512 CPU, OPENBLAS_CORETYPE=Haswell halves sgemm speed (measured here: about 105 vs 200 GFLOP/s), and
// every matrix product in s2s goes through sgemm. The library is already loaded when `main` runs, so the
// only way to change its choice is to start again: the executables call `reloadIfForcedToWeakerKernel()`
// first thing, which re-executes the same program without the variable when the forced family cannot use
// vector instructions this CPU has. It changes nothing when the variable is unset, when the forced family
// is as good as the CPU allows, or when S2S_KEEP_OPENBLAS_CORETYPE=1 says the user wants their choice kept.
import Foundation

public enum OpenBLASKernel {
    /// OpenBLAS's names for the x86-64 families whose sgemm uses AVX-512, and those that use AVX2.
    static let avx512Families: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
    static let avx2Families = avx512Families.union(["haswell", "zen", "excavator"])

    /// True when the forced family leaves vector width on the table: an AVX-512 CPU running a family without
    /// AVX-512, or an AVX2 CPU running a family without AVX2. Pure, so it can be tested on any machine.
    public static func shouldReload(
        forcedCoreType: String?, currentCore: String, cpuFlags: Set<String>, keepRequested: Bool,
        alreadyReloaded: Bool
    ) -> Bool {
        guard let forced = forcedCoreType, !forced.isEmpty, !keepRequested, !alreadyReloaded else { return false }
        let core = currentCore.lowercased()
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") {
            return !avx512Families.contains(core)
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return !avx2Families.contains(core) }
        return false
    }

    /// The CPU's feature flags as Linux reports them (empty elsewhere, which makes the check a no-op).
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    static let reloadedMarker = "S2S_OPENBLAS_RELOADED"

    /// Re-executes this program without OPENBLAS_CORETYPE when that variable forced a weaker kernel than
    /// the CPU supports (see the file header). Returns only when nothing needed changing or exec failed.
    public static func reloadIfForcedToWeakerKernel() {
        let env = ProcessInfo.processInfo.environment
        // The usual case, no variable set, costs one lookup: /proc/cpuinfo is read only when it matters.
        guard env["OPENBLAS_CORETYPE"] != nil, shouldReload(
            forcedCoreType: env["OPENBLAS_CORETYPE"], currentCore: BLAS.coreName, cpuFlags: cpuFlags(),
            keepRequested: env["S2S_KEEP_OPENBLAS_CORETYPE"] == "1", alreadyReloaded: env[reloadedMarker] != nil)
        else { return }
        unsetenv("OPENBLAS_CORETYPE")
        setenv(reloadedMarker, "1", 1)  // never loop, whatever the library picks the second time
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // Only reached if exec failed (no /proc, say): carry on with the kernel we have.
        for p in argv { free(p) }
    }
}
