/* The code-split transform: exact round trips on real modules, refusal of
 * irregular ones, and safe rejection of damaged transformed bytes. */
#include "unit.h"
#include "binbuild.h"
#include "internal.h"
#include "wasmsplit.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define SPEC_DIR "../shared/testsuite/wasm-2.0"

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t small_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06,
    0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
};

/* One instruction of each immediate layout, several LEBs non-minimal.  It
 * only has to parse: the transform never validates. */
static const char *rich_body =
    "02 40 03 7f 04 c0 00 05 0b 0b"       /* block, loop i32, if (type 0x40 as s33) */
    "20 80 00 21 01 22 ff 7f"             /* local.get 0 (2 bytes), local.set, local.tee */
    "23 00 24 81 80 00"                   /* global.get, global.set (3 bytes) */
    "0c 00 0d 01 0e 02 00 01 82 00"       /* br, br_if, br_table */
    "10 05 11 01 00 d2 03"                /* call, call_indirect, ref.func */
    "41 ff ff ff ff 07 41 80 80 80 80 00" /* i32.const max, i32.const 0 in 5 bytes */
    "42 7f 42 80 80 80 80 80 80 80 80 80 7f"   /* i64.const -1, i64.const min */
    "43 00 00 80 3f 44 00 00 00 00 00 00 f0 3f" /* f32.const 1, f64.const 1 */
    "28 02 10 36 02 80 01 2d 00 80 80 04" /* i32.load, i32.store, i32.load8_u */
    "3f 00 40 00 1b 1c 02 7f 7e d0 70 d1" /* memory.size/grow, select, select t*, ref.null */
    "25 00 26 01 fc 0c 01 00 fc 0e 00 00" /* table.get/set, table.init, table.copy */
    "fc 08 02 00 fc 09 02 fc 0a 00 00 fc 0b 00 fc 0d 01" /* memory.init..elem.drop */
    "fc 10 00 fc 0f 00 fc 11 00 fc 00 fc 81 00"  /* table.size/grow/fill, trunc_sat (2-byte sub-op) */
    "fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"  /* v128.const */
    "fd 0d 00 11 02 13 04 15 06 17 08 19 0a 1b 0c 1d 0e 1f"  /* i8x16.shuffle */
    "fd 15 03 fd 1e 01 fd 54 00 10 05 fd 00 04 20"           /* lanes, load8_lane, v128.load */
    "6a 1a 00 01 0f 0b";

/* A module of the magic, the version and one code section with one body
 * (locals and instructions given as hex). */
static void build_module(bin *m, const char *locals, const char *instrs)
{
    bin body = {.n = 0}, code = {.n = 0};
    b_hex(&body, locals);
    b_hex(&body, instrs);
    b_u32(&code, 1);
    b_u32(&code, (uint32_t)body.n);
    b_raw(&code, body.d, body.n);
    m->n = 0;
    b_hex(m, "00 61 73 6d 01 00 00 00");
    b_byte(m, 10);
    b_u32(m, (uint32_t)code.n);
    b_raw(m, code.d, code.n);
}

static void build_rich(bin *m)
{
    build_module(m, "02 02 7f 81 00 7e", rich_body);
}

static uint8_t *copy_of(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(d);
    memcpy(d, p, n);
    return d;
}

/* Encode, then decode into an exact-size buffer and compare.  Returns
 * whether the transform applied. */
static bool round_trip(const uint8_t *in, size_t len)
{
    size_t tlen = 0;
    uint8_t *t = wsplit_encode(in, len, &tlen);
    if (!t)
        return false;
    ck_assert_uint_eq(t[0], WSPLIT_VERSION);
    uint8_t *back = malloc(len);
    ck_assert_int_eq(wsplit_decode(t, tlen, back, len), 0);
    ck_assert_mem_eq(back, in, len);
    free(back);
    back = malloc(len + 1);
    ck_assert_int_eq(wsplit_decode(t, tlen, back, len + 1), -1);
    ck_assert_int_eq(wsplit_decode(t, tlen, back, len - 1), -1);
    free(back);
    free(t);
    return true;
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc(size > 0 ? (size_t)size : 1);
    *n = fread(d, 1, (size_t)size, f);
    fclose(f);
    return d;
}

