/* DWARF: function names and source lines of trap frames, wasm-objdump's
 * line table, and damaged debug sections, which must give no location
 * (or a wrong one), never a crash or a hang.  The modules are
 * tests/dwarf/nested.c built by clang 14 (DWARF 4) and clang 19 (DWARF 5)
 * without a name section (tests/dwarf/README). */
#include "unit.h"
#include "libwasm-tools.h"

static const char *const fixtures[] = {
    "tests/dwarf/nested-dwarf4.wasm",
    "tests/dwarf/nested-dwarf5.wasm",
};

static lw_module *load(const char *path)
{
    lw_error err;
    lw_module *m = lw_module_load_file(path, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s: %s", path, err.message);
    ck_assert_msg(lw_module_validate(m, &err) == 0, "%s: %s", path, err.message);
    return m;
}

/* run(1) traps in inner, called by middle, called by run. */
START_TEST(test_trap_frames)
{
    lw_module *m = load(fixtures[_i]);
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "instantiate: %s", err.message);
    lw_extern ext;
    ck_assert(lw_instance_export(inst, "run", &ext));
    lw_val arg;
    memset(&arg, 0, sizeof arg);
    arg.type = LW_I32;
    arg.of.i32 = 1;
    lw_val res;
    ck_assert_int_eq(lw_func_call(s, ext.of.func, &arg, 1, &res, 1, &err), -1);
    ck_assert_str_eq(err.message, "unreachable");
    ck_assert_uint_eq(err.nframes, 3);

    static const struct { const char *func; uint32_t line, column; } want[] = {
        {"inner", 10, 9}, {"middle", 19, 12}, {"run", 24, 12},
    };
    for (uint32_t i = 0; i < 3; i++) {
        const lw_frame *f = &err.frames[i];
        ck_assert_ptr_eq(f->module, m);
        ck_assert_ptr_null(lw_namemap_get(&m->names.funcs, f->func_index));
        lw_source_loc loc;
        ck_assert(lw_module_source_loc(m, f->func_index, f->code_offset, &loc));
        ck_assert_str_eq(loc.func, want[i].func);
        ck_assert_str_eq(loc.file, "/src/nested.c");
        ck_assert_uint_eq(loc.line, want[i].line);
        ck_assert_uint_eq(loc.column, want[i].column);
    }
    /* Outside the function's code, and for an index that is no
     * function's, nothing is known. */
    const lw_frame *f = &err.frames[0];
    lw_source_loc loc;
    ck_assert(!lw_module_source_loc(m, f->func_index, 0, &loc));
    ck_assert_ptr_null(loc.func);
    ck_assert(!lw_module_source_loc(m, err.frames[1].func_index, f->code_offset, &loc));
    ck_assert_ptr_null(loc.file);
    ck_assert(!lw_module_source_loc(m, m->nfuncs, f->code_offset, &loc));
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

START_TEST(test_no_dwarf)
{
    lw_module *m = unit_load_wat("(module (func (export \"f\") unreachable))");
    lw_source_loc loc;
    ck_assert(!lw_module_source_loc(m, 0, 0, &loc));
    ck_assert(!lw_module_source_loc(m, 0, 20, &loc));
    ck_assert_ptr_null(loc.func);
    ck_assert_ptr_null(loc.file);
    ck_assert_uint_eq(loc.line, 0);
    lw_module_free(m);

    lw_dwarf *d = lw_dwarf_parse(NULL, 0);
    ck_assert_ptr_nonnull(d);
    size_t n = 1;
    lw_dwarf_lines(d, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert(!lw_dwarf_find(d, 0, 100, 10, &loc));
    lw_dwarf_free(d);
}
END_TEST

/* The rows of the line programs: ordered within each sequence, and the
 * trap's line among them. */
START_TEST(test_line_table)
{
    lw_module *m = load(fixtures[_i]);
    lw_dwarf *d = lw_dwarf_parse(m->customs, m->ncustoms);
    ck_assert_ptr_nonnull(d);
    size_t n;
    const lw_dwarf_line *rows = lw_dwarf_lines(d, &n);
    ck_assert_uint_gt(n, 5);
    bool trap_line = false;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(rows[i].address, rows[i].end);
        ck_assert_str_eq(rows[i].file, "/src/nested.c");
        trap_line |= rows[i].line == 10 && rows[i].column == 9;
    }
    ck_assert(trap_line);
    lw_dwarf_free(d);
    lw_module_free(m);
}
END_TEST

/* ---- damaged sections ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* The customs of m, each in a buffer of exactly its size (so that the
 * sanitizers see a read past its end). */
static lw_custom *copy_customs(const lw_module *m)
{
    lw_custom *c = calloc(m->ncustoms, sizeof *c);
    ck_assert_ptr_nonnull(c);
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        c[i] = m->customs[i];
        uint8_t *p = malloc(c[i].len ? c[i].len : 1);
        ck_assert_ptr_nonnull(p);
        memcpy(p, m->customs[i].data, c[i].len);
        c[i].data = p;
    }
    return c;
}

