// A pool thread: runs one call at a time on a fresh instance of the component. The compiled core
// modules come from the main thread (compiled once per process, shared by every thread); the
// imports are ./host.js. While the guest runs, this thread blocks; what it needs from outside
// (an HTTP exchange, a lazy secret, the next piece of a body) it asks the main thread through
// `rpc`, which waits on a shared cell and then takes the answer off a message port.

import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CallContext, imports, setCall } from './host.js';

const { modules, port, signal, glue } = workerData;
const cell = new Int32Array(signal);

// jco's glue probes for JSPI with `WebAssembly.promising(fn)` once per export, inside a
// try/catch whose fallback is `fn` itself. Node 20 has no JSPI, so every probe throws a
// TypeError, and V8 writes that error's message by re-parsing the whole instantiate function
// (half a megabyte of JavaScript): 24 probes, about 3 s an instance on a 2-core machine. A stand-in that
// returns `fn` gives the glue what its fallback gives, without the cost. Nothing but the glue
// runs in this thread.
if (typeof WebAssembly.promising !== 'function') WebAssembly.promising = (fn) => fn;

// The glue also reads `process.env.JCO_DEBUG` on every step of every call (hundreds a call),
// and each read of Node's process.env is a lookup in the C environment. This thread was started
// with an empty environment; a plain empty object makes those reads as cheap as they should be.
Object.defineProperty(process, 'env', { value: Object.freeze({}), configurable: true, writable: false });

const { instantiate } = await import(glue);
const importObject = imports();

/** The thread's instance, reused call after call until one traps (or a call asks for its own). */
let shared;

function rpc(message, transfer) {
  Atomics.store(cell, 0, 0);
  port.postMessage(message, transfer);
  for (;;) {
    Atomics.wait(cell, 0, 0);
    const received = receiveMessageOnPort(port);
    if (received) return received.message;
    // Woken without a message (cannot happen with the main thread's order of post then
    // notify, but a spurious wake must not lose the answer).
    Atomics.store(cell, 0, 0);
  }
}

function instantiateNow() {
  return instantiate((name) => modules[name], importObject, (module, imports) => new WebAssembly.Instance(module, imports));
}

/** A typed error (a `commands` function's `err`) as a plain object the main thread can clone. */
function payloadOf(error) {
  if (error && Object.prototype.hasOwnProperty.call(error, 'payload')) return error.payload;
  return undefined;
}

function run(task) {
  const context = new CallContext(task, rpc);
  setCall(context);
  let root;
  try {
    root = task.isolate ? instantiateNow() : (shared ??= instantiateNow());
    let outcome;
    switch (task.kind) {
      case 'describe':
        outcome = { ok: root.datasource.describe() };
        break;
      case 'execute-json':
        outcome = { ok: root.datasource.executeJson(task.command, task.input) };
        break;
      case 'typed': {
        const fn = root.commands[task.function];
        if (typeof fn !== 'function') {
          outcome = { missing: task.function };
          break;
        }
        try {
          outcome = { ok: fn(...task.args) };
        } catch (error) {
          const payload = payloadOf(error);
          if (payload === undefined) throw error;
          outcome = { error: payload };
        }
        break;
      }
      default:
        throw new Error(`unknown task ${task.kind}`);
    }
    return { ...outcome, stdout: context.stdout.join(''), stderr: context.stderr.join('') };
  } catch (error) {
    // A trapped instance cannot be entered again; the next call gets a new one.
    if (root === shared) shared = undefined;
    return {
      trap: String(error?.message ?? error),
      stdout: context.stdout.join(''),
      stderr: context.stderr.join(''),
    };
  } finally {
    setCall(null);
  }
}

parentPort.on('message', (task) => {
  parentPort.postMessage(run(task));
});
parentPort.postMessage({ ready: true });