static uint64_t read_leb(const uint8_t **p)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    return v;
}

START_TEST(layout_of_a_small_module)
{
    size_t tlen;
    uint8_t *t = wsplit_encode(small_module, sizeof small_module, &tlen);
    ck_assert_ptr_nonnull(t);
    const uint8_t *p = t + 1;
    ck_assert_uint_eq(read_leb(&p), 28);        /* up to the code payload */
    uint64_t lens[WSPLIT_STREAMS];
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        lens[k] = read_leb(&p);
    size_t h = (size_t)(p - t);
    ck_assert_uint_eq(tlen, h + sizeof small_module);
    ck_assert_mem_eq(p, small_module, 28);
    p += 28;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        uint64_t want = k == WSPLIT_STRUCT ? 3 : k == WSPLIT_OPS ? 2 : k == WSPLIT_I32 ? 1 : 0;
        ck_assert_uint_eq(lens[k], want);
    }
    ck_assert_mem_eq(p, "\x01\x04\x00", 3);     /* count, size, no locals */
    ck_assert_mem_eq(p + 3, "\x41\x0b", 2);     /* i32.const, end */
    ck_assert_uint_eq(p[5], 0x2a);
    free(t);
}
END_TEST

START_TEST(every_immediate_kind_round_trips)
{
    bin m;
    build_rich(&m);
    ck_assert(round_trip(m.d, m.n));
    /* A section after the code section is carried along. */
    b_hex(&m, "00 04 03 61 62 63");
    ck_assert(round_trip(m.d, m.n));
}
END_TEST

START_TEST(non_minimal_lebs_survive)
{
    bin m;
    build_module(&m, "81 80 80 80 00 8a 80 00 7f",
                 "20 89 80 80 80 00 41 ff ff ff ff 07 28 82 80 80 80 00 80 80 80 80 00 1a 0b");
    size_t tlen;
    uint8_t *t = wsplit_encode(m.d, m.n, &tlen);
    ck_assert_ptr_nonnull(t);
    uint8_t *back = malloc(m.n);
    ck_assert_int_eq(wsplit_decode(t, tlen, back, m.n), 0);
    ck_assert_mem_eq(back, m.d, m.n);
    free(back);
    free(t);
}
END_TEST

static void assert_refused(const uint8_t *p, size_t n)
{
    uint8_t *d = copy_of(p, n);
    size_t tlen = 12345;
    ck_assert_ptr_null(wsplit_encode(d, n, &tlen));
    ck_assert_uint_eq(tlen, 12345);
    free(d);
}

