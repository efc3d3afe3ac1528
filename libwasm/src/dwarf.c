/* DWARF, as clang emits it for wasm32 (versions 2 to 5): the functions
 * of each compile unit (DW_TAG_subprogram: name, low_pc, high_pc) and
 * the line-number programs, enough to map a code address to a function
 * name, a file and a line.  Addresses are offsets from the start of the
 * code section's contents, as the WebAssembly tool conventions define.
 *
 * The sections come from the module as they are: every read is bounds
 * checked, a unit that does not parse is dropped (what came before it is
 * kept), and a budget of steps proportional to the input bounds the work,
 * so hostile input gives no location, never a crash or a hang. */
#include "internal.h"

enum {
    DW_TAG_inlined_subroutine = 0x1d,
    DW_TAG_compile_unit = 0x11,
    DW_TAG_subprogram = 0x2e,
    DW_TAG_partial_unit = 0x3c,

    DW_AT_name = 0x03,
    DW_AT_stmt_list = 0x10,
    DW_AT_low_pc = 0x11,
    DW_AT_high_pc = 0x12,
    DW_AT_comp_dir = 0x1b,
    DW_AT_abstract_origin = 0x31,
    DW_AT_specification = 0x47,
    DW_AT_linkage_name = 0x6e,
    DW_AT_str_offsets_base = 0x72,
    DW_AT_addr_base = 0x73,
    DW_AT_MIPS_linkage_name = 0x2007,

    DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04,
    DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
    DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
    DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
    DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10,
    DW_FORM_ref1 = 0x11, DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13,
    DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15, DW_FORM_indirect = 0x16,
    DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
    DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b,
    DW_FORM_ref_sup4 = 0x1c, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
    DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20,
    DW_FORM_implicit_const = 0x21, DW_FORM_loclistx = 0x22,
    DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24, DW_FORM_strx1 = 0x25,
    DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
    DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
    DW_FORM_addrx4 = 0x2c,

    DW_LNCT_path = 1,
    DW_LNCT_directory_index = 2,
};

/* The sections, by name. */
enum { SEC_INFO, SEC_ABBREV, SEC_LINE, SEC_STR, SEC_LINE_STR, SEC_STR_OFFSETS,
       SEC_ADDR, SEC_COUNT };
static const char *const dw_section_names[SEC_COUNT] = {
    ".debug_info", ".debug_abbrev", ".debug_line", ".debug_str",
    ".debug_line_str", ".debug_str_offsets", ".debug_addr",
};

typedef struct {
    const uint8_t *p, *end;
} dw_span;

/* A bounds-checked cursor: reads past the end set `bad` and give 0. */
typedef struct {
    const uint8_t *p, *end;
    bool bad;
} dw_cur;

typedef struct {
    uint32_t lo, hi;
    const char *name;
} dw_func;

typedef struct {
    uint32_t code;
    uint16_t tag;
    bool children;
    uint32_t first, nattrs;   /* in the table's attribute array */
} dw_abbrev;

typedef struct {
    uint32_t name, form;
    int64_t implicit;
} dw_attrspec;

typedef struct {
    dw_abbrev *abbrevs;
    size_t nabbrevs, cap;
    dw_attrspec *attrs;
    size_t nattrs, capattrs;
} dw_abbrevs;

/* One unit being read. */
typedef struct {
    const uint8_t *start, *end;   /* the unit, header included */
    uint16_t version;
    uint8_t addr_size, offset_size;
    uint64_t str_offsets_base, addr_base;
    bool has_str_offsets_base, has_addr_base;
    dw_abbrevs *ab;
} dw_unit;

/* An attribute value, resolved once the DIE (and its unit's bases) are read. */
typedef struct {
    uint32_t form;
    uint64_t u;
    const uint8_t *ptr;   /* DW_FORM_string */
} dw_val;

typedef struct {
    uint32_t address, index;   /* of a line */
} dw_key;

struct lw_dwarf {
    dw_span sec[SEC_COUNT];
    uint64_t budget;          /* steps left; the parse stops at 0 */
    dw_func *funcs;
    size_t nfuncs, capfuncs;
    lw_dwarf_line *lines;     /* in program order */
    size_t nlines, caplines;
    dw_key *by_addr;          /* the lines by address */
    char **paths;             /* owned file paths */
    size_t npaths, cappaths;
    bool nomem;
};

/* ---- reading ------------------------------------------------------ */

