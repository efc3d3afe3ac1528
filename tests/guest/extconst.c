/* Data at addresses computed when the module is instantiated: built with
 * -fPIC -mextended-const and linked position-independent (wasm-ld -pie),
 * each data segment after the first starts at __memory_base plus a
 * constant, an extended constant expression.  The pointers in ptrs are
 * relocated by __wasm_apply_data_relocs.  run(5) is 156155 (1, 5 and 6
 * through ptrs, counter 15, digit 5); a second run(1) is 156161. */
static const char digits[] = "0123456789";
static int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};
int *ptrs[3] = {&table[1], &table[4], &table[7]};
int counter = 10;

__attribute__((export_name("run"))) int run(int k)
{
    int s = 0;
    for (int i = 0; i < 3; i++)
        s = s * 10 + *ptrs[i];
    counter += k;
    return s * 1000 + counter * 10 + (digits[k % 10] - '0');
}
