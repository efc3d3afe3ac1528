/* Numeric literals of the text format: integers and exactly rounded floats. */
#include "lex.h"

#include <math.h>

static int num_digit(char c, bool hex)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (hex && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Length of a digit run with single underscores between digits at s;
 * 0 if there is none or an underscore is misplaced. *ndigits counts. */
static size_t num_run(const char *s, size_t n, bool hex, size_t *ndigits)
{
    size_t i = 0, d = 0;
    while (i < n) {
        if (num_digit(s[i], hex) >= 0) {
            i++;
            d++;
        } else if (s[i] == '_' && i > 0 && i + 1 < n && num_digit(s[i + 1], hex) >= 0) {
            i++;
        } else {
            break;
        }
    }
    if (ndigits)
        *ndigits = d;
    return i;
}

static bool num_is_hex(const char *s, size_t n)
{
    return n > 2 && s[0] == '0' && (s[1] == 'x');
}

int wasm_parse_nat(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    bool hex = num_is_hex(s, n);
    if (hex) {
        s += 2;
        n -= 2;
    }
    if (n == 0 || num_run(s, n, hex, NULL) != n)
        return NUM_MALFORMED;
    uint64_t v = 0, base = hex ? 16 : 10;
    bool over = false;
    for (size_t i = 0; i < n; i++) {
        int d = num_digit(s[i], hex);
        if (d < 0)
            continue;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            over = true;
        else
            v = v * base + (uint64_t)d;
    }
    if (over || v > max)
        return NUM_RANGE;
    *out = v;
    return NUM_OK;
}

int wasm_parse_int(const char *s, size_t n, unsigned bits, uint64_t *out)
{
    uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    uint64_t smax = UINT64_C(1) << (bits - 1);
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        bool neg = s[0] == '-';
        uint64_t v;
        int rc = wasm_parse_nat(s + 1, n - 1, neg ? smax : smax - 1, &v);
        if (rc)
            return rc;
        *out = (neg ? (uint64_t)0 - v : v) & umax;
        return NUM_OK;
    }
    return wasm_parse_nat(s, n, umax, out);
}

/* ---- floats -------------------------------------------------------- */

typedef struct {
    unsigned mbits;   /* fraction bits: 23 or 52 */
    int emin, emax;   /* unbiased exponent range of normals */
    int bias;
} num_fmt;

static const num_fmt num_f32 = {23, -126, 127, 127};
static const num_fmt num_f64 = {52, -1022, 1023, 1023};

/* mant * 2^exp (plus a nonzero tail below mant when sticky), rounded to
 * nearest even in fmt.  Returns the bits without sign, or NUM_RANGE. */
static int num_round(const num_fmt *f, uint64_t mant, int64_t exp, bool sticky,
                     uint64_t *bits)
{
    if (mant == 0) {
        *bits = 0;
        return NUM_OK;
    }
    int msb = 63 - __builtin_clzll(mant);
    int64_t e = msb + exp;
    if (e > f->emax)
        return NUM_RANGE;
    int64_t lsb = (e < f->emin ? f->emin : e) - (int64_t)f->mbits;
    int64_t shift = lsb - exp;
    uint64_t m;
    if (shift <= 0) {
        m = mant << -shift;
    } else if (shift >= 64) {
        m = 0;
    } else {
        uint64_t rem = mant & ((UINT64_C(1) << shift) - 1);
        uint64_t half = UINT64_C(1) << (shift - 1);
        m = mant >> shift;
        if (rem > half || (rem == half && (sticky || (m & 1))))
            m++;
    }
    uint64_t hidden = UINT64_C(1) << f->mbits;
    if (m == hidden << 1) {
        m >>= 1;
        lsb++;
    }
    if (m < hidden) {
        *bits = m;
        return NUM_OK;
    }
    int64_t biased = lsb + f->mbits + f->bias;
    if (biased >= 2 * f->bias + 1)
        return NUM_RANGE;
    *bits = (uint64_t)biased << f->mbits | (m - hidden);
    return NUM_OK;
}

/* Decimal exponent digits after p/e and the sign; saturates. */
static int num_exponent(const char *s, size_t n, int64_t *out)
{
    bool neg = false;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    if (n == 0 || num_run(s, n, false, NULL) != n)
        return NUM_MALFORMED;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_' && v < (INT64_C(1) << 40))
            v = v * 10 + (s[i] - '0');
    *out = neg ? -v : v;
    return NUM_OK;
}