static bool dw_step(lw_dwarf *d, uint64_t n)
{
    if (d->budget < n) {
        d->budget = 0;
        return false;
    }
    d->budget -= n;
    return true;
}

static const uint8_t *dw_take(dw_cur *c, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    return p;
}

static uint64_t dw_fixed(dw_cur *c, unsigned n)
{
    const uint8_t *p = dw_take(c, n);
    uint64_t v = 0;
    for (unsigned i = 0; p && i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t dw_uleb(dw_cur *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        const uint8_t *p = dw_take(c, 1);
        if (!p)
            return 0;
        if (shift < 64)
            v |= (uint64_t)(*p & 0x7f) << shift;
        if (!(*p & 0x80))
            return v;
    }
}

static int64_t dw_sleb(dw_cur *c)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;; shift += 7) {
        const uint8_t *p = dw_take(c, 1);
        if (!p)
            return 0;
        if (shift < 64)
            v |= (uint64_t)(*p & 0x7f) << shift;
        if (!(*p & 0x80)) {
            if (shift + 7 < 64 && (*p & 0x40))
                v |= ~(uint64_t)0 << (shift + 7);
            return (int64_t)v;
        }
    }
}

/* A NUL-terminated string in place, or NULL (and bad) when unterminated. */
static const char *dw_cstr(dw_cur *c)
{
    if (c->bad)
        return NULL;
    const uint8_t *z = memchr(c->p, 0, (size_t)(c->end - c->p));
    if (!z) {
        c->bad = true;
        c->p = c->end;
        return NULL;
    }
    const char *s = (const char *)c->p;
    c->p = z + 1;
    return s;
}

/* The string at `off` in a section, or NULL.  Its length is charged to
 * the budget: many references to one long string must not take long. */
static const char *dw_str_at(lw_dwarf *d, const dw_span *s, uint64_t off)
{
    if (!s->p || off >= (uint64_t)(s->end - s->p))
        return NULL;
    dw_cur c = {s->p + off, s->end, false};
    const char *str = dw_cstr(&c);
    return str && dw_step(d, (uint64_t)(c.p - (const uint8_t *)str)) ? str : NULL;
}

/* unit_length: 32-bit, or 0xffffffff and 64-bit.  Sets *offset_size;
 * returns the cursor over the unit's rest, or a bad one. */
static dw_cur dw_unit_length(dw_cur *c, uint8_t *offset_size)
{
    uint64_t len = dw_fixed(c, 4);
    *offset_size = 4;
    if (len == 0xffffffff) {
        len = dw_fixed(c, 8);
        *offset_size = 8;
    } else if (len >= 0xfffffff0) {
        c->bad = true;
    }
    dw_cur u = {c->p, c->p, c->bad};
    if (!c->bad && len <= (uint64_t)(c->end - c->p)) {
        u.end = c->p + len;
        c->p = u.end;
    } else {
        u.bad = c->bad = true;
        c->p = c->end;
    }
    return u;
}

/* ---- abbreviations ------------------------------------------------ */

static void dw_abbrevs_free(dw_abbrevs *ab)
{
    free(ab->abbrevs);
    free(ab->attrs);
}

static int dw_abbrevs_read(lw_dwarf *d, uint64_t off, dw_abbrevs *ab)
{
    const dw_span *s = &d->sec[SEC_ABBREV];
    if (!s->p || off >= (uint64_t)(s->end - s->p))
        return -1;
    dw_cur c = {s->p + off, s->end, false};
    for (;;) {
        if (!dw_step(d, 1))
            return -1;
        uint64_t code = dw_uleb(&c);
        if (c.bad || code == 0)
            return c.bad ? -1 : 0;
        if (wasm_vec_reserve((void **)&ab->abbrevs, &ab->cap, ab->nabbrevs + 1,
                             sizeof *ab->abbrevs) < 0) {
            d->nomem = true;
            return -1;
        }
        dw_abbrev *a = &ab->abbrevs[ab->nabbrevs++];
        a->code = code > UINT32_MAX ? 0 : (uint32_t)code;
        a->tag = (uint16_t)dw_uleb(&c);
        a->children = dw_fixed(&c, 1) != 0;
        a->first = (uint32_t)ab->nattrs;
        a->nattrs = 0;
        for (;;) {
            if (!dw_step(d, 1))
                return -1;
            uint64_t name = dw_uleb(&c), form = dw_uleb(&c);
            int64_t implicit = form == DW_FORM_implicit_const ? dw_sleb(&c) : 0;
            if (c.bad)
                return -1;
            if (name == 0 && form == 0)
                break;
            if (wasm_vec_reserve((void **)&ab->attrs, &ab->capattrs, ab->nattrs + 1,
                                 sizeof *ab->attrs) < 0) {
                d->nomem = true;
                return -1;
            }
            dw_attrspec *at = &ab->attrs[ab->nattrs++];
            at->name = name > UINT32_MAX ? 0 : (uint32_t)name;
            at->form = form > UINT32_MAX ? 0 : (uint32_t)form;
            at->implicit = implicit;
            a->nattrs++;
        }
    }
}

