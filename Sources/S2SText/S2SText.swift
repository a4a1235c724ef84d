// S2SText: everything between raw text and token ids. Only this module (through CICUShim)
// links ICU.
//
//   text ─ Tokenizer (NFC, ICU word break, elisions/contractions) ─▶ exact tokens / pieces
//        ─ BPE (joint merges, "@@" continuation) ─▶ subwords ─ Vocabulary ─▶ Int32 ids
//
// Entry points for training and translation:
//   VocabularySet(directory:) / VocabularySet(metadata:)  load both sides' vocabularies + BPE
//   VocabularySet.makeCodecs() → TextCodec per side: encode(line) → ids, decode(ids) → text
//   ParallelCorpus / ParallelCorpusReader                  read line-aligned training files
//
// Files: Tokenizer.swift, LanguageRules.swift, JoinerMarkers.swift (pieces and their
// detokenizer), BPE.swift, BPELearner.swift, Vocabulary.swift, VocabularySet.swift,
// TextCodec.swift, ParallelCorpus.swift, TextFiles.swift, TextError.swift.