static void num_hex_digit(uint64_t *mant, int64_t *exp, bool *sticky, int d, bool frac)
{
    if (*mant < (UINT64_C(1) << 59)) {
        *mant = *mant * 16 + (uint64_t)d;
        if (frac)
            *exp -= 4;
    } else {
        *sticky |= d != 0;
        if (!frac)
            *exp += 4;
    }
}

/* 0x hexnum [. hexfrac] [p exp], after the "0x". */
static int num_hexfloat(const num_fmt *f, const char *s, size_t n, uint64_t *bits)
{
    uint64_t mant = 0;
    int64_t exp = 0;
    bool sticky = false;
    size_t i = num_run(s, n, true, NULL);
    if (i == 0)
        return NUM_MALFORMED;
    for (size_t k = 0; k < i; k++)
        if (s[k] != '_')
            num_hex_digit(&mant, &exp, &sticky, num_digit(s[k], true), false);
    if (i < n && s[i] == '.') {
        i++;
        size_t j = num_run(s + i, n - i, true, NULL);
        for (size_t k = i; k < i + j; k++)
            if (s[k] != '_')
                num_hex_digit(&mant, &exp, &sticky, num_digit(s[k], true), true);
        i += j;
    }
    if (i < n && (s[i] == 'p' || s[i] == 'P')) {
        int64_t e;
        if (num_exponent(s + i + 1, n - i - 1, &e))
            return NUM_MALFORMED;
        exp += e;
        i = n;
    }
    if (i != n)
        return NUM_MALFORMED;
    return num_round(f, mant, exp, sticky, bits);
}

/* Checks the decimal float syntax and copies it without underscores. */
static int num_decimal_copy(const char *s, size_t n, char *buf)
{
    size_t i = num_run(s, n, false, NULL);
    if (i == 0)
        return NUM_MALFORMED;
    if (i < n && s[i] == '.') {
        i++;
        i += num_run(s + i, n - i, false, NULL);
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int64_t e;
        if (num_exponent(s + i + 1, n - i - 1, &e))
            return NUM_MALFORMED;
        i = n;
    }
    if (i != n)
        return NUM_MALFORMED;
    size_t k = 0;
    for (i = 0; i < n; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = 0;
    return NUM_OK;
}

static int num_decimal(bool is32, const char *s, size_t n, uint64_t *bits)
{
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return NUM_RANGE;
    int rc = num_decimal_copy(s, n, buf);
    if (rc == NUM_OK) {
        if (is32) {
            float v = strtof(buf, NULL);
            uint32_t u;
            memcpy(&u, &v, 4);
            *bits = u;
            rc = isinf(v) ? NUM_RANGE : NUM_OK;
        } else {
            double v = strtod(buf, NULL);
            memcpy(bits, &v, 8);
            rc = isinf(v) ? NUM_RANGE : NUM_OK;
        }
    }
    if (buf != small)
        free(buf);
    return rc;
}

static int num_float(bool is32, const char *s, size_t n, uint64_t *out)
{
    const num_fmt *f = is32 ? &num_f32 : &num_f64;
    uint64_t sign = 0, bits = 0, expmask = (UINT64_C(1) << (is32 ? 8 : 11)) - 1;
    int rc;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        sign = s[0] == '-';
        s++;
        n--;
    }
    if (n == 3 && memcmp(s, "inf", 3) == 0) {
        bits = expmask << f->mbits;
        rc = NUM_OK;
    } else if (n == 3 && memcmp(s, "nan", 3) == 0) {
        bits = expmask << f->mbits | UINT64_C(1) << (f->mbits - 1);
        rc = NUM_OK;
    } else if (n > 6 && memcmp(s, "nan:0x", 6) == 0) {
        uint64_t payload;
        rc = wasm_parse_nat(s + 4, n - 4, (UINT64_C(1) << f->mbits) - 1, &payload);
        if (rc == NUM_OK && payload == 0)
            rc = NUM_RANGE;
        bits = expmask << f->mbits | payload;
    } else if (num_is_hex(s, n)) {
        rc = num_hexfloat(f, s + 2, n - 2, &bits);
    } else {
        rc = num_decimal(is32, s, n, &bits);
    }
    *out = bits | sign << (is32 ? 31 : 63);
    return rc;
}

int wasm_parse_f32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    int rc = num_float(true, s, n, &v);
    *out = (uint32_t)v;
    return rc;
}

int wasm_parse_f64(const char *s, size_t n, uint64_t *out)
{
    return num_float(false, s, n, out);
}