START_TEST(irregular_inputs_refused)
{
    assert_refused((const uint8_t *)"", 0);
    assert_refused((const uint8_t *)"(module (func))", 15);
    assert_refused((const uint8_t *)"\0asm\x02\0\0\0\x0a\x01\x00", 11);
    /* No code section at all. */
    assert_refused((const uint8_t *)"\0asm\x01\0\0\0", 8);
    assert_refused(small_module, 26);
    /* Every truncation. */
    for (size_t n = 0; n < sizeof small_module; n++)
        assert_refused(small_module, n);
    bin m;
    const char *bad_ops[] = {"ff 0b", "fc 7f 0b", "fd ff ff 03 0b", "fc 80 80 80 80 10 0b",
                             "27 0b", "41 80 80 80 80 80 00 0b", "41 80 80 80 80 70 0b",
                             "42 80 80 80 80 80 80 80 80 80 80 00 0b", "0e 05 00 0b",
                             "1c 05 7f 0b", "fd 0c 00 01 02"};
    for (size_t i = 0; i < COUNTOF(bad_ops); i++) {
        build_module(&m, "00", bad_ops[i]);
        assert_refused(m.d, m.n);
    }
    /* Body size past the section's end, and one too small. */
    build_module(&m, "00", "41 01 1a 0b");
    m.d[11]++;
    assert_refused(m.d, m.n);
    build_module(&m, "00", "41 81 01 1a 0b");
    m.d[11]--;
    assert_refused(m.d, m.n);
    /* Two bodies announced, one present; a stray byte after the bodies. */
    build_module(&m, "00", "0b");
    m.d[10] = 2;
    assert_refused(m.d, m.n);
    build_module(&m, "00", "0b");
    m.d[9]++;
    b_byte(&m, 0x00);
    assert_refused(m.d, m.n);
    /* A section whose size runs past the end. */
    build_module(&m, "00", "0b");
    b_hex(&m, "00 10 01 61");
    assert_refused(m.d, m.n);
    /* Two code sections. */
    build_module(&m, "00", "0b");
    bin two = m;
    b_raw(&two, m.d + 8, m.n - 8);
    assert_refused(two.d, two.n);
    /* Locals cut short by the body's end. */
    build_module(&m, "02 01 7f", "");
    assert_refused(m.d, m.n);
}
END_TEST

/* Decode damaged transformed bytes from an exact-size copy, so an
 * overread shows under the sanitizers; returns decode's status. */
static int decode_copy(const uint8_t *t, size_t tlen, size_t orig_len)
{
    uint8_t *d = copy_of(t, tlen);
    uint8_t *out = malloc(orig_len ? orig_len : 1);
    int rc = wsplit_decode(d, tlen, out, orig_len);
    ck_assert(rc == 0 || rc == -1);
    free(out);
    free(d);
    return rc;
}

START_TEST(every_damage_is_safe)
{
    bin m;
    build_rich(&m);
    size_t tlen;
    uint8_t *t = wsplit_encode(m.d, m.n, &tlen);
    ck_assert_ptr_nonnull(t);
    uint8_t *d = copy_of(t, tlen);
    int accepted = 0, rejected = 0;
    for (size_t i = 0; i < tlen; i++) {
        for (int v = 0; v < 256; v++) {
            if (v == t[i])
                continue;
            d[i] = (uint8_t)v;
            if (decode_copy(d, tlen, m.n) == 0)
                accepted++;
            else
                rejected++;
        }
        d[i] = t[i];
    }
    /* Changing a verbatim byte may still decode; changing the structure must not. */
    ck_assert_int_gt(accepted, 0);
    ck_assert_int_gt(rejected, 0);
    for (size_t n = 0; n < tlen; n++)
        ck_assert_int_eq(decode_copy(t, n, m.n), -1);
    for (size_t n = 0; n < tlen; n++)
        ck_assert_int_eq(decode_copy(t, n, n), -1);
    uint8_t *longer = malloc(tlen + 1);
    memcpy(longer, t, tlen);
    longer[tlen] = 0;
    ck_assert_int_eq(decode_copy(longer, tlen + 1, m.n), -1);
    /* A byte more is a byte more of the module's tail. */
    uint8_t *out = malloc(m.n + 1);
    ck_assert_int_eq(wsplit_decode(longer, tlen + 1, out, m.n + 1), 0);
    ck_assert_mem_eq(out, m.d, m.n);
    free(out);
    free(longer);
    uint8_t small[4];
    ck_assert_int_eq(wsplit_decode(NULL, 0, small, 0), -1);
    ck_assert_int_eq(wsplit_decode((const uint8_t *)"\x01", 1, small, 0), -1);
    free(d);
    free(t);
}
END_TEST

