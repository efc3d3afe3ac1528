// Runs binaryen's wasm-opt, as built for node (binaryen.js's bin/wasm-opt),
// many times in one process, so that the 9 MB program is compiled once:
//
//   node binaryen-driver.js PATH-TO-bin/wasm-opt
//
// Each line of standard input is a JSON array of arguments; the driver
// runs wasm-opt's main with them and then prints "[driver] done STATUS"
// on a line of its own.  wasm-opt writes straight to the file descriptors
// before main returns.  Used by tests/diff/run-diff.
'use strict';
const fs = require('fs');
const path = require('path');

const file = process.argv[2];
let src = fs.readFileSync(file, 'utf8');
if (src.startsWith('#!'))
    src = src.slice(src.indexOf('\n') + 1);
// The program keeps its state in function scope; it is told not to run
// main at load, and hands callMain back.
const body = 'var Module = {noInitialRun: true, onRuntimeInitialized: ready};\n' + src +
    '\n;return {callMain: callMain};';
const program = new Function('require', '__dirname', '__filename', 'module', 'exports',
                             'ready', body);
const mod = {exports: {}};
const api = program(require, path.dirname(file), file, mod, mod.exports,
                    () => setImmediate(next));

const lines = [];
let pending = '', ended = false, idle = false;
function wake() {
    if (idle) {
        idle = false;
        next();
    }
}
process.stdin.on('data', d => {
    pending += d;
    for (let i; (i = pending.indexOf('\n')) >= 0; pending = pending.slice(i + 1))
        lines.push(pending.slice(0, i));
    wake();
});
process.stdin.on('end', () => {
    ended = true;
    wake();
});

function next() {
    if (!lines.length) {
        if (ended)
            process.exit(0);
        idle = true;
        return;
    }
    let status;
    try {
        status = api.callMain(JSON.parse(lines.shift()));
    } catch (e) {
        status = 1;
    }
    process.exitCode = 0;
    fs.writeSync(1, '\n[driver] done ' + status + '\n');
    setImmediate(next);
}