static void free_customs(lw_custom *c, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free((void *)c[i].data);
    free(c);
}

/* Parse and look up every address; whatever is found must be readable. */
static size_t probe(const lw_custom *c, uint32_t n)
{
    lw_dwarf *d = lw_dwarf_parse(c, n);
    ck_assert_ptr_nonnull(d);
    size_t found = 0, nrows;
    const lw_dwarf_line *rows = lw_dwarf_lines(d, &nrows);
    for (size_t i = 0; i < nrows; i++)
        found += rows[i].file ? strlen(rows[i].file) > 0 : 0;
    for (uint32_t a = 0; a < 0x200; a++) {
        lw_source_loc loc;
        if (lw_dwarf_find(d, 0, UINT32_MAX, a, &loc)) {
            found += loc.func ? strlen(loc.func) : 0;
            found += loc.file ? strlen(loc.file) : 0;
        }
    }
    lw_dwarf_free(d);
    return found;
}

START_TEST(test_truncated_sections)
{
    lw_module *m = load(fixtures[_i]);
    lw_custom *c = copy_customs(m);
    ck_assert_uint_gt(probe(c, m->ncustoms), 0);
    for (uint32_t s = 0; s < m->ncustoms; s++) {
        uint32_t len = c[s].len;
        for (uint32_t cut = 0; cut < len; cut++) {
            uint8_t *p = malloc(cut ? cut : 1);
            ck_assert_ptr_nonnull(p);
            memcpy(p, m->customs[s].data, cut);
            const uint8_t *keep = c[s].data;
            c[s].data = p;
            c[s].len = cut;
            probe(c, m->ncustoms);
            c[s].data = keep;
            c[s].len = len;
            free(p);
        }
    }
    free_customs(c, m->ncustoms);
    lw_module_free(m);
}
END_TEST

START_TEST(test_corrupted_sections)
{
    lw_module *m = load(fixtures[_i]);
    for (int round = 0; round < 1500; round++) {
        lw_custom *c = copy_customs(m);
        int flips = 1 + (int)(rng() % 6);
        for (int k = 0; k < flips; k++) {
            lw_custom *sec = &c[rng() % m->ncustoms];
            if (!sec->len)
                continue;
            uint8_t *p = (uint8_t *)sec->data;
            uint32_t at = rng() % sec->len;
            switch (rng() % 4) {
            case 0: p[at] = (uint8_t)rng(); break;
            case 1: p[at] ^= (uint8_t)(1u << (rng() % 8)); break;
            case 2: p[at] = 0xff; break;   /* long LEBs, huge lengths */
            default: p[at] = 0; break;
            }
        }
        probe(c, m->ncustoms);
        free_customs(c, m->ncustoms);
    }
    lw_module_free(m);
}
END_TEST

/* Sections that are all 0xff or all zero, or a short run of one byte. */
START_TEST(test_degenerate_sections)
{
    static const char *const names[] = {
        ".debug_info", ".debug_abbrev", ".debug_line", ".debug_str",
        ".debug_line_str", ".debug_str_offsets", ".debug_addr",
    };
    static const uint8_t fills[] = {0x00, 0xff, 0x80, 0x01, 0x05};
    static const uint32_t sizes[] = {1, 4, 11, 64, 4096};
    for (size_t f = 0; f < sizeof fills; f++)
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
            lw_custom c[7];
            for (int i = 0; i < 7; i++) {
                uint8_t *p = malloc(sizes[z]);
                ck_assert_ptr_nonnull(p);
                memset(p, fills[f], sizes[z]);
                c[i] = (lw_custom){names[i], p, sizes[z], 0, 0};
            }
            probe(c, 7);
            for (int i = 0; i < 7; i++)
                free((void *)c[i].data);
        }
}
END_TEST

static Suite *dwarf_suite(void)
{
    Suite *s = suite_create("dwarf");
    TCase *tc = tcase_create("dwarf");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_trap_frames, 0, 2);
    tcase_add_test(tc, test_no_dwarf);
    tcase_add_loop_test(tc, test_line_table, 0, 2);
    tcase_add_loop_test(tc, test_truncated_sections, 0, 2);
    tcase_add_loop_test(tc, test_corrupted_sections, 0, 2);
    tcase_add_test(tc, test_degenerate_sections);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(dwarf_suite)