static const dw_abbrev *dw_abbrev_find(lw_dwarf *d, const dw_abbrevs *ab, uint64_t code)
{
    if (code - 1 < ab->nabbrevs && ab->abbrevs[code - 1].code == code)
        return &ab->abbrevs[code - 1];   /* clang numbers them from 1 */
    if (!dw_step(d, ab->nabbrevs))
        return NULL;
    for (size_t i = 0; i < ab->nabbrevs; i++)
        if (ab->abbrevs[i].code == code)
            return &ab->abbrevs[i];
    return NULL;
}

/* ---- attribute values --------------------------------------------- */

/* Read a value of `form`; false for a form this reader does not know
 * (the rest of the unit cannot be walked then). */
static bool dw_read_form(dw_cur *c, const dw_unit *u, uint32_t form, int64_t implicit,
                         dw_val *v)
{
    v->form = form;
    v->u = 0;
    v->ptr = NULL;
    for (int indirect = 0; form == DW_FORM_indirect; indirect++) {
        if (indirect > 4)
            return false;
        form = v->form = (uint32_t)dw_uleb(c);
    }
    switch (form) {
    case DW_FORM_addr: v->u = dw_fixed(c, u->addr_size); break;
    case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
    case DW_FORM_strx1: case DW_FORM_addrx1:
        v->u = dw_fixed(c, 1);
        break;
    case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
        v->u = dw_fixed(c, 2);
        break;
    case DW_FORM_strx3: case DW_FORM_addrx3: v->u = dw_fixed(c, 3); break;
    case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4:
    case DW_FORM_strx4: case DW_FORM_addrx4:
        v->u = dw_fixed(c, 4);
        break;
    case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
        v->u = dw_fixed(c, 8);
        break;
    case DW_FORM_data16: dw_take(c, 16); break;
    case DW_FORM_sdata: v->u = (uint64_t)dw_sleb(c); break;
    case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
    case DW_FORM_loclistx: case DW_FORM_rnglistx:
        v->u = dw_uleb(c);
        break;
    case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
        v->u = dw_fixed(c, u->offset_size);
        break;
    case DW_FORM_ref_addr:   /* an address's size before version 3 */
        v->u = dw_fixed(c, u->version <= 2 ? u->addr_size : u->offset_size);
        break;
    case DW_FORM_string: v->ptr = (const uint8_t *)dw_cstr(c); break;
    case DW_FORM_block1: dw_take(c, dw_fixed(c, 1)); break;
    case DW_FORM_block2: dw_take(c, dw_fixed(c, 2)); break;
    case DW_FORM_block4: dw_take(c, dw_fixed(c, 4)); break;
    case DW_FORM_block: case DW_FORM_exprloc: {
        uint64_t n = dw_uleb(c);
        if (n > (uint64_t)(c->end - c->p))
            c->bad = true;
        else
            dw_take(c, (size_t)n);
        break;
    }
    case DW_FORM_flag_present: v->u = 1; break;
    case DW_FORM_implicit_const: v->u = (uint64_t)implicit; break;
    default: return false;
    }
    return !c->bad;
}

static const char *dw_val_str(lw_dwarf *d, const dw_unit *u, const dw_val *v)
{
    switch (v->form) {
    case DW_FORM_string: return (const char *)v->ptr;
    case DW_FORM_strp: return dw_str_at(d, &d->sec[SEC_STR], v->u);
    case DW_FORM_line_strp: return dw_str_at(d, &d->sec[SEC_LINE_STR], v->u);
    case DW_FORM_strx: case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3:
    case DW_FORM_strx4: {
        const dw_span *s = &d->sec[SEC_STR_OFFSETS];
        uint64_t base = u->has_str_offsets_base ? u->str_offsets_base : 8;
        if (!s->p || v->u > UINT32_MAX)
            return NULL;
        uint64_t at = base + v->u * u->offset_size;
        if (at > (uint64_t)(s->end - s->p))
            return NULL;
        dw_cur c = {s->p + at, s->end, false};
        uint64_t off = dw_fixed(&c, u->offset_size);
        return c.bad ? NULL : dw_str_at(d, &d->sec[SEC_STR], off);
    }
    default: return NULL;
    }
}

