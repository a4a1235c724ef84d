// Ensemble decoding: several models translate together. At each step every member advances the same
// hypothesis rows (same sentences, same previous tokens) with its own encoder output and decoder state,
// and search ranks the next token by the members' mean log-probability,
//     log p(y | …) = (1/M) Σ_m log p_m(y | …),
// as Marian and Nematus do (with equal weights). Members independently trained, or checkpoints of one
// run, make different mistakes; averaging their scores cancels some of them, at M times the cost of
// translating. Members may differ in size, cell and depth; they must share vocabularies (the Translator
// checks) and, with a shortlist, score the same target pieces. One member is read as it is: its logits
// and normalisers are used without a copy, so a single model pays nothing for this file.
import S2SNet

/// One model of a search: the model, the output columns it scores (nil: all V; see OutputColumns), and
/// the buffers it keeps between searches (nil: fresh ones).
public struct SearchMember {
    public var model: Seq2Seq
    public var columns: OutputColumns?
    public var scratch: SearchScratch?
    public init(model: Seq2Seq, columns: OutputColumns? = nil, scratch: SearchScratch? = nil) {
        self.model = model
        self.columns = columns
        self.scratch = scratch
    }
}

/// Models given to one Translator that cannot decode together.
public struct EnsembleMismatch: Error, CustomStringConvertible {
    public let path: String, first: String
    public var description: String {
        "\(path): its vocabularies differ from those of \(first); the models of an ensemble must share them (train them with the same `--vocab` directory, or resume one run's checkpoints)"
    }
}

/// The members' side of one search: each member's encoded batch, decoder state [R, H] and step buffers,
/// stepped together over the same rows.
final class MemberSteps {
    let members: [SearchMember]
    let encoded: [EncodedBatch]
    private(set) var states: [DecoderState]
    let workspaces: [StepWorkspace]
    /// [R, width] the members' mean log-probabilities, and [R] zeros as their normalisers (several members).
    private let mean = FloatBuffer(), zeros = FloatBuffer()

    init(_ members: [SearchMember], sources: [[Int32]], threads: Int) {
        precondition(!members.isEmpty, "a search needs a model")
        precondition(Set(members.map { $0.columns?.ids ?? [] }).count == 1, "an ensemble's members score the same columns")
        self.members = members
        encoded = members.map { $0.model.encode(sources, scratch: $0.scratch) }
        states = encoded.map(\.initialState)
        workspaces = members.map { $0.scratch?.step ?? StepWorkspace(config: $0.model.config, threads: threads) }
    }

    var S: Int { encoded[0].S }
    /// Columns of the scores: V, or C with a shortlist.
    var width: Int { members[0].columns?.count ?? members[0].model.config.targetVocabSize }
    /// [R, S] the first member's attention in the last step (for <unk> replacement and alignments).
    var alpha: UnsafePointer<Float> { UnsafePointer(workspaces[0].alpha.pointer) }
    /// The target id that column c of the scores names.
    func token(_ c: Int) -> Int32 { workspaces[0].token(c) }

    /// One decoder step of every member for rows given as arrays (see `Seq2Seq.decodeStep`). Returns the
    /// rows' scores [R, width] and normalisers [R]: log p(column c | row r) = scores[r, c] − logZ[r].
    func step(sentence: [Int32], previous: [Int32]) -> (scores: UnsafePointer<Float>, logZ: UnsafePointer<Float>) {
        for (m, member) in members.enumerated() {
            S2SDecode.step(member.model, encoded[m], sentence: sentence, previous: previous, state: states[m],
                           workspace: workspaces[m], columns: member.columns)
        }
        if members.count == 1 { return (UnsafePointer(workspaces[0].logits.pointer), UnsafePointer(workspaces[0].logZ.pointer)) }
        let R = sentence.count, V = width, weight = 1 / Float(members.count)
        let out = mean.reserve(R * V)
        zeros.reserve(R)
        zeros.zero(R)
        for (m, ws) in workspaces.enumerated() {
            let logits = ws.logits.pointer, logZ = ws.logZ.pointer
            for r in 0..<R {
                let x = logits + r * V, y = out + r * V, z = logZ[r]
                if m == 0 {
                    for c in 0..<V { y[c] = (x[c] - z) * weight }
                } else {
                    for c in 0..<V { y[c] += (x[c] - z) * weight }
                }
            }
        }
        return (UnsafePointer(out), UnsafePointer(zeros.pointer))
    }

    /// Keeps the rows `parents` (in that order, repeats allowed) of every member's new state.
    func reorder(_ parents: [Int]) {
        states = workspaces.map { $0.nextState(parents) }
    }
}
