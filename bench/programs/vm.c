/* A small bytecode VM (stack machine with a switch loop) running a
 * prime-counting program: the interpreter-in-an-interpreter case. */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, INC, HALT };

typedef struct { uint8_t op; int32_t arg; } insn;

/* count primes below n by trial division:
 *   r0 = n, r1 = 2 (candidate), r2 = count, r3 = divisor */
static const insn prog[] = {
    /* 0 */ {PUSH, 2}, {STORE, 1}, {PUSH, 0}, {STORE, 2},
    /* 4: outer */ {LOAD, 1}, {LOAD, 0}, {LT, 0}, {JZ, 31},
    /* 8 */ {PUSH, 2}, {STORE, 3},
    /* 10: inner */ {LOAD, 3}, {LOAD, 3}, {MUL, 0}, {LOAD, 1}, {PUSH, 1}, {ADD, 0}, {LT, 0}, {JZ, 26},
    /* 18 */ {LOAD, 1}, {LOAD, 3}, {MOD, 0}, {JZ, 29},
    /* 22 */ {INC, 3}, {JMP, 10}, {HALT, 0}, {HALT, 0},
    /* 26: prime */ {INC, 2}, {JMP, 29}, {HALT, 0},
    /* 29: next */ {INC, 1}, {JMP, 4},
    /* 31 */ {HALT, 0},
};

static int32_t run(int32_t n)
{
    int32_t stack[64], reg[4] = {n, 0, 0, 0};
    int sp = 0, pc = 0;
    for (;;) {
        const insn *i = &prog[pc++];
        switch (i->op) {
        case PUSH: stack[sp++] = i->arg; break;
        case LOAD: stack[sp++] = reg[i->arg]; break;
        case STORE: reg[i->arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: if (!stack[--sp]) pc = i->arg; break;
        case JMP: pc = i->arg; break;
        case INC: reg[i->arg]++; break;
        default: return reg[2];
        }
    }
}

int main(void)
{
    int32_t total = 0;
    for (int r = 0; r < 4; r++)
        total += run(100000 + r);
    printf("vm primes checksum %d\n", total);
    return 0;
}