/* An address (DW_FORM_addr or an index into .debug_addr); false when unknown. */
static bool dw_val_addr(const lw_dwarf *d, const dw_unit *u, const dw_val *v, uint64_t *out)
{
    switch (v->form) {
    case DW_FORM_addr: *out = v->u; return true;
    case DW_FORM_addrx: case DW_FORM_addrx1: case DW_FORM_addrx2: case DW_FORM_addrx3:
    case DW_FORM_addrx4: {
        const dw_span *s = &d->sec[SEC_ADDR];
        if (!s->p || !u->has_addr_base || v->u > UINT32_MAX)
            return false;
        uint64_t at = u->addr_base + v->u * u->addr_size;
        if (at > (uint64_t)(s->end - s->p))
            return false;
        dw_cur c = {s->p + at, s->end, false};
        *out = dw_fixed(&c, u->addr_size);
        return !c.bad;
    }
    default: return false;
    }
}

static bool dw_form_is_const(uint32_t form)
{
    return form == DW_FORM_data1 || form == DW_FORM_data2 || form == DW_FORM_data4 ||
           form == DW_FORM_data8 || form == DW_FORM_udata || form == DW_FORM_sdata ||
           form == DW_FORM_implicit_const;
}

/* ---- debugging information entries -------------------------------- */

/* What this reader takes from a DIE. */
typedef struct {
    const dw_abbrev *ab;
    dw_val name, linkage, low, high, stmt, comp_dir, ref;
    bool has_name, has_linkage, has_low, has_high, has_stmt, has_comp_dir, has_ref;
} dw_die;

/* Read the DIE at c (its abbreviation code included); false at damage.
 * die->ab is NULL for the null entry that ends a list of children. */
static bool dw_die_read(lw_dwarf *d, dw_cur *c, dw_unit *u, dw_die *die)
{
    memset(die, 0, sizeof *die);
    if (!dw_step(d, 1))
        return false;
    uint64_t code = dw_uleb(c);
    if (c->bad)
        return false;
    if (code == 0)
        return true;
    die->ab = dw_abbrev_find(d, u->ab, code);
    if (!die->ab || !dw_step(d, die->ab->nattrs))
        return false;
    for (uint32_t i = 0; i < die->ab->nattrs; i++) {
        const dw_attrspec *at = &u->ab->attrs[die->ab->first + i];
        dw_val v;
        if (!dw_read_form(c, u, at->form, at->implicit, &v))
            return false;
        switch (at->name) {
        case DW_AT_name: die->name = v; die->has_name = true; break;
        case DW_AT_linkage_name: case DW_AT_MIPS_linkage_name:
            die->linkage = v;
            die->has_linkage = true;
            break;
        case DW_AT_low_pc: die->low = v; die->has_low = true; break;
        case DW_AT_high_pc: die->high = v; die->has_high = true; break;
        case DW_AT_stmt_list: die->stmt = v; die->has_stmt = true; break;
        case DW_AT_comp_dir: die->comp_dir = v; die->has_comp_dir = true; break;
        case DW_AT_abstract_origin: case DW_AT_specification:
            die->ref = v;
            die->has_ref = true;
            break;
        case DW_AT_str_offsets_base:
            u->str_offsets_base = v.u;
            u->has_str_offsets_base = true;
            break;
        case DW_AT_addr_base: u->addr_base = v.u; u->has_addr_base = true; break;
        default: break;
        }
    }
    return true;
}

/* A subprogram's name: its own, else its linkage name, else that of the
 * DIE its abstract origin or specification names (in the same unit). */
static const char *dw_die_name(lw_dwarf *d, dw_unit *u, const dw_die *die, int depth)
{
    const char *s = NULL;
    if (die->has_name)
        s = dw_val_str(d, u, &die->name);
    if (!s && die->has_linkage)
        s = dw_val_str(d, u, &die->linkage);
    if (s || !die->has_ref || depth >= 4)
        return s;
    uint64_t off;
    switch (die->ref.form) {
    case DW_FORM_ref1: case DW_FORM_ref2: case DW_FORM_ref4: case DW_FORM_ref8:
    case DW_FORM_ref_udata:
        off = die->ref.u;
        break;
    case DW_FORM_ref_addr: {
        uint64_t unit_off = (uint64_t)(u->start - d->sec[SEC_INFO].p);
        if (die->ref.u < unit_off)
            return NULL;
        off = die->ref.u - unit_off;
        break;
    }
    default: return NULL;
    }
    if (off >= (uint64_t)(u->end - u->start))
        return NULL;
    dw_cur c = {u->start + off, u->end, false};
    dw_die target;
    if (!dw_die_read(d, &c, u, &target) || !target.ab)
        return NULL;
    return dw_die_name(d, u, &target, depth + 1);
}

