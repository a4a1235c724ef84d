// Ensemble decoding: several models translate together. At each step every member advances the same
// hypothesis rows (same sentences, same previous tokens) with its own encoder output and decoder state,
// and search ranks the next token by the members' mean log-probability,
//     log p(y | …) = (1/M) Σ_m log p_m(y | …).
// Marian sums the members' log-probabilities with weights (1 each by default), which ranks the same;
// the mean keeps scores (n-best lists, length normalisation) on one model's scale. Independently trained
// members make different mistakes, and averaging their scores cancels some of them, at M times the cost
// of translating. Members may differ in size, cell and depth; they must share vocabularies (the
// Translator checks) and, with a shortlist, score the same target pieces. One member is read as it is:
// its logits and normalisers are used without a copy, so a single model pays nothing for this file.
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
        "\(path): its vocabularies differ from those of \(first); the models of an ensemble must share them (train them with the same `--vocab` directory, or use the models and checkpoints of one run)"
    }
}

/// The members' side of one search: each member's encoded batch, decoder state [R, H] and step buffers,
/// stepped together over the same rows.
final class MemberSteps {
    let members: [SearchMember]
    let encoded: [EncodedBatch]
    private(set) var states: [DecoderState]
    let workspaces: [StepWorkspace]

    init(_ members: [SearchMember], sources: [[Int32]], threads: Int) {
        precondition(!members.isEmpty, "a search needs a model")
        if members.count > 1 {
            let configs = members.map(\.model.config)
            precondition(Set(configs.map { [$0.sourceVocabSize, $0.targetVocabSize] }).count == 1,
                         "an ensemble's members share vocabularies")
            precondition(Set(members.map { $0.columns?.ids ?? [] }).count == 1, "an ensemble's members score the same columns")
            let scratches = members.compactMap { $0.scratch.map(ObjectIdentifier.init) }
            precondition(Set(scratches).count == scratches.count, "each member of an ensemble has its own scratch")
        }
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
    /// rows' scores [R, width] and normalisers [R]: log p(column c | row r) = scores[r, c] − logZ[r]. With
    /// several members the scores are their mean log-probabilities, made in the first member's logits (so
    /// nothing is allocated), and the normalisers are zeros.
    func step(sentence: [Int32], previous: [Int32]) -> (scores: UnsafePointer<Float>, logZ: UnsafePointer<Float>) {
        for (m, member) in members.enumerated() {
            S2SDecode.step(member.model, encoded[m], sentence: sentence, previous: previous, state: states[m],
                           workspace: workspaces[m], columns: member.columns)
        }
        let first = workspaces[0]
        if members.count > 1 {
            let R = sentence.count, V = width, weight = 1 / Float(members.count)
            let out = first.logits.pointer, outZ = first.logZ.pointer
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
            outZ.update(repeating: 0, count: R)
        }
        return (UnsafePointer(first.logits.pointer), UnsafePointer(first.logZ.pointer))
    }

    /// Keeps the rows `parents` (in that order, repeats allowed) of every member's new state.
    func reorder(_ parents: [Int]) {
        states = workspaces.map { $0.nextState(parents) }
    }
}
