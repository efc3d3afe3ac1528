/* Embedding libwasm: load a module, give it a host function, call an export. */
#include <libwasm.h>
#include <stdio.h>

static int host_log(wasm_host_call *call, const wasm_val *args, wasm_val *results)
{
    (void)call, (void)results;
    printf("guest says %d\n", args[0].of.i32);
    return 0;
}

int main(int argc, char **argv)
{
    wasm_error err;
    wasm_module *m = wasm_module_load_file(argc > 1 ? argv[1] : "fac.wat", wasm_features_default(), &err);
    if (!m || wasm_module_validate(m, &err) < 0)
        return fprintf(stderr, "load: %s\n", err.message), 1;
    wasm_store *store = wasm_store_new(NULL);
    wasm_linker *linker = wasm_linker_new(store);
    const uint8_t i32[] = {WASM_I32};
    wasm_functype log_type = {1, 0, i32, NULL};
    wasm_linker_define_host(linker, "env", "log", &log_type, host_log, NULL);
    wasm_instance *inst = wasm_linker_instantiate(linker, m, &err);
    wasm_extern fac;
    if (!inst || !wasm_instance_export(inst, "fac", &fac))
        return fprintf(stderr, "instantiate: %s\n", err.message), 1;
    wasm_val arg = {.type = WASM_I64, .of.i64 = 20}, result;
    if (wasm_func_call(store, fac.of.func, &arg, 1, &result, 1, &err) < 0)
        return fprintf(stderr, "trap: %s\n", err.message), 1;
    printf("fac(20) = %lld\n", (long long)result.of.i64);
    wasm_linker_free(linker);
    wasm_store_free(store);
    wasm_module_free(m);
    return 0;
}
