/* Embedding libwasm: load a module, give it a host function, call an export. */
#include <libwasm.h>
#include <stdio.h>

static int host_log(lw_host_call *call, const lw_val *args, lw_val *results)
{
    (void)call, (void)results;
    printf("guest says %d\n", args[0].of.i32);
    return 0;
}

int main(int argc, char **argv)
{
    lw_error err;
    lw_module *m = lw_module_load_file(argc > 1 ? argv[1] : "fac.wat", lw_features_default(), &err);
    if (!m || lw_module_validate(m, &err) < 0)
        return fprintf(stderr, "load: %s\n", err.message), 1;
    lw_store *store = lw_store_new(NULL);
    lw_linker *linker = lw_linker_new(store);
    const lw_valtype i32[] = {LW_I32};
    lw_functype log_type = {1, 0, i32, NULL};
    lw_linker_define_host(linker, "env", "log", &log_type, host_log, NULL);
    lw_instance *inst = lw_linker_instantiate(linker, m, &err);
    lw_extern fac;
    if (!inst || !lw_instance_export(inst, "fac", &fac))
        return fprintf(stderr, "instantiate: %s\n", err.message), 1;
    lw_val arg = {.type = LW_I64, .of.i64 = 20}, result;
    if (lw_func_call(store, fac.of.func, &arg, 1, &result, 1, &err) < 0)
        return fprintf(stderr, "trap: %s\n", err.message), 1;
    printf("fac(20) = %lld\n", (long long)result.of.i64);
    lw_linker_free(linker);
    lw_store_free(store);
    lw_module_free(m);
    return 0;
}
