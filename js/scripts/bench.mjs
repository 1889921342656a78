// Measures the package (figures in the README's JavaScript section):
//   - cold start: compiling the core modules, starting a thread (loading the transpiled glue
//     and instantiating), the first describe and the first call;
//   - per-call overhead against a canned answer (no network): get-user-info and a rejected
//     input through `execute`, and the same calls in the thread alone (no messaging);
//   - memory: per connector object, and per thread with its instance.
//
//   node --expose-gc scripts/bench.mjs [--calls N]
// Each per-call figure is the median of the rounds' means (this machine's speed drifts).

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 400;
const gc = globalThis.gc ?? (() => {});
const ms = (x) => `${x.toFixed(1)} ms`;
const us = (x) => `${Math.round(x * 1000)} µs`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const USERINFO =
  '{"sub":"782bbtaQ","name":"John Doe","given_name":"John","family_name":"Doe","picture":"https://media.licdn.com/dms/image/C5603AQ/profile","locale":"en-US","email":"doe@email.com","email_verified":true}';
const canned = async () => ({ status: 200, headers: [['content-type', 'application/json']], body: USERINFO });

const t0 = performance.now();
const { createConnector, shutdown } = await import('../src/index.js');
const { coreModules, Pool } = await import('../src/pool.js');
const tImport = performance.now() - t0;
let t = performance.now();
coreModules();
const tCompile = performance.now() - t;

gc();
const rssBefore = process.memoryUsage().rss;
t = performance.now();
const li = await createConnector({ accessToken: 'bench-token', sender: canned, threads: 1 });
const tFirstConnector = performance.now() - t;
t = performance.now();
await li.execute('get-user-info');
const tFirstCall = performance.now() - t;

console.log('cold start (one thread)');
console.log(`  import the package              ${ms(tImport)}`);
console.log(`  compile the core modules        ${ms(tCompile)}`);
console.log(`  first createConnector           ${ms(tFirstConnector)}  (thread start, glue load, instantiate, describe)`);
console.log(`  first call                      ${ms(tFirstCall)}`);
console.log(`  total to the first answer       ${ms(tImport + tCompile + tFirstConnector + tFirstCall)}`);

async function rounds(fn, n) {
  const means = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn();
    means.push((performance.now() - start) / n);
  }
  return median(means);
}

const rejected = () => li.execute('create-post', { author: 'bogus', text: 'x' }).catch(() => {});
const perCall = await rounds(() => li.execute('get-user-info'), calls);
const perRejected = await rounds(rejected, calls);
const perConnectorAndCall = await rounds(async () => {
  const fresh = await createConnector({ accessToken: 'bench-token', sender: canned });
  await fresh.execute('get-user-info');
}, Math.max(50, calls / 4));

// The same calls inside one thread, without the pool's messages: what the glue and guest cost.
// As in a pool thread (src/worker.js): no JSPI probe errors, and a plain empty process.env.
const { CallContext, imports, setCall } = await import('../src/host.js');
WebAssembly.promising ??= (fn) => fn;
Object.defineProperty(process, 'env', { value: Object.freeze({}), configurable: true, writable: false });
const { instantiate } = await import('../gen/connector.js');
const modules = coreModules();
const io = imports();
t = performance.now();
const instance = instantiate((name) => modules[name], io, (m, i) => new WebAssembly.Instance(m, i));
const tInstantiateWarm = performance.now() - t;
const body = new TextEncoder().encode(USERINFO);
const rpc = (m) => (m.op === 'send' ? { status: 200, headers: [['content-type', 'application/json']], body } : {});
const inThread = (command, input) => async () => {
  setCall(new CallContext({ secrets: { accessToken: { value: 'bench-token' } }, settings: {} }, rpc));
  instance.datasource.executeJson(command, input);
};
const direct = await rounds(inThread('get-user-info', '{}'), calls);
const directRejected = await rounds(inThread('create-post', '{"author":"bogus","text":"x"}'), calls);
const instantiations = [];
for (let i = 0; i < 10; i++) {
  t = performance.now();
  instantiate((name) => modules[name], io, (m, i2) => new WebAssembly.Instance(m, i2));
  instantiations.push(performance.now() - t);
}

console.log(`per call, canned answer (median of 7 rounds of ${calls})`);
console.log(`  get-user-info through execute   ${us(perCall)}`);
console.log(`  rejected input through execute  ${us(perRejected)}`);
console.log(`  new connector + get-user-info   ${us(perConnectorAndCall)}`);
console.log(`  get-user-info in the thread     ${us(direct)}  (no pool messages: glue + guest)`);
console.log(`  rejected input in the thread    ${us(directRejected)}`);
console.log(`  instantiate in a warm thread    ${ms(median(instantiations))}  (first in this thread ${ms(tInstantiateWarm)})`);

// Memory: connector objects, then threads with their instance.
gc();
let heap = process.memoryUsage().heapUsed;
const many = [];
for (let i = 0; i < 1000; i++) many.push(await createConnector({ accessToken: `token-${i}`, settings: { linkedinVersion: '202609' }, sender: canned }));
gc();
const perConnector = (process.memoryUsage().heapUsed - heap) / many.length;
await Promise.all(many.slice(0, 50).map((c) => c.execute('get-user-info')));

await shutdown();
gc();
const threads = 4;
const rss0 = process.memoryUsage().rss;
const pool = new Pool({ size: threads });
const sender = canned;
await Promise.all(
  Array.from({ length: threads * 3 }, () =>
    pool.run({ kind: 'execute-json', command: 'get-user-info', input: '{}', secrets: { accessToken: { value: 'x-token' } }, settings: {} }, {
      rpc: async (m) => (m.op === 'send' ? [{ ...(await sender()), body: new TextEncoder().encode(USERINFO), headers: [['content-type', 'application/json']] }] : [{}]),
    }),
  ),
);
gc();
const perThread = (process.memoryUsage().rss - rss0) / threads;
await pool.close();
void rssBefore;

console.log('memory');
console.log(`  per connector (JS heap)          ${(perConnector / 1024).toFixed(1)} KiB  (1000 connectors)`);
console.log(`  per thread with its instance     ${(perThread / 1048576).toFixed(1)} MiB  (RSS growth over ${threads} threads)`);
console.log(`  transpiled output                ${(readFileSync(new URL('../gen/connector.js', import.meta.url)).length / 1024).toFixed(0)} KiB glue + ${(readFileSync(new URL('../gen/connector.core.wasm', import.meta.url)).length / 1024).toFixed(0)} KiB core module`);