/* Lengths in the header far beyond the input are refused without reading. */
START_TEST(lying_header_lengths)
{
    bin m;
    build_rich(&m);
    size_t tlen;
    uint8_t *t = wsplit_encode(m.d, m.n, &tlen);
    ck_assert_ptr_nonnull(t);
    bin h = {.n = 0};
    b_byte(&h, WSPLIT_VERSION);
    b_hex(&h, "ff ff ff ff ff ff ff ff ff 01");     /* 2^64 - 1 */
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        b_byte(&h, 0);
    b_raw(&h, t + 1 + WSPLIT_STREAMS + 1, tlen - (2 + WSPLIT_STREAMS));
    ck_assert_int_eq(decode_copy(h.d, h.n, m.n), -1);
    h.n = 0;
    b_byte(&h, WSPLIT_VERSION);
    b_byte(&h, 0);
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        b_hex(&h, k == WSPLIT_STRUCT ? "80 80 80 80 80 80 80 80 80 7f" : "00");
    ck_assert_int_eq(decode_copy(h.d, h.n, 100), -1);
    free(t);
}
END_TEST

/* Every .wasm file under a directory, recursively. */
static void round_trip_tree(const char *dir, int *seen, int *applied, bool *locals_applied)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            round_trip_tree(path, seen, applied, locals_applied);
            continue;
        }
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".wasm"))
            continue;
        size_t n;
        uint8_t *d = slurp(path, &n);
        ck_assert_ptr_nonnull(d);
        (*seen)++;
        bool ok = round_trip(d, n);
        *applied += ok;
        if (ok && !strcmp(e->d_name, "locals.wasm"))
            *locals_applied = true;
        free(d);
    }
    closedir(dp);
}

START_TEST(modules_in_the_tree)
{
    int seen = 0, applied = 0;
    bool locals = false;
    round_trip_tree("tests", &seen, &applied, &locals);
    printf("tree: %d .wasm files, transform applied to %d\n", seen, applied);
    fflush(stdout);
    ck_assert_int_gt(seen, 0);
    ck_assert(locals);
}
END_TEST

static char tmpdir[] = "/tmp/test_wasmsplit.XXXXXX";

static void setup(void)
{
    strcpy(tmpdir, "/tmp/test_wasmsplit.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Every module a decode accepts and that has bodies must be transformed. */
static void spec_module(const char *path, int *valid, int *applied)
{
    size_t n;
    uint8_t *d = slurp(path, &n);
    ck_assert_ptr_nonnull(d);
    lw_error err;
    lw_module *mod = lw_module_decode(d, n, lw_features_wasm2(), &err);
    bool has_code = mod && mod->nfuncs > mod->nfunc_imports;
    bool ok = round_trip(d, n);
    if (has_code) {
        (*valid)++;
        ck_assert_msg(ok, "%s: transform refused", path);
    }
    *applied += ok;
    lw_module_free(mod);
    free(d);
}

START_TEST(spec_suite_modules)
{
    DIR *dp = opendir(SPEC_DIR);
    if (!dp || system("wast2json --version >/dev/null 2>&1")) {
        printf("SKIP: spec suite modules (no %s or no wast2json)\n", SPEC_DIR);
        fflush(stdout);
        if (dp)
            closedir(dp);
        return;
    }
    int files = 0, valid = 0, applied = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".wast"))
            continue;
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "rm -f '%s'/*.wasm && wast2json '%s/%s' -o '%s/m.json' >/dev/null 2>&1",
                 tmpdir, SPEC_DIR, e->d_name, tmpdir);
        if (system(cmd))
            continue;
        files++;
        DIR *md = opendir(tmpdir);
        ck_assert_ptr_nonnull(md);
        struct dirent *me;
        while ((me = readdir(md))) {
            size_t ml = strlen(me->d_name);
            if (ml < 5 || strcmp(me->d_name + ml - 5, ".wasm"))
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", tmpdir, me->d_name);
            spec_module(path, &valid, &applied);
        }
        closedir(md);
    }
    closedir(dp);
    printf("spec: %d .wast files, %d modules with code decoded, transform applied to %d\n",
           files, valid, applied);
    fflush(stdout);
    ck_assert_int_gt(files, 100);
    ck_assert_int_gt(valid, 1000);
}
END_TEST

