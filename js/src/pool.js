// The worker pool every connector of the process shares. The component's core modules are
// compiled once per process and handed to each thread (a WebAssembly.Module is shared between
// threads, not copied); each call runs in a free thread on a fresh instance, so the main
// thread's event loop keeps serving other tenants while a call waits on LinkedIn, and one
// tenant's call never sees another's state.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';

const GEN = new URL('../gen/', import.meta.url);
const CORE_MODULES = ['connector.core.wasm', 'connector.core2.wasm', 'connector.core3.wasm'];

let compiled;

/** The component's core modules, compiled once per process. */
export function coreModules() {
  if (!compiled) {
    compiled = {};
    for (const name of CORE_MODULES) {
      let bytes;
      try {
        bytes = readFileSync(new URL(name, GEN));
      } catch (error) {
        throw new Error(
          `the transpiled component is missing (${name}); build it with \`npm run build\` in the package (or \`make js\` in the repository)`,
          { cause: error },
        );
      }
      compiled[name] = new WebAssembly.Module(bytes);
    }
  }
  return compiled;
}

class Thread {
  constructor(pool) {
    this.pool = pool;
    this.signal = new SharedArrayBuffer(4);
    this.cell = new Int32Array(this.signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.task = null;
    this.ready = new Promise((resolve, reject) => {
      this.worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: {
          modules: coreModules(),
          port: port2,
          signal: this.signal,
          glue: new URL('connector.js', GEN).href,
        },
        transferList: [port2],
        // The guest's environment is empty whatever this process holds (host.js); the thread
        // itself needs none of it either.
        env: {},
        stdout: false,
        stderr: false,
      });
      this.worker.once('message', (message) => (message.ready ? resolve() : reject(new Error('worker did not start'))));
      this.worker.once('error', reject);
    });
    this.worker.on('message', (message) => {
      if (message.ready) return;
      const task = this.task;
      this.task = null;
      this.idle();
      task?.resolve(message);
      this.pool.next();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the connector's worker thread exited (code ${code})`)));
    this.port.on('message', (message) => this.serve(message));
    // Referenced while it starts (a call is waiting for it), unreferenced whenever it is idle,
    // so that an idle pool never keeps the process alive.
    this.ready.then(
      () => {
        if (!this.task) this.idle();
      },
      () => {},
    );
  }

  idle() {
    this.worker.unref();
    this.port.unref();
  }

  busy() {
    this.worker.ref();
    this.port.ref();
  }

  /** Answers one request of the guest (an HTTP exchange, a secret, a body piece). */
  async serve(message) {
    const task = this.task;
    let answer;
    let transfer = [];
    try {
      if (!task) throw new Error('no call is running');
      [answer, transfer = []] = await task.handlers.rpc(message);
    } catch (error) {
      answer = { error: String(error?.message ?? error) };
    }
    // The worker reads the answer as soon as it wakes: post first, then wake it.
    this.port.postMessage(answer, transfer);
    Atomics.store(this.cell, 0, 1);
    Atomics.notify(this.cell, 0);
  }

  start(task) {
    this.task = task;
    this.busy();
    this.worker.postMessage(task.message, task.transfer ?? []);
    if (task.timeoutMs) {
      task.timer = setTimeout(() => {
        if (this.task === task) this.stop(task);
      }, task.timeoutMs);
    }
  }

  /** Ends a call that overran its time: the thread is dropped and replaced. */
  stop(task) {
    this.task = null;
    this.retire();
    task.resolve({ timeout: true });
    this.pool.next();
  }

  fail(error) {
    const task = this.task;
    this.task = null;
    this.retire();
    task?.resolve({ trap: `the connector's worker thread failed: ${error?.message ?? error}` });
    this.pool.next();
  }

  retire() {
    if (this.retired) return;
    this.retired = true;
    this.pool.remove(this);
    this.worker.removeAllListeners('exit');
    this.worker.terminate().catch(() => {});
    this.port.close();
  }
}

export class Pool {
  /** @param {{size?: number}} options */
  constructor({ size } = {}) {
    this.size = Math.max(1, size ?? Math.min(4, availableParallelism()));
    this.threads = [];
    this.queue = [];
  }

  /** Runs `message` in a free thread; `handlers.rpc` answers the guest's requests. */
  run(message, handlers, { timeoutMs, transfer } = {}) {
    return new Promise((resolve) => {
      const task = {
        message,
        transfer,
        handlers,
        timeoutMs,
        resolve: (result) => {
          clearTimeout(task.timer);
          resolve(result);
        },
      };
      this.queue.push(task);
      this.next();
    });
  }

  /** Starts queued calls on free threads, creating threads up to the pool's size. */
  next() {
    while (this.queue.length > 0) {
      const thread = this.threads.find((t) => !t.task && t.started);
      if (thread) {
        thread.start(this.queue.shift());
        continue;
      }
      const starting = this.threads.filter((t) => !t.started).length;
      if (starting < this.queue.length && this.threads.length < this.size) {
        const created = new Thread(this);
        this.threads.push(created);
        created.ready.then(
          () => {
            created.started = true;
            this.next();
          },
          (error) => {
            created.retire();
            const task = this.queue.shift();
            task?.resolve({ trap: `the connector's worker thread did not start: ${error?.message ?? error}` });
            this.next();
          },
        );
        continue;
      }
      return;
    }
  }

  remove(thread) {
    this.threads = this.threads.filter((t) => t !== thread);
  }

  /** Stops every thread (tests; a platform normally keeps the pool for the process). */
  async close() {
    const threads = this.threads;
    this.threads = [];
    for (const task of this.queue.splice(0)) task.resolve({ trap: 'the connector pool was closed' });
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