static void dw_add_func(lw_dwarf *d, dw_unit *u, const dw_die *die)
{
    uint64_t lo, hi;
    if (!die->has_low || !die->has_high || !dw_val_addr(d, u, &die->low, &lo))
        return;
    if (dw_form_is_const(die->high.form))
        hi = lo + die->high.u;
    else if (!dw_val_addr(d, u, &die->high, &hi))
        return;
    if (lo >= hi || hi > UINT32_MAX)   /* empty, or dropped code's tombstone */
        return;
    const char *name = dw_die_name(d, u, die, 0);
    if (!name)
        return;
    if (wasm_vec_reserve((void **)&d->funcs, &d->capfuncs, d->nfuncs + 1,
                         sizeof *d->funcs) < 0) {
        d->nomem = true;
        return;
    }
    d->funcs[d->nfuncs++] = (dw_func){(uint32_t)lo, (uint32_t)hi, name};
}

/* ---- line-number programs ----------------------------------------- */

static const char *dw_path_add(lw_dwarf *d, const char *dir, const char *name)
{
    if (!name)
        return NULL;
    bool join = dir && *dir && name[0] != '/';
    size_t ld = join ? strlen(dir) : 0, ln = strlen(name);
    if (!dw_step(d, ld + ln))   /* bounds the memory that paths take */
        return NULL;
    char *p = malloc(ld + ln + 2);
    if (!p || wasm_vec_reserve((void **)&d->paths, &d->cappaths, d->npaths + 1,
                               sizeof *d->paths) < 0) {
        free(p);
        d->nomem = true;
        return NULL;
    }
    size_t n = 0;
    if (join) {
        memcpy(p, dir, ld);
        n = ld;
        if (p[n - 1] != '/')
            p[n++] = '/';
    }
    memcpy(p + n, name, ln + 1);
    d->paths[d->npaths++] = p;
    return p;
}

/* A directory of a line table joined to the unit's directory. */
static const char *dw_dir_join(lw_dwarf *d, const char *comp_dir, const char *dir)
{
    if (!dir || !*dir)
        return comp_dir;
    if (dir[0] == '/' || !comp_dir)
        return dir;
    return dw_path_add(d, comp_dir, dir);
}

typedef struct {
    const char **dirs, **files;
    size_t ndirs, nfiles, capdirs, capfiles;
} dw_filetab;

static int dw_push(lw_dwarf *d, const char ***v, size_t *n, size_t *cap, const char *s)
{
    if (wasm_vec_reserve((void **)v, cap, *n + 1, sizeof **v) < 0) {
        d->nomem = true;
        return -1;
    }
    (*v)[(*n)++] = s;
    return 0;
}

/* Version 5's directory and file tables: entry formats, then entries. */
static int dw_entries_v5(lw_dwarf *d, dw_cur *c, dw_unit *u, dw_filetab *ft,
                         const char *comp_dir, bool files)
{
    uint32_t kinds[16], forms[16];
    unsigned nfmt = (unsigned)dw_fixed(c, 1);
    if (nfmt > 16)
        return -1;
    for (unsigned i = 0; i < nfmt; i++) {
        uint64_t k = dw_uleb(c), f = dw_uleb(c);
        kinds[i] = k > UINT32_MAX ? 0 : (uint32_t)k;
        forms[i] = f > UINT32_MAX ? 0 : (uint32_t)f;
    }
    uint64_t count = dw_uleb(c);
    if (c->bad || count > (uint64_t)(c->end - c->p) || !dw_step(d, count))
        return -1;   /* (an entry of clang's takes a byte at least) */
    for (uint64_t e = 0; e < count; e++) {
        const char *path = NULL;
        uint64_t dir = 0;
        for (unsigned i = 0; i < nfmt; i++) {
            dw_val v;
            if (!dw_read_form(c, u, forms[i], 0, &v))
                return -1;
            if (kinds[i] == DW_LNCT_path)
                path = dw_val_str(d, u, &v);
            else if (kinds[i] == DW_LNCT_directory_index)
                dir = v.u;
        }
        const char *s;
        if (files)
            s = dw_path_add(d, dir < ft->ndirs ? ft->dirs[dir] : NULL, path);
        else
            s = e == 0 && path && path[0] != '/' ? (comp_dir ? comp_dir : path)
                                                 : dw_dir_join(d, comp_dir, path);
        if (dw_push(d, files ? &ft->files : &ft->dirs, files ? &ft->nfiles : &ft->ndirs,
                    files ? &ft->capfiles : &ft->capdirs, s) < 0)
            return -1;
    }
    return 0;
}