static const char *c_program =
    "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <math.h>\n"
    "typedef struct node { struct node *l, *r; int key; double w; char name[16]; } node;\n"
    "static node *insert(node *t, int k, double w) {\n"
    "  if (!t) { t = calloc(1, sizeof *t); t->key = k; t->w = w;\n"
    "    snprintf(t->name, sizeof t->name, \"n%d\", k); return t; }\n"
    "  if (k < t->key) t->l = insert(t->l, k, w); else t->r = insert(t->r, k, w);\n"
    "  return t; }\n"
    "static double walk(const node *t, int depth) {\n"
    "  if (!t) return 0;\n"
    "  return walk(t->l, depth + 1) + sqrt(t->w) * depth + walk(t->r, depth + 1); }\n"
    "static int cmp(const void *a, const void *b) {\n"
    "  return strcmp(*(const char *const *)a, *(const char *const *)b); }\n"
    "static unsigned long long hash(const char *s) {\n"
    "  unsigned long long h = 1469598103934665603ULL;\n"
    "  while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ULL;\n"
    "  return h; }\n"
    "int main(int argc, char **argv) {\n"
    "  node *t = NULL; char *words[64]; char buf[64];\n"
    "  for (int i = 0; i < 64; i++) { t = insert(t, (i * 37) % 101, i * 1.5);\n"
    "    snprintf(buf, sizeof buf, \"%x-%s\", i * 2654435761u, argc > 1 ? argv[1] : \"w\");\n"
    "    words[i] = strdup(buf); }\n"
    "  qsort(words, 64, sizeof *words, cmp);\n"
    "  for (int i = 0; i < 64; i += 8) printf(\"%s %llx\\n\", words[i], hash(words[i]));\n"
    "  FILE *f = fopen(\"out.txt\", \"w\");\n"
    "  if (f) { fprintf(f, \"%.3f %e %g\\n\", walk(t, 0), exp(1.0), atof(\"2.5\")); fclose(f); }\n"
    "  long v = strtol(argc > 2 ? argv[2] : \"42\", NULL, 0);\n"
    "  printf(\"%ld %s\\n\", v * 3, strerror(2));\n"
    "  return (int)(walk(t, 0) > 1e9); }\n";

static size_t zstd19(const uint8_t *p, size_t n)
{
    size_t cap = ZSTD_compressBound(n);
    void *dst = malloc(cap);
    size_t z = ZSTD_compress(dst, cap, p, n, 19);
    ck_assert(!ZSTD_isError(z));
    free(dst);
    return z;
}

START_TEST(clang_module_compresses_better)
{
    char src[600], wasm[600], cmd[2048];
    snprintf(src, sizeof src, "%s/prog.c", tmpdir);
    snprintf(wasm, sizeof wasm, "%s/prog.wasm", tmpdir);
    FILE *f = fopen(src, "w");
    ck_assert_ptr_nonnull(f);
    fputs(c_program, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "clang --target=wasm32-wasi -O2 '%s' -o '%s' -lm -Wl,--strip-debug >/dev/null 2>&1",
             src, wasm);
    if (system(cmd)) {
        printf("SKIP: clang-built module (clang --target=wasm32-wasi not available)\n");
        fflush(stdout);
        return;
    }
    size_t n, tlen;
    uint8_t *d = slurp(wasm, &n);
    ck_assert_ptr_nonnull(d);
    ck_assert(round_trip(d, n));
    uint8_t *t = wsplit_encode(d, n, &tlen);
    ck_assert_ptr_nonnull(t);
    size_t zraw = zstd19(d, n), zsplit = zstd19(t, tlen);
    /* The code section alone: the header gives where it is and its size. */
    const uint8_t *p = t + 1;
    size_t prefix = (size_t)read_leb(&p), code = 0;
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        code += (size_t)read_leb(&p);
    size_t zcode = zstd19(d + prefix, code), zstreams = zstd19(p + prefix, code);
    printf("clang module: %zu bytes, zstd -19 %zu raw, %zu split (%.1f%%); "
           "code section %zu bytes, zstd -19 %zu raw, %zu split (%.1f%%)\n",
           n, zraw, zsplit, 100.0 * ((double)zsplit - (double)zraw) / (double)zraw,
           code, zcode, zstreams, 100.0 * ((double)zstreams - (double)zcode) / (double)zcode);
    fflush(stdout);
    ck_assert_uint_lt(zsplit, zraw);
    ck_assert_uint_lt(zstreams, zcode);
    /* Scattered damage in a real module's transformed bytes. */
    uint32_t seed = 12345;
    for (int i = 0; i < 300; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % tlen;
        uint8_t was = t[at];
        t[at] ^= (uint8_t)(1u << (seed % 8));
        decode_copy(t, tlen, n);
        t[at] = was;
    }
    free(t);
    free(d);
}
END_TEST

