// S2SEval: corpus BLEU and chrF that reproduce sacreBLEU 2.x's default numbers.
//
// (This file is the module's README; a README.md here would need an `exclude:` in Package.swift.)
//
// Public API
//   BLEU.corpusScore(hypotheses:references:)          -> BLEUScore    one reference per segment
//   BLEU.corpusScore(hypotheses:referenceStreams:)    -> BLEUScore    several references
//   BLEU.corpusStatistics(hypotheses:referenceStreams:) -> BLEUStatistics (summed counts; .score)
//   CHRF.corpusScore / corpusStatistics               -> CHRFScore / CHRFStatistics, same shapes
//   Tokenizer13a().tokenize(_:) / tokens(_:)          sacreBLEU's "13a" tokenizer
//   AlignedSegments.read(hypothesisPath:referencePaths:), TextLines.read(path:)
//                                                     UTF-8 files → line-aligned segments
//   EvalError                                         what went wrong, naming file and line
// `description` of a score prints sacreBLEU's line, e.g.
//   BLEU = 33.21 62.0/39.1/27.5/19.6 (BP = 1.000 ratio = 1.012 hyp_len = 123 ref_len = 121)
//   chrF2 = 55.12
//
// Files
//   BLEU.swift, BLEUScore.swift      corpus BLEU; statistics → score (exp smoothing, brevity penalty)
//   CHRF.swift, CHRFScore.swift      corpus chrF; statistics → score (effective-order averaging)
//   Tokenizer13a.swift               the 13a tokenizer, pass by pass over Unicode scalars
//   PythonWhitespace.swift           the whitespace set of Python's str.split()
//   NgramMatcher.swift               clipped n-gram matching shared by both metrics
//   TokenInterner.swift              token → integer id, so BLEU matches integers, not strings
//   RawBuffer.swift                  raw growable buffers for the inner loops
//   TextLines.swift                  reading and aligning evaluation files
//   EvalError.swift                  errors
//
// Exactness
//   Python strings are sequences of code points, and sacreBLEU compares them code point by code
//   point, so everything here works on Unicode scalars: "é" and "e\u{301}" are different tokens
//   and different characters, as in sacreBLEU (Swift's String == would call them equal).
//   Floating-point steps follow sacreBLEU's order of operations; scores came out bit-identical to
//   sacrebleu 2.6.0 on the fixtures, the 2,000-line Tatoeba dev set and 3,000 random tricky lines.
//   Tests: Tests/S2SEvalTests (fixtures in Tests/Fixtures/eval, expected values from sacrebleu 2.6.0).