/* Versions 2 to 4: directories as strings, files as (name, dir, time, size);
 * directory 0 is the unit's, file 1 the first listed. */
static int dw_entries_v4(lw_dwarf *d, dw_cur *c, dw_filetab *ft, const char *comp_dir)
{
    if (dw_push(d, &ft->dirs, &ft->ndirs, &ft->capdirs, comp_dir) < 0 ||
        dw_push(d, &ft->files, &ft->nfiles, &ft->capfiles, NULL) < 0)
        return -1;
    for (;;) {
        const char *s = dw_cstr(c);
        if (!s || !dw_step(d, 1))
            return -1;
        if (!*s)
            break;
        if (dw_push(d, &ft->dirs, &ft->ndirs, &ft->capdirs, dw_dir_join(d, comp_dir, s)) < 0)
            return -1;
    }
    for (;;) {
        const char *s = dw_cstr(c);
        if (!s || !dw_step(d, 1))
            return -1;
        if (!*s)
            return 0;
        uint64_t dir = dw_uleb(c);
        dw_uleb(c);
        dw_uleb(c);
        if (c->bad)
            return -1;
        const char *path = dw_path_add(d, dir < ft->ndirs ? ft->dirs[dir] : NULL, s);
        if (dw_push(d, &ft->files, &ft->nfiles, &ft->capfiles, path) < 0)
            return -1;
    }
}

typedef struct {
    uint64_t addr;
    uint64_t file, line, column;
} dw_row;

/* A row is known; the one before it (same sequence) covers up to its address. */
static void dw_row_emit(lw_dwarf *d, const dw_filetab *ft, dw_row *prev, bool *have,
                        const dw_row *row)
{
    if (*have && prev->addr < row->addr && row->addr <= UINT32_MAX) {
        if (wasm_vec_reserve((void **)&d->lines, &d->caplines, d->nlines + 1,
                             sizeof *d->lines) < 0) {
            d->nomem = true;
            return;
        }
        lw_dwarf_line *l = &d->lines[d->nlines++];
        l->address = (uint32_t)prev->addr;
        l->end = (uint32_t)row->addr;
        l->file = prev->file < ft->nfiles ? ft->files[prev->file] : NULL;
        l->line = prev->line > UINT32_MAX ? 0 : (uint32_t)prev->line;
        l->column = prev->column > UINT32_MAX ? 0 : (uint32_t)prev->column;
    }
    *prev = *row;
    *have = true;
}

