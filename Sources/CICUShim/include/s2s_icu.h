// The ICU shim's public interface: unversioned C functions over plain C types.
//
// Why this exists: ICU renames every C function with a version suffix through macros
// Swift cannot import, and ICU's headers clash with the ICU copy inside Foundation in any
// module that imports Foundation. So this header includes no ICU header at all; only
// s2s_icu.c does.
//
// A segmenter does, for one line of UTF-8 at a time: NFC normalisation, optional
// lowercasing, then ICU word break (UBRK_WORD) with a locale, and reports the line as
// "runs": maximal whitespace runs (Unicode White_Space) and one run per non-space word-break
// segment. Runs cover the processed text exactly, with no gaps, so concatenating them gives
// the processed text back.
#ifndef S2S_ICU_H
#define S2S_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Run kinds reported by s2s_segmenter_run_kinds.
enum {
    /// A maximal run of Unicode White_Space characters (space, tab, newline, NBSP, U+202F...).
    S2S_RUN_SPACE = 0,
    /// A word-break segment ICU classifies as a word: letters, numbers, kana or ideographs.
    S2S_RUN_WORD = 1,
    /// Any other non-space segment: punctuation, symbols, emoji.
    S2S_RUN_OTHER = 2,
};

/// An ICU word-break iterator plus reusable buffers. Not thread-safe: one per thread.
typedef struct s2s_segmenter s2s_segmenter;

/// Opens a segmenter for `locale` (e.g. "en", "fr"). `lowercase` != 0 lowercases every line
/// with the locale's rules. Returns NULL and sets *error_code (an ICU error code, > 0) on failure.
s2s_segmenter *s2s_segmenter_open(const char *locale, int32_t lowercase, int32_t *error_code);

/// Frees a segmenter; NULL is allowed.
void s2s_segmenter_close(s2s_segmenter *segmenter);

/// Processes one line: `utf8` is `length` bytes of UTF-8 (ill-formed bytes become U+FFFD).
/// Afterwards s2s_segmenter_text gives the processed text and the run accessors describe it.
/// Returns the number of runs (0 for an empty line), or -1 when memory ran out.
int32_t s2s_segmenter_segment(s2s_segmenter *segmenter, const uint8_t *utf8, int32_t length);

/// Like s2s_segmenter_segment but only normalises (and lowercases); reports no runs.
/// Returns the processed text's length in bytes, or -1 when memory ran out.
int32_t s2s_segmenter_normalize(s2s_segmenter *segmenter, const uint8_t *utf8, int32_t length);

/// The processed text of the last call (NFC, lowercased if asked) as UTF-8; *length gets its
/// byte count. Valid until the next call on this segmenter.
const uint8_t *s2s_segmenter_text(const s2s_segmenter *segmenter, int32_t *length);

/// 1 when the processed text differs from the input bytes (normalisation or case changed it).
int32_t s2s_segmenter_text_changed(const s2s_segmenter *segmenter);

/// Byte offsets into the processed text where each run starts; there are (runs + 1) entries,
/// the last one being the text length. Valid until the next call on this segmenter.
const int32_t *s2s_segmenter_run_starts(const s2s_segmenter *segmenter);

/// One S2S_RUN_* kind per run. Valid until the next call on this segmenter.
const uint8_t *s2s_segmenter_run_kinds(const s2s_segmenter *segmenter);

/// Grapheme clusters (ICU's UBRK_CHARACTER: user-perceived characters, so a letter with its combining
/// marks or an emoji sequence is one cluster) of `length` bytes of well-formed UTF-8. Writes the UTF-8
/// byte offset where each cluster ends into `ends` (at most `capacity` entries) and returns the number
/// of clusters, which may exceed `capacity` (call again with room for that many), or -1 on an ICU error.
int32_t s2s_grapheme_ends(const uint8_t *utf8, int32_t length, int32_t *ends, int32_t capacity);

/// Sentences (ICU's UBRK_SENTENCE with the rules of `locale`, e.g. "en"): like s2s_grapheme_ends, the
/// UTF-8 byte offset where each sentence ends. A sentence keeps the spaces that follow it.
int32_t s2s_sentence_ends(const uint8_t *utf8, int32_t length, const char *locale, int32_t *ends, int32_t capacity);

/// A readable name for an ICU error code ("U_ILLEGAL_ARGUMENT_ERROR").
const char *s2s_icu_error_name(int32_t error_code);

#ifdef __cplusplus
}
#endif

#endif
