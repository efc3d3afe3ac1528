/* Feature flags as the programs take them (lw_features_option) and the
 * lines their --help shows (lw_features_help). */
#include "libwasm-tools.h"
#include "unit.h"

#include <string.h>

START_TEST(test_option)
{
    lw_features f = lw_features_default();
    lw_error err;
    /* Every implemented feature is on by default (Wasm 3.0), partial ones
     * (gc) too; Wasm 2.0 is a part of it. */
    ck_assert_uint_eq(f, lw_features_all());
    ck_assert(f & LW_FEATURE(TAIL_CALL));
    ck_assert(f & LW_FEATURE(GC));
    ck_assert_uint_eq(lw_features_wasm2() & ~f, 0);
    ck_assert(!(lw_features_wasm2() & LW_FEATURE(MULTI_MEMORY)));
    ck_assert(lw_features_wasm2() & LW_FEATURE(SIMD));
    ck_assert_int_eq(lw_features_option("--disable-simd", &f, &err), 1);
    ck_assert_uint_eq(f, lw_features_default() & ~LW_FEATURE(SIMD));
    ck_assert_int_eq(lw_features_option("--enable-simd", &f, &err), 1);
    ck_assert_uint_eq(f, lw_features_default());
    ck_assert_int_eq(lw_features_option("--disable-threads", &f, &err), 1);
    ck_assert(!(f & LW_FEATURE(THREADS)));
    ck_assert_int_eq(lw_features_option("--enable-all", &f, &err), 1);
    ck_assert_uint_eq(f, lw_features_all());

    /* Not feature flags: left to the caller, f untouched. */
    ck_assert_int_eq(lw_features_option("--dir", &f, &err), 0);
    ck_assert_str_eq(err.message, "unknown option '--dir'");
    ck_assert_int_eq(lw_features_option("-enable-simd", &f, &err), 0);
    ck_assert_int_eq(lw_features_option("--enable", &f, &err), 0);
    ck_assert_int_eq(lw_features_option("--disable-all", &f, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_str_eq(err.message, "unknown feature 'all'");
    ck_assert_int_eq(lw_features_option("--enable-nonsense", &f, &err), -1);
    ck_assert_str_eq(err.message, "unknown feature 'nonsense'");
    ck_assert_uint_eq(f, lw_features_all());
}
END_TEST

/* Every flag the help names is one lw_features_option takes. */
START_TEST(test_help)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(out);
    lw_features_help(out);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(text, "--disable-FEATURE, --enable-FEATURE, --enable-all\n"));
    ck_assert_ptr_nonnull(strstr(text, "on by default (WebAssembly 3.0)"));
    ck_assert_ptr_nonnull(strstr(text, "      --disable-simd\n"));
    ck_assert_ptr_nonnull(strstr(text, "      --disable-tail-call\n"));
    ck_assert_ptr_nonnull(strstr(text, "      --disable-extended-const\n"));
    ck_assert_ptr_null(strstr(text, "--enable-tail-call"));
    int flags = 0;
    for (const char *p = text; (p = strstr(p, "      --")) != NULL; p++) {
        char flag[64];
        ck_assert_int_eq(sscanf(p, " %63s", flag), 1);
        lw_features f = 0;
        lw_error err;
        ck_assert_msg(lw_features_option(flag, &f, &err) == 1, "%s", flag);
        flags++;
    }
    int on = 0;
    for (unsigned bit = 0; bit < LW_FEATURE_COUNT; bit++)
        on += (lw_features_all() >> bit) & 1;
    ck_assert_int_eq(flags, on);
    /* GC is implemented in full: on by default, a flag of its own. */
    ck_assert_ptr_nonnull(strstr(text, "      --disable-gc\n"));
    ck_assert_ptr_null(strstr(text, "types only"));
    ck_assert(lw_features_default() & LW_FEATURE(GC));
    ck_assert(lw_feature_implemented(LW_FEATURE_BIT_GC));
    ck_assert(lw_feature_implemented(LW_FEATURE_BIT_FUNCTION_REFERENCES));
    free(text);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("features");
    TCase *tc = tcase_create("features");
    tcase_add_test(tc, test_option);
    tcase_add_test(tc, test_help);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
