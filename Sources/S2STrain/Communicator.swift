// The processes of one training run and the collectives they use: the only file that calls MPI.
//
// `mpirun -np N s2s train …` starts N copies of s2s (ranks). Each computes the gradient of its share of
// every batch; the collectives below sum those gradients and agree on everything that must be the same
// everywhere (losses, the stop decision, the learning rate). Run without mpirun, `Communicator.solo`
// stands for the single process and never touches MPI, so plain `s2s train` is exactly what it was.
//
// Failure: MPI calls return their errors (MPI_ERRORS_RETURN) and we throw them. A rank that dies makes
// mpirun end the job; a rank that hangs would leave the others blocked in a collective forever, so a
// watchdog ends this process with a clear message when one collective waits longer than `timeout`.
import CMPI
import Foundation

public struct CommunicatorError: Error, CustomStringConvertible {
    public let description: String
}

public final class Communicator: @unchecked Sendable {
    public let rank: Int
    public let size: Int
    public var isRoot: Bool { rank == 0 }
    let usesMPI: Bool

    /// Seconds one collective may wait for the other ranks before this rank gives up (they may be
    /// validating or writing a checkpoint meanwhile, so this is generous).
    public var timeout: Double = 600
    private let watch = NSLock()
    private var waitingSince: Double?   // guarded by `watch`
    private var waitingFor = ""         // guarded by `watch`

    /// The single process of a run without mpirun.
    public static let solo = Communicator(rank: 0, size: 1, usesMPI: false)

