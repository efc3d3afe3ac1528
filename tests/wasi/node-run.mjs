// Run a WASI guest under node's WASI, for comparison with wasm-run.
// usage: node node-run.mjs FILE.wasm [ARGS...]
// NODE_WASI_DIRS="guest=host,...", NODE_WASI_ENV="NAME=VALUE" lines.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [, , file, ...args] = process.argv;
const preopens = {};
for (const spec of (process.env.NODE_WASI_DIRS || '').split(',').filter(Boolean)) {
    const at = spec.indexOf('=');
    preopens[spec.slice(0, at)] = spec.slice(at + 1);
}
const env = {};
for (const line of (process.env.NODE_WASI_ENV || '').split('\n').filter(Boolean)) {
    const at = line.indexOf('=');
    env[line.slice(0, at)] = line.slice(at + 1);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env, preopens,
                        returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