static void dw_line_program(lw_dwarf *d, uint64_t off, const char *comp_dir,
                            uint8_t addr_size)
{
    const dw_span *s = &d->sec[SEC_LINE];
    if (!s->p || off >= (uint64_t)(s->end - s->p))
        return;
    dw_cur top = {s->p + off, s->end, false};
    dw_unit u = {0};
    dw_cur c = dw_unit_length(&top, &u.offset_size);
    u.start = c.p;
    u.end = c.end;
    u.version = (uint16_t)dw_fixed(&c, 2);
    u.addr_size = addr_size;
    if (c.bad || u.version < 2 || u.version > 5)
        return;
    if (u.version >= 5) {
        u.addr_size = (uint8_t)dw_fixed(&c, 1);
        dw_fixed(&c, 1);   /* segment selector size */
    }
    uint64_t header_len = dw_fixed(&c, u.offset_size);
    if (c.bad || header_len > (uint64_t)(c.end - c.p))
        return;
    const uint8_t *program = c.p + header_len;
    unsigned min_inst = (unsigned)dw_fixed(&c, 1);
    if (u.version >= 4)
        dw_fixed(&c, 1);   /* maximum operations per instruction: VLIW only */
    bool default_stmt = dw_fixed(&c, 1) != 0;
    (void)default_stmt;
    int line_base = (int8_t)dw_fixed(&c, 1);
    unsigned line_range = (unsigned)dw_fixed(&c, 1);
    unsigned opcode_base = (unsigned)dw_fixed(&c, 1);
    uint8_t std_len[256] = {0};
    for (unsigned i = 1; i < opcode_base; i++)
        std_len[i] = (uint8_t)dw_fixed(&c, 1);
    if (c.bad || line_range == 0 || opcode_base == 0 ||
        (u.addr_size != 4 && u.addr_size != 8))
        return;
    dw_filetab ft = {0};
    int rc = u.version >= 5
        ? (dw_entries_v5(d, &c, &u, &ft, comp_dir, false) < 0 ||
           dw_entries_v5(d, &c, &u, &ft, comp_dir, true) < 0 ? -1 : 0)
        : dw_entries_v4(d, &c, &ft, comp_dir);
    if (rc < 0 || c.bad) {
        free(ft.dirs);
        free(ft.files);
        return;
    }
    c.p = program;
    dw_row row = {0, u.version >= 5 ? 0 : 1, 1, 0}, prev;
    bool have = false;
    while (c.p < c.end && !c.bad && !d->nomem && dw_step(d, 1)) {
        unsigned op = (unsigned)dw_fixed(&c, 1);
        if (op >= opcode_base) {
            unsigned adj = op - opcode_base;
            row.addr += (uint64_t)(adj / line_range) * min_inst;
            row.line += (int64_t)line_base + (int64_t)(adj % line_range);
            dw_row_emit(d, &ft, &prev, &have, &row);
            continue;
        }
        switch (op) {
        case 0: {   /* extended */
            uint64_t len = dw_uleb(&c);
            if (c.bad || len == 0 || len > (uint64_t)(c.end - c.p)) {
                c.bad = true;
                break;
            }
            const uint8_t *next = c.p + len;
            unsigned sub = (unsigned)dw_fixed(&c, 1);
            if (sub == 1) {   /* end_sequence */
                dw_row_emit(d, &ft, &prev, &have, &row);
                have = false;
                row = (dw_row){0, u.version >= 5 ? 0 : 1, 1, 0};
            } else if (sub == 2) {   /* set_address */
                row.addr = len - 1 <= 8 ? dw_fixed(&c, (unsigned)(len - 1)) : 0;
            }
            c.p = next;
            break;
        }
        case 1: dw_row_emit(d, &ft, &prev, &have, &row); break;   /* copy */
        case 2: row.addr += dw_uleb(&c) * min_inst; break;
        case 3: row.line += (uint64_t)dw_sleb(&c); break;
        case 4: row.file = dw_uleb(&c); break;
        case 5: row.column = dw_uleb(&c); break;
        case 8: row.addr += (uint64_t)((255 - opcode_base) / line_range) * min_inst; break;
        case 9: row.addr += dw_fixed(&c, 2); break;
        default:   /* flags, or an opcode this reader skips by its operand count */
            for (unsigned i = 0; i < std_len[op]; i++)
                dw_uleb(&c);
            break;
        }
    }
    free(ft.dirs);
    free(ft.files);
}

/* ---- units -------------------------------------------------------- */

/* One compile unit: its subprograms, then its line program. */
static void dw_unit_read(lw_dwarf *d, dw_cur *c)
{
    dw_unit u = {0};
    const uint8_t *start = c->p;
    dw_cur uc = dw_unit_length(c, &u.offset_size);
    if (uc.bad)
        return;
    u.start = start;
    u.end = uc.end;
    u.version = (uint16_t)dw_fixed(&uc, 2);
    uint64_t abbrev_off;
    if (u.version >= 5) {
        unsigned type = (unsigned)dw_fixed(&uc, 1);
        u.addr_size = (uint8_t)dw_fixed(&uc, 1);
        abbrev_off = dw_fixed(&uc, u.offset_size);
        if (type != 1 && type != 3)   /* compile or partial units only */
            return;
    } else {
        abbrev_off = dw_fixed(&uc, u.offset_size);
        u.addr_size = (uint8_t)dw_fixed(&uc, 1);
    }
    if (uc.bad || u.version < 2 || u.version > 5 || (u.addr_size != 4 && u.addr_size != 8))
        return;
    dw_abbrevs ab = {0};
    u.ab = &ab;
    if (dw_abbrevs_read(d, abbrev_off, &ab) < 0) {
        dw_abbrevs_free(&ab);
        return;
    }
    dw_die root;
    if (!dw_die_read(d, &uc, &u, &root) || !root.ab ||
        (root.ab->tag != DW_TAG_compile_unit && root.ab->tag != DW_TAG_partial_unit)) {
        dw_abbrevs_free(&ab);
        return;
    }
    const char *comp_dir = root.has_comp_dir ? dw_val_str(d, &u, &root.comp_dir) : NULL;
    bool has_stmt = root.has_stmt;
    uint64_t stmt = root.stmt.u;
    unsigned depth = root.ab->children ? 1 : 0;
    while (depth > 0 && uc.p < uc.end && !d->nomem) {
        dw_die die;
        if (!dw_die_read(d, &uc, &u, &die))
            break;
        if (!die.ab) {
            depth--;
            continue;
        }
        if (die.ab->tag == DW_TAG_subprogram)
            dw_add_func(d, &u, &die);
        if (die.ab->children)
            depth++;
    }
    dw_abbrevs_free(&ab);
    if (has_stmt)
        dw_line_program(d, stmt, comp_dir, u.addr_size);
}