/* A large generated module: the transform stays linear. */
START_TEST(large_module_is_fast)
{
    const char *pattern = "20 00 41 07 6a 21 01 20 01 28 02 08 41 ff 00 71 0d 00 10 03 1a "
                          "23 00 42 e4 00 7c 24 00 0c 01";
    bin one = {.n = 0};
    b_hex(&one, pattern);
    size_t per_body = 200, bodies = 5u * 1024 * 1024 / (per_body * one.n);
    wasm_buf body = {0};
    wasm_buf_u32(&body, 1);
    wasm_buf_bytes(&body, "\x01\x7f", 2);
    wasm_buf_bytes(&body, "\x02\x40\x03\x40", 4);
    for (size_t i = 0; i < per_body; i++)
        wasm_buf_bytes(&body, one.d, one.n);
    wasm_buf_bytes(&body, "\x0b\x0b\x0b", 3);
    wasm_buf code = {0}, mod = {0};
    wasm_buf_u32(&code, (uint32_t)bodies);
    for (size_t i = 0; i < bodies; i++) {
        wasm_buf_u32(&code, (uint32_t)body.len);
        wasm_buf_bytes(&code, body.data, body.len);
    }
    wasm_buf_bytes(&mod, "\0asm\x01\0\0\0\x0a", 9);
    wasm_buf_u32(&mod, (uint32_t)code.len);
    wasm_buf_bytes(&mod, code.data, code.len);
    ck_assert(!mod.oom);
    /* The first run pays for faulting in fresh pages; the second shows
     * the transform's own cost. */
    double ms[2];
    for (int run = 0; run < 2; run++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        size_t tlen;
        uint8_t *t = wsplit_encode(mod.data, mod.len, &tlen);
        ck_assert_ptr_nonnull(t);
        uint8_t *back = malloc(mod.len);
        ck_assert_int_eq(wsplit_decode(t, tlen, back, mod.len), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ck_assert_mem_eq(back, mod.data, mod.len);
        ms[run] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        free(back);
        free(t);
    }
    printf("large module: %zu bytes, encode (with its check) + decode %.1f ms, again %.1f ms\n",
           mod.len, ms[0], ms[1]);
    fflush(stdout);
    ck_assert_double_lt(ms[1], 5000.0);
    wasm_buf_free(&body);
    wasm_buf_free(&code);
    wasm_buf_free(&mod);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("wasmsplit");
    TCase *t = tcase_create("wasmsplit");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, layout_of_a_small_module);
    tcase_add_test(t, every_immediate_kind_round_trips);
    tcase_add_test(t, non_minimal_lebs_survive);
    tcase_add_test(t, irregular_inputs_refused);
    tcase_add_test(t, every_damage_is_safe);
    tcase_add_test(t, lying_header_lengths);
    tcase_add_test(t, modules_in_the_tree);
    tcase_add_test(t, spec_suite_modules);
    tcase_add_test(t, clang_module_compresses_better);
    tcase_add_test(t, large_module_is_fast);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(make_suite)
