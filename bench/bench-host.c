/* bench-host: run a wasm32-wasi benchmark program on libwasm with just
 * the WASI calls the benchmarks need: fd_write to stdout/stderr,
 * proc_exit, empty args and environment; every other WASI import the
 * module has answers ENOSYS.  Usage: bench-host FILE.wasm */
#include "libwasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WASI "wasi_snapshot_preview1"
#define ENOSYS_WASI 52

static uint8_t *host_mem(lw_host_call *call, uint32_t addr, uint32_t len)
{
    lw_memory *m = lw_host_memory(call);
    if (!m || (uint64_t)addr + len > lw_memory_size(m))
        return NULL;
    return lw_memory_data(m) + addr;
}

static int ret_i32(lw_val *results, int32_t v)
{
    results[0].type = LW_I32;
    results[0].of.i32 = v;
    return 0;
}

static int fd_write(lw_host_call *call, const lw_val *args, lw_val *results)
{
    int fd = args[0].of.i32;
    uint32_t iovs = (uint32_t)args[1].of.i32, n = (uint32_t)args[2].of.i32;
    uint32_t total = 0;
    if (fd != 1 && fd != 2)
        return ret_i32(results, 8);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *iov = host_mem(call, iovs + 8 * i, 8);
        if (!iov)
            return ret_i32(results, 21);
        uint32_t ptr, len;
        memcpy(&ptr, iov, 4);
        memcpy(&len, iov + 4, 4);
        uint8_t *p = host_mem(call, ptr, len);
        if (!p)
            return ret_i32(results, 21);
        if (len && write(fd, p, len) < 0)
            return ret_i32(results, 29);
        total += len;
    }
    uint8_t *out = host_mem(call, (uint32_t)args[3].of.i32, 4);
    if (!out)
        return ret_i32(results, 21);
    memcpy(out, &total, 4);
    return ret_i32(results, 0);
}

static int proc_exit(lw_host_call *call, const lw_val *args, lw_val *results)
{
    return lw_host_exit(call, args[0].of.i32);
}

/* args_sizes_get / environ_sizes_get: zero entries, zero bytes. */
static int sizes_get(lw_host_call *call, const lw_val *args, lw_val *results)
{
    uint8_t *a = host_mem(call, (uint32_t)args[0].of.i32, 4);
    uint8_t *b = host_mem(call, (uint32_t)args[1].of.i32, 4);
    if (!a || !b)
        return ret_i32(results, 21);
    memset(a, 0, 4);
    memset(b, 0, 4);
    return ret_i32(results, 0);
}

static int empty_get(lw_host_call *call, const lw_val *args, lw_val *results)
{
    return ret_i32(results, 0);
}

static int nosys(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const lw_functype *t = lw_host_user(call);
    for (uint32_t i = 0; i < t->nresults; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].type = t->results[i];
    }
    if (t->nresults && t->results[0] == LW_I32)
        results[0].of.i32 = ENOSYS_WASI;
    return 0;
}

static lw_host_fn known(const char *name)
{
    if (!strcmp(name, "fd_write"))
        return fd_write;
    if (!strcmp(name, "proc_exit"))
        return proc_exit;
    if (!strcmp(name, "args_sizes_get") || !strcmp(name, "environ_sizes_get"))
        return sizes_get;
    if (!strcmp(name, "args_get") || !strcmp(name, "environ_get"))
        return empty_get;
    return NULL;
}

static int fail(const char *path, const lw_error *err)
{
    char buf[400];
    lw_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench-host: %s: %s\n", path, buf);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench-host FILE.wasm\n");
        return 2;
    }
    const char *path = argv[1];
    lw_error err;
    uint8_t *bytes;
    size_t len;
    if (lw_read_file(path, &bytes, &len, &err))
        return fail(path, &err);
    lw_module *m = lw_module_load(bytes, len, lw_features_default(), &err);
    free(bytes);
    if (!m)
        return fail(path, &err);
    lw_store *s = lw_store_new(NULL);
    lw_linker *l = lw_linker_new(s);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        if (im->kind != LW_EXTERN_FUNC || strcmp(im->module, WASI))
            continue;
        const lw_functype *t = &m->types[im->desc.func];
        lw_host_fn fn = known(im->name);
        lw_linker_define_host(l, WASI, im->name, t, fn ? fn : nosys, (void *)t);
    }
    int status = 0;
    lw_instance *inst = lw_linker_instantiate(l, m, &err);
    lw_extern start;
    if (!inst) {
        status = fail(path, &err);
    } else if (!lw_instance_export(inst, "_start", &start) ||
               start.kind != LW_EXTERN_FUNC) {
        fprintf(stderr, "bench-host: %s: no _start function\n", path);
        status = 1;
    } else if (lw_func_call(s, start.of.func, NULL, 0, NULL, 0, &err)) {
        if (err.kind == LW_ERR_EXIT)
            status = err.exit_code;
        else
            status = fail(path, &err) ? 134 : 0;
    }
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(m);
    return status;
}
