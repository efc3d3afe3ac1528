/* DWARF in custom sections: a module that decodes has its debug sections
 * read (lw_dwarf_parse, as wasm-objdump --line-table does) and every code
 * offset of every function looked up (lw_module_source_loc, as a trap's
 * backtrace does).  Whatever comes back must be readable strings; damaged
 * DWARF may answer nothing, never crash or hang. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm-tools.h"

static size_t fuzz_strings(const lw_source_loc *loc)
{
    return (loc->func ? strlen(loc->func) : 0) + (loc->file ? strlen(loc->file) : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lw_error err;
    lw_module *m = lw_module_decode(data, size, lw_features_all(), &err);
    if (!m)
        return 0;
    lw_dwarf *d = lw_dwarf_parse(m->customs, m->ncustoms);
    FUZZ_CHECK(d, "lw_dwarf_parse failed");
    size_t n;
    const lw_dwarf_line *rows = lw_dwarf_lines(d, &n);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(rows[i].address < rows[i].end, "row %zu is empty", i);
        if (rows[i].file)
            (void)strlen(rows[i].file);
    }
    lw_dwarf_free(d);
    uint32_t budget = 1u << 16;   /* lookups per input */
    for (uint32_t i = 0; i < m->ncodes && budget; i++) {
        const lw_code *c = &m->codes[i];
        uint32_t end = c->body.offset + c->body.len;
        for (uint32_t off = c->locals_offset; off < end && budget; off++, budget--) {
            lw_source_loc loc;
            bool found = lw_module_source_loc(m, m->nfunc_imports + i, off, &loc);
            FUZZ_CHECK(found == (loc.func || loc.file), "found but nothing filled");
            (void)fuzz_strings(&loc);
        }
    }
    lw_module_free(m);
    return 0;
}
