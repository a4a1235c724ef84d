// The ICU shim: NFC normalisation, lowercasing and word-break segmentation of UTF-8 lines,
// behind the unversioned interface of include/s2s_icu.h. This is the only file that includes
// ICU headers. It works in UTF-16 (ICU's native form) and reports offsets in UTF-8 bytes,
// so the Swift side slices its own UTF-8 and never does per-character String work.
#include "s2s_icu.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utypes.h>

struct s2s_segmenter {
    UBreakIterator *breaker;
    const UNormalizer2 *nfc;
    char locale[64];
    int32_t lowercase;

    UChar *text16;      // the processed text, UTF-16
    int32_t cap16;
    UChar *scratch16;   // the other half of a ping-pong pair with text16
    int32_t capScratch;

    uint8_t *text8;     // the processed text, UTF-8
    int32_t cap8;
    int32_t len8;
    int32_t changed;

    int32_t *starts;    // [runs + 1] UTF-8 offsets
    int32_t capRuns;
    uint8_t *kinds;     // [runs]
    int32_t capKinds;
};

// Grows *buffer to hold at least `need` elements; buffers only grow, so steady state allocates nothing.
static int grow(void **buffer, int32_t *capacity, int64_t need, size_t element) {
    if (need <= *capacity) return 1;
    int64_t n = *capacity > 0 ? *capacity : 256;
    while (n < need) n *= 2;
    if (n > INT32_MAX) return 0;
    void *p = realloc(*buffer, (size_t)n * element);
    if (p == NULL) return 0;
    *buffer = p;
    *capacity = (int32_t)n;
    return 1;
}

static void swap16(s2s_segmenter *s) {
    UChar *t = s->text16; s->text16 = s->scratch16; s->scratch16 = t;
    int32_t c = s->cap16; s->cap16 = s->capScratch; s->capScratch = c;
}

s2s_segmenter *s2s_segmenter_open(const char *locale, int32_t lowercase, int32_t *error_code) {
    UErrorCode status = U_ZERO_ERROR;
    s2s_segmenter *s = calloc(1, sizeof(s2s_segmenter));
    if (s == NULL) { *error_code = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    strncpy(s->locale, locale ? locale : "", sizeof(s->locale) - 1);
    s->lowercase = lowercase;
    s->nfc = unorm2_getNFCInstance(&status);
    if (U_SUCCESS(status)) s->breaker = ubrk_open(UBRK_WORD, s->locale, NULL, 0, &status);
    if (U_FAILURE(status)) {
        *error_code = status;
        s2s_segmenter_close(s);
        return NULL;
    }
    *error_code = 0;
    return s;
}

void s2s_segmenter_close(s2s_segmenter *s) {
    if (s == NULL) return;
    if (s->breaker) ubrk_close(s->breaker);
    free(s->text16); free(s->scratch16); free(s->text8); free(s->starts); free(s->kinds);
    free(s);
}

// NFC-normalises text16 in place (through scratch16) unless the quick check already says yes.
static int normalize16(s2s_segmenter *s, int32_t *n16) {
    UErrorCode status = U_ZERO_ERROR;
    if (unorm2_quickCheck(s->nfc, s->text16, *n16, &status) == UNORM_YES && U_SUCCESS(status)) return 1;
    for (;;) {
        status = U_ZERO_ERROR;
        int32_t n = unorm2_normalize(s->nfc, s->text16, *n16, s->scratch16, s->capScratch, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (!grow((void **)&s->scratch16, &s->capScratch, (int64_t)n + 1, sizeof(UChar))) return 0;
            continue;
        }
        if (U_FAILURE(status)) return 1;  // leave the text as it is rather than lose it
        if (n != *n16 || memcmp(s->text16, s->scratch16, (size_t)n * sizeof(UChar)) != 0) s->changed = 1;
        swap16(s);
        *n16 = n;
        return 1;
    }
}

static int lowercase16(s2s_segmenter *s, int32_t *n16) {
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t n = u_strToLower(s->scratch16, s->capScratch, s->text16, *n16, s->locale, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            if (!grow((void **)&s->scratch16, &s->capScratch, (int64_t)n + 1, sizeof(UChar))) return 0;
            continue;
        }
        if (U_FAILURE(status)) return 1;
        if (n == *n16 && memcmp(s->text16, s->scratch16, (size_t)n * sizeof(UChar)) == 0) return 1;
        s->changed = 1;
        swap16(s);
        *n16 = n;
        // Lowercasing can, rarely, leave text that is no longer NFC.
        return normalize16(s, n16);
    }
}

// Fills text16 (returns its length) and text8 with the processed line, or returns -1.
static int32_t prepare(s2s_segmenter *s, const uint8_t *utf8, int32_t length) {
    s->changed = 0;
    if (length < 0) length = 0;
    if (!grow((void **)&s->text16, &s->cap16, (int64_t)length + 1, sizeof(UChar))) return -1;
    int32_t n16 = 0;
    int ascii = 1;
    for (int32_t i = 0; i < length; i++) if (utf8[i] >= 0x80) { ascii = 0; break; }
    if (ascii) {
        // ASCII is always NFC, and widening it is all the conversion there is.
        for (int32_t i = 0; i < length; i++) s->text16[i] = utf8[i];
        n16 = length;
    } else {
        UErrorCode status = U_ZERO_ERROR;
        int32_t substitutions = 0;
        u_strFromUTF8WithSub(s->text16, s->cap16, &n16, (const char *)utf8, length, 0xFFFD, &substitutions, &status);
        if (U_FAILURE(status)) return -1;
        if (substitutions > 0) s->changed = 1;
        if (!normalize16(s, &n16)) return -1;
    }
    if (s->lowercase && !lowercase16(s, &n16)) return -1;

    if (!s->changed) {
        if (!grow((void **)&s->text8, &s->cap8, (int64_t)length + 1, 1)) return -1;
        if (length > 0) memcpy(s->text8, utf8, (size_t)length);
        s->len8 = length;
    } else {
        for (;;) {
            UErrorCode status = U_ZERO_ERROR;
            int32_t n8 = 0;
            u_strToUTF8((char *)s->text8, s->cap8, &n8, s->text16, n16, &status);
            if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) {
                if (!grow((void **)&s->text8, &s->cap8, (int64_t)n8 + 1, 1)) return -1;
                if (status == U_STRING_NOT_TERMINATED_WARNING) { s->len8 = n8; break; }
                continue;
            }
            if (U_FAILURE(status)) return -1;
            s->len8 = n8;
            break;
        }
    }
    return n16;
}

