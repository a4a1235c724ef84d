// How much memory this process uses: the peak resident set size, as `time -v` would report it, and the
// current one; and the memory log of a training run, phase by phase, so the phase that sets the peak is
// known (reading and vocabularies, encoding, the shortlist, the first steps, steady training, validation).
import Foundation

/// The peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KiB).
public func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The resident set size now, in MB (from /proc/self/statm; 0 where there is none).
public func residentMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// The memory at the end of one phase of a run: the peak so far, and what is resident now.
public struct MemoryMark: Sendable, Equatable {
    public var phase: String
    public var peakMB: Double
    public var residentMB: Double

    public init(_ phase: String) {
        self.phase = phase
        peakMB = peakResidentMegabytes()
        residentMB = residentMegabytes()
    }

    public var description: String {
        String(format: "memory after %@: %.0f MB resident, peak %.0f MB", phase, residentMB, peakMB)
    }
}

/// Hands memory freed inside the process back to the system. glibc keeps freed small blocks for reuse,
/// so a phase that built many (IBM Model 1's table) would otherwise stay in the resident set.
public func releaseFreedMemory() {
    #if os(Linux)
    _ = glibcMallocTrim(0)
    #endif
}

#if os(Linux)
// <malloc.h> is not part of Swift's Glibc module; the function has been in glibc since 2.0.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