static int dw_cmp_func(const void *a, const void *b)
{
    const dw_func *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int dw_cmp_key(const void *a, const void *b)
{
    const dw_key *x = a, *y = b;
    if (x->address != y->address)
        return x->address < y->address ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

lw_dwarf *lw_dwarf_parse(const lw_custom *customs, uint32_t ncustoms)
{
    lw_dwarf *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    uint64_t total = 0;
    for (uint32_t i = 0; i < ncustoms; i++)
        for (int s = 0; s < SEC_COUNT; s++)
            if (customs[i].name && strcmp(customs[i].name, dw_section_names[s]) == 0 &&
                !d->sec[s].p) {
                d->sec[s].p = customs[i].data;
                d->sec[s].end = customs[i].data + customs[i].len;
                total += customs[i].len;
            }
    d->budget = 64 * total + 65536;
    if (d->sec[SEC_INFO].p) {
        dw_cur c = {d->sec[SEC_INFO].p, d->sec[SEC_INFO].end, false};
        while (c.p < c.end && !c.bad && !d->nomem && d->budget)
            dw_unit_read(d, &c);
    }
    if (d->nomem)   /* what was read is right, but may lack entries */
        d->nfuncs = d->nlines = 0;
    if (d->nfuncs)
        qsort(d->funcs, d->nfuncs, sizeof *d->funcs, dw_cmp_func);
    if (d->nlines) {
        d->by_addr = malloc(d->nlines * sizeof *d->by_addr);
        if (!d->by_addr) {
            d->nlines = 0;
        } else {
            for (size_t i = 0; i < d->nlines; i++)
                d->by_addr[i] = (dw_key){d->lines[i].address, (uint32_t)i};
            qsort(d->by_addr, d->nlines, sizeof *d->by_addr, dw_cmp_key);
        }
    }
    return d;
}

void lw_dwarf_free(lw_dwarf *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->npaths; i++)
        free(d->paths[i]);
    free(d->paths);
    free(d->funcs);
    free(d->lines);
    free(d->by_addr);
    free(d);
}

const lw_dwarf_line *lw_dwarf_lines(const lw_dwarf *d, size_t *n)
{
    *n = d ? d->nlines : 0;
    return d ? d->lines : NULL;
}

/* The function and line for `addr`, from what lies inside [lo, hi) (the
 * function's body), so that entries of dropped code never answer. */
bool lw_dwarf_find(const lw_dwarf *d, uint32_t lo, uint32_t hi, uint32_t addr,
                   lw_source_loc *loc)
{
    memset(loc, 0, sizeof *loc);
    if (!d || addr < lo || addr >= hi)
        return false;
    size_t a = 0, b = d->nfuncs;   /* the first function starting past addr */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (d->funcs[mid].lo <= addr)
            a = mid + 1;
        else
            b = mid;
    }
    for (size_t i = a; i-- > 0 && d->funcs[i].lo >= lo;)
        if (addr < d->funcs[i].hi) {
            loc->func = d->funcs[i].name;
            break;
        }
    a = 0;
    b = d->nlines;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (d->by_addr[mid].address <= addr)
            a = mid + 1;
        else
            b = mid;
    }
    for (size_t i = a; i-- > 0;) {
        const lw_dwarf_line *l = &d->lines[d->by_addr[i].index];
        if (l->address < lo)
            break;
        if (addr < l->end && l->file && l->line) {
            loc->file = l->file;
            loc->line = l->line;
            loc->column = l->column;
            break;
        }
    }
    return loc->func || loc->file;
}