    private init(rank: Int, size: Int, usesMPI: Bool) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
    }

    /// True when this process was started by mpirun (Open MPI sets these before starting a rank).
    public static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil
    }

    /// How many ranks of the job run on this host (Open MPI says so in the environment).
    public static var ranksOnThisHost: Int {
        ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? 1
    }

    /// Joins the MPI job this process belongs to, or returns `solo` when mpirun did not start it.
    /// Only the calling thread (the training loop's) will make MPI calls: MPI_THREAD_FUNNELED.
    public static func join() throws -> Communicator {
        guard launchedByMPI else { return solo }
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
        MPI_Comm_set_errhandler(s2s_mpi_comm_world(), s2s_mpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        try check(MPI_Comm_rank(s2s_mpi_comm_world(), &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(s2s_mpi_comm_world(), &size), "MPI_Comm_size")
        let comm = Communicator(rank: Int(rank), size: Int(size), usesMPI: true)
        comm.startWatchdog()
        return comm
    }

    /// Leaves the job cleanly (every rank must call it once at the end).
    public func finish() {
        if usesMPI { MPI_Finalize() }
    }

    // MARK: - Collectives (every rank calls each one, in the same order)

    /// x ← Σ over ranks of x, in place. x: [count]
    public func sum(_ x: UnsafeMutablePointer<Float>, count: Int) throws {
        guard size > 1 else { return }
        try chunks(count) { start, n in
            try collective("MPI_Allreduce") {
                MPI_Allreduce(s2s_mpi_in_place(), x + start, n, s2s_mpi_float(), s2s_mpi_sum(), s2s_mpi_comm_world())
            }
        }
    }

    /// values ← Σ over ranks of values (a handful of counters).
    public func sum(_ values: inout [Double]) throws {
        try reduce(&values, s2s_mpi_sum())
    }

    /// values ← max over ranks of values: any rank's flag (1) becomes everybody's.
    public func maximum(_ values: inout [Double]) throws {
        try reduce(&values, s2s_mpi_max())
    }

    /// values ← min over ranks of values.
    public func minimum(_ values: inout [Double]) throws {
        try reduce(&values, s2s_mpi_min())
    }

    /// Rank 0's x, everywhere, in place. x: [count]
    public func broadcast(_ x: UnsafeMutablePointer<Float>, count: Int) throws {
        guard size > 1 else { return }
        try chunks(count) { start, n in
            try collective("MPI_Bcast") { MPI_Bcast(x + start, n, s2s_mpi_float(), 0, s2s_mpi_comm_world()) }
        }
    }

    /// Rank 0's bytes, everywhere (the length first, so the others need not know it).
    public func broadcast(_ bytes: inout [UInt8]) throws {
        guard size > 1 else { return }
        var length = [Double(bytes.count)]
        try broadcast(&length)
        bytes = isRoot ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
        let n = Int32(bytes.count)
        try bytes.withUnsafeMutableBufferPointer { p in
            try collective("MPI_Bcast") { MPI_Bcast(p.baseAddress, n, s2s_mpi_byte(), 0, s2s_mpi_comm_world()) }
        }
    }

    /// Rank 0's values, everywhere.
    public func broadcast(_ values: inout [Double]) throws {
        guard size > 1 else { return }
        let n = Int32(values.count)
        try values.withUnsafeMutableBufferPointer { p in
            try collective("MPI_Bcast") { MPI_Bcast(p.baseAddress, n, s2s_mpi_double(), 0, s2s_mpi_comm_world()) }
        }
    }

    /// True when every rank passed the same value (e.g. a hash of what each built on its own).
    public func allAgree(on value: UInt64) throws -> Bool {
        guard size > 1 else { return true }
        let halves = [Double(value >> 32), Double(value & 0xFFFF_FFFF)]
        var low = halves, high = halves
        try reduce(&low, s2s_mpi_min())
        try reduce(&high, s2s_mpi_max())
        return low == high
    }

    /// The shard of rank r in a buffer of `count` elements split into `size` contiguous pieces.
    public func shard(of count: Int, rank r: Int? = nil) -> Range<Int> {
        let r = r ?? rank
        let base = count / size, extra = count % size
        let start = r * base + min(r, extra)
        return start..<(start + base + (r < extra ? 1 : 0))
    }

    /// shard ← this rank's piece of Σ over ranks of x. x: [count] (left unspecified), shard: [shard(of: count).count]
    public func sumScattered(_ x: UnsafeMutablePointer<Float>, count: Int, into shard: UnsafeMutablePointer<Float>) throws {
        guard size > 1 else { shard.update(from: x, count: count); return }
        try Self.checkCount(count)
        let counts = (0..<size).map { Int32(self.shard(of: count, rank: $0).count) }
        try collective("MPI_Reduce_scatter") {
            MPI_Reduce_scatter(x, shard, counts, s2s_mpi_float(), s2s_mpi_sum(), s2s_mpi_comm_world())
        }
    }

    /// Every rank's shard of x, everywhere: x[shard(r)] from rank r, in place. x: [count]
    public func gather(_ x: UnsafeMutablePointer<Float>, count: Int) throws {
        guard size > 1 else { return }
        try Self.checkCount(count)
        let ranges = (0..<size).map { shard(of: count, rank: $0) }
        let counts = ranges.map { Int32($0.count) }, offsets = ranges.map { Int32($0.lowerBound) }
        try collective("MPI_Allgatherv") {
            MPI_Allgatherv(s2s_mpi_in_place(), 0, s2s_mpi_float(), x, counts, offsets, s2s_mpi_float(), s2s_mpi_comm_world())
        }
    }

    // MARK: - Plumbing

    private func reduce(_ values: inout [Double], _ op: MPI_Op) throws {
        guard size > 1 else { return }
        let n = Int32(values.count)
        try values.withUnsafeMutableBufferPointer { p in
            try collective("MPI_Allreduce") { MPI_Allreduce(s2s_mpi_in_place(), p.baseAddress, n, s2s_mpi_double(), op, s2s_mpi_comm_world()) }
        }
    }

    /// Reduce-scatter and allgather take Int32 counts and offsets over the whole buffer.
    private static func checkCount(_ count: Int) throws {
        if count > Int(Int32.max) {
            throw CommunicatorError(description: "a model of \(count) parameters is too large to train over MPI (at most \(Int32.max))")
        }
    }

    /// MPI counts are Int32: big buffers go in pieces (allreduce and broadcast).
    private func chunks(_ count: Int, _ body: (Int, Int32) throws -> Void) throws {
        let limit = 1 << 30
        var start = 0
        while start < count {
            let n = min(limit, count - start)
            try body(start, Int32(n))
            start += n
        }
    }

    /// Runs one MPI call under the watchdog and turns its error code into a thrown error.
    private func collective(_ name: String, _ call: () -> Int32) throws {
        watch.lock(); waitingSince = Date().timeIntervalSince1970; waitingFor = name; watch.unlock()
        let code = call()
        watch.lock(); waitingSince = nil; watch.unlock()
        try Self.check(code, name)
    }

    private static func check(_ code: Int32, _ name: String) throws {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        let message = String(decoding: text.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw CommunicatorError(description: "\(name) failed: \(message) (another rank has probably stopped)")
    }

    /// A thread that looks once a second whether a collective has waited too long.
    private func startWatchdog() {
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                self.watch.lock()
                let since = self.waitingSince, name = self.waitingFor
                self.watch.unlock()
                if let since, Date().timeIntervalSince1970 - since > self.timeout {
                    let message = "s2s train: rank \(self.rank) of \(self.size) waited \(Int(self.timeout)) s in \(name) for the other ranks; one of them has died or hung, so this rank stops (see --mpi-timeout)\n"
                    FileHandle.standardError.write(Data(message.utf8))
                    // Under FUNNELED only the training thread may call MPI; exiting makes mpirun end the job.
                    _exit(70)
                }
            }
        }
        thread.start()
    }
}
