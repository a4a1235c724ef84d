// How much memory this process has used: the peak resident set size, as `time -v` would report it.
import Foundation

/// The peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KiB).
public func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