int32_t s2s_segmenter_normalize(s2s_segmenter *s, const uint8_t *utf8, int32_t length) {
    if (prepare(s, utf8, length) < 0) return -1;
    if (!grow((void **)&s->starts, &s->capRuns, 1, sizeof(int32_t))) return -1;
    s->starts[0] = s->len8;
    return s->len8;
}

static inline int is_space(UChar c) {
    if (c < 0x80) return c == 0x20 || (c >= 0x09 && c <= 0x0D);
    return u_isUWhiteSpace(c);
}

int32_t s2s_segmenter_segment(s2s_segmenter *s, const uint8_t *utf8, int32_t length) {
    int32_t n16 = prepare(s, utf8, length);
    if (n16 < 0) return -1;
    // Every run holds at least one UTF-16 unit, so n16 runs is the most there can be.
    if (!grow((void **)&s->starts, &s->capRuns, (int64_t)n16 + 2, sizeof(int32_t))) return -1;
    if (!grow((void **)&s->kinds, &s->capKinds, (int64_t)n16 + 1, 1)) return -1;

    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(s->breaker, s->text16, n16, &status);
    // If ICU refuses the text, fall back to one segment split only at whitespace.
    int broken = U_SUCCESS(status);

    int32_t runs = 0;
    int32_t pos8 = 0;
    int32_t start = 0;
    int32_t end = broken ? ubrk_next(s->breaker) : (n16 > 0 ? n16 : UBRK_DONE);
    while (end != UBRK_DONE && start < n16) {
        if (end > n16) end = n16;
        uint8_t segmentKind = S2S_RUN_WORD;
        if (broken) segmentKind = ubrk_getRuleStatus(s->breaker) >= UBRK_WORD_NONE_LIMIT ? S2S_RUN_WORD : S2S_RUN_OTHER;
        int first = 1;
        for (int32_t i = start; i < end; i++) {
            UChar c = s->text16[i];
            uint8_t kind = is_space(c) ? S2S_RUN_SPACE : segmentKind;
            // Spaces merge across segments; every other segment is its own run (its own token).
            if (runs == 0 || kind != s->kinds[runs - 1] || (kind != S2S_RUN_SPACE && first)) {
                s->starts[runs] = pos8;
                s->kinds[runs] = kind;
                runs++;
            }
            first = 0;
            if (c < 0x80) pos8 += 1;
            else if (c < 0x800) pos8 += 2;
            else if (U16_IS_LEAD(c) && i + 1 < end && U16_IS_TRAIL(s->text16[i + 1])) { pos8 += 4; i++; }
            else pos8 += 3;
        }
        start = end;
        end = broken ? ubrk_next(s->breaker) : UBRK_DONE;
    }
    s->starts[runs] = s->len8;
    return runs;
}

const uint8_t *s2s_segmenter_text(const s2s_segmenter *s, int32_t *length) {
    *length = s->len8;
    return s->text8;
}

int32_t s2s_segmenter_text_changed(const s2s_segmenter *s) { return s->changed; }

const int32_t *s2s_segmenter_run_starts(const s2s_segmenter *s) { return s->starts; }

const uint8_t *s2s_segmenter_run_kinds(const s2s_segmenter *s) { return s->kinds; }

/// The boundaries of one break iterator kind over UTF-8 (see s2s_grapheme_ends).
static int32_t break_ends(UBreakIteratorType kind, const char *locale, const uint8_t *utf8, int32_t length,
                          int32_t *ends, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    // A UText over the UTF-8 itself: the iterator's positions are then UTF-8 byte offsets.
    UText *text = utext_openUTF8(NULL, (const char *)utf8, length, &status);
    UBreakIterator *breaker = ubrk_open(kind, locale, NULL, 0, &status);
    if (U_SUCCESS(status)) ubrk_setUText(breaker, text, &status);
    int32_t count = -1;
    if (U_SUCCESS(status)) {
        count = 0;
        ubrk_first(breaker);
        for (int32_t end = ubrk_next(breaker); end != UBRK_DONE; end = ubrk_next(breaker)) {
            if (count < capacity) ends[count] = end;
            count++;
        }
    }
    if (breaker) ubrk_close(breaker);
    utext_close(text);
    return count;
}

int32_t s2s_grapheme_ends(const uint8_t *utf8, int32_t length, int32_t *ends, int32_t capacity) {
    return break_ends(UBRK_CHARACTER, "", utf8, length, ends, capacity);
}

int32_t s2s_sentence_ends(const uint8_t *utf8, int32_t length, const char *locale, int32_t *ends, int32_t capacity) {
    return break_ends(UBRK_SENTENCE, locale, utf8, length, ends, capacity);
}

const char *s2s_icu_error_name(int32_t error_code) { return u_errorName((UErrorCode)error_code); }
