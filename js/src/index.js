// The LinkedIn connector for JavaScript hosts: the WebAssembly component, transpiled by jco, run
// in worker threads, with HTTP and secrets supplied by the platform.

import { ConnectorError, FAULT_CODES, TransportFault } from './errors.js';
import { createDefaultSender, DEFAULT_HTTP } from './http.js';
import { coreModules, Pool } from './pool.js';

export { ConnectorError, TransportFault, createDefaultSender, DEFAULT_HTTP };

/** The longest a call may take by default: the one-call media post may wait 600 s. */
export const DEFAULT_CALL_TIMEOUT_MS = 15 * 60 * 1000;

let sharedPool;
let catalogPromise;
let defaultSender;
let bodyIds = 0;

function pool(options) {
  if (options.pool) return options.pool;
  sharedPool ??= new Pool({ size: options.threads });
  return sharedPool;
}

/**
 * Starts the process-wide pool of threads ahead of the first call and compiles the component
 * (a platform can call this at boot; otherwise the first call does it).
 * @param {{threads?: number}} [options]
 */
export function warmUp(options = {}) {
  coreModules();
  return loadCatalog(pool(options));
}

/** Stops the shared pool's threads (for tests and graceful shutdown). */
export async function shutdown() {
  const current = sharedPool;
  sharedPool = undefined;
  catalogPromise = undefined;
  await current?.close();
}

function camel(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function loadCatalog(threads) {
  catalogPromise ??= threads
    .run({ kind: 'describe' }, { rpc: async () => [{ error: 'describe makes no calls' }] })
    .then((result) => {
      if (!('ok' in result)) throw new Error(`the connector could not describe itself: ${result.trap}`);
      const catalog = result.ok;
      return Object.freeze({
        ...catalog,
        commands: catalog.commands.map((command) =>
          Object.freeze({ ...command, inputSchema: JSON.parse(command.inputSchema) }),
        ),
      });
    });
  catalogPromise.catch(() => {
    catalogPromise = undefined;
  });
  return catalogPromise;
}

/** A secret option as the worker gets it: the value now, or "ask when the guest asks". */
function secretOf(option) {
  if (typeof option === 'function') return { lazy: true };
  if (typeof option === 'string') return { value: option };
  return { missing: true };
}

async function resolveSecret(option, what) {
  if (typeof option !== 'function') return secretOf(option);
  try {
    const value = await option();
    if (value === undefined || value === null) return { missing: true };
    if (typeof value !== 'string') return { unavailable: `its ${what} function gave a value that is not text` };
    return { value };
  } catch {
    // The function's own error text stays in the platform: it may name a vault or a path.
    return { unavailable: `its ${what} function failed` };
  }
}

async function resolveSettings(option) {
  const given = typeof option === 'function' ? await option() : option;
  const settings = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value === undefined || value === null) continue;
    settings[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return settings;
}

const encoder = new TextEncoder();

function bytesOf(body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return undefined;
}

function headerPairs(headers) {
  if (!headers) return [];
  const entries = Array.isArray(headers)
    ? headers
    : typeof headers.entries === 'function' && !(headers.constructor === Object)
      ? [...headers.entries()]
      : Object.entries(headers);
  const pairs = [];
  for (const [name, value] of entries) {
    for (const one of Array.isArray(value) ? value : [value]) {
      pairs.push([String(name), typeof one === 'string' || one instanceof Uint8Array ? one : String(one)]);
    }
  }
  return pairs;
}

function iteratorOf(body) {
  if (body && typeof body[Symbol.asyncIterator] === 'function') return body[Symbol.asyncIterator]();
  if (body && typeof body.getReader === 'function') {
    const reader = body.getReader();
    return {
      next: () => reader.read(),
      return: async () => {
        await reader.cancel().catch(() => {});
        return { done: true };
      },
    };
  }
  return undefined;
}

/** One call's side of the main thread: its sender, its secrets, the bodies it streams. */
class Exchange {
  constructor(connector) {
    this.connector = connector;
    this.bodies = new Map();
  }

  async rpc(message) {
    switch (message.op) {
      case 'secret':
        return [await resolveSecret(this.connector.options[message.name], message.name === 'accessToken' ? 'access token' : 'client secret')];
      case 'send':
        return this.send(message.request);
      case 'read':
        return this.read(message.id);
      case 'drop':
        await this.drop(message.id);
        return [{}];
      default:
        throw new Error(`unknown request ${message.op}`);
    }
  }

  async send(request) {
    let response;
    try {
      response = await this.connector.sender(request);
    } catch (error) {
      if (error instanceof TransportFault) return [{ error: FAULT_CODES[error.fault] }];
      return [{ error: { tag: 'internal-error', val: String(error?.message ?? error) } }];
    }
    const status = Number(response?.status);
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      return [{ error: { tag: 'internal-error', val: 'the sender returned no valid status' } }];
    }
    const headers = headerPairs(response.headers);
    const whole = bytesOf(response.body);
    if (whole) return [{ status, headers, body: whole }, [whole.buffer]];
    const iterator = iteratorOf(response.body);
    if (!iterator) return [{ error: { tag: 'internal-error', val: 'the sender returned a body of an unknown kind' } }];
    const id = ++bodyIds;
    this.bodies.set(id, iterator);
    return [{ status, headers, bodyId: id }];
  }

  async read(id) {
    const iterator = this.bodies.get(id);
    if (!iterator) return [{ end: true }];
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) {
          this.bodies.delete(id);
          return [{ end: true }];
        }
        const chunk = bytesOf(value);
        if (chunk && chunk.length > 0) return [{ chunk }, [chunk.buffer]];
      }
    } catch (error) {
      this.bodies.delete(id);
      return [{ error: String(error?.message ?? error) }];
    }
  }

  async drop(id) {
    const iterator = this.bodies.get(id);
    this.bodies.delete(id);
    await iterator?.return?.();
  }

  async close() {
    await Promise.all([...this.bodies.keys()].map((id) => this.drop(id).catch(() => {})));
  }
}

function bigintsToNumbers(value) {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(bigintsToNumbers);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bigintsToNumbers(v)]));
  }
  return value;
}

/** A typed function's error variant in the JSON form execute gives. */
function typedError(variant) {
  const { tag, val } = variant;
  if (typeof val === 'string') return { kind: tag, message: val };
  return { kind: tag, ...bigintsToNumbers(val) };
}

class Connector {
  constructor(options, threads, catalog) {
    this.options = options;
    this.pool = threads;
    this.catalog = catalog;
    if (options.sender) this.sender = options.sender;
    else if (options.http) this.sender = createDefaultSender(options.http);
    else this.sender = defaultSender ??= createDefaultSender();
    const commands = {};
    for (const command of catalog.commands) {
      commands[camel(command.name)] = (...args) => this.#typed(camel(command.name), args);
    }
    this.commands = Object.freeze(commands);
  }

  /** The catalog: every command with its parameters and its input's JSON Schema (draft 2020-12). */
  describe() {
    return this.catalog;
  }

  /**
   * Runs `command` with `input` and resolves to the component's answer as JSON text, exactly as
   * it wrote it: `{"ok": <output>}` or `{"error": {"kind": ..., "message": ..., ...}}`. Nothing
   * is parsed, so numbers beyond 2^53 and key order survive; use it to pass answers on as text.
   * @param {string} command
   * @param {object | string} [input] an object, or JSON text passed unchanged
   */
  async executeJson(command, input = {}, options = {}) {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const result = await this.#run({ kind: 'execute-json', command, input: text }, options);
    return result.ok;
  }

  /**
   * Runs `command` with `input` and resolves to its output, or rejects with a ConnectorError.
   * @param {string} command
   * @param {object | string} [input]
   */
  async execute(command, input = {}, options = {}) {
    const envelope = JSON.parse(await this.executeJson(command, input, options));
    if ('error' in envelope) throw new ConnectorError(envelope.error);
    return envelope.ok;
  }

  async #typed(name, args) {
    const result = await this.#run({ kind: 'typed', function: name, args });
    if ('missing' in result) throw new TypeError(`the component has no typed function ${name}`);
    if ('error' in result) throw new ConnectorError(typedError(result.error));
    return result.ok;
  }

  async #run(message, { timeoutMs } = {}) {
    const options = this.options;
    const exchange = new Exchange(this);
    const task = {
      ...message,
      secrets: { accessToken: secretOf(options.accessToken), clientSecret: secretOf(options.clientSecret) },
      settings: await resolveSettings(options.settings),
      clock: options.clock,
    };
    const limit = timeoutMs ?? options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    let result;
    try {
      result = await this.pool.run(task, { rpc: (m) => exchange.rpc(m) }, { timeoutMs: limit });
    } finally {
      await exchange.close();
    }
    if ((result.stdout || result.stderr) && options.onOutput) {
      options.onOutput({ stdout: result.stdout ?? '', stderr: result.stderr ?? '' });
    }
    if (result.timeout) {
      throw new ConnectorError({
        kind: 'transport',
        reason: 'timeout',
        message: `The call was stopped after ${Math.round(limit / 1000)} s, the host's limit for one call; retry later.`,
      });
    }
    if ('trap' in result) {
      const detail = result.stderr ? ` (${result.stderr.trim().split('\n').slice(-1)[0]})` : '';
      throw new Error(`the connector failed inside the component: ${result.trap}${detail}`);
    }
    return result;
  }
}

/**
 * A connector for one datasource (one tenant's LinkedIn account). Connectors share the compiled
 * component and the pool of threads; each call runs on a fresh instance.
 * @param {import('./index.d.ts').ConnectorOptions} [options]
 */
export async function createConnector(options = {}) {
  const threads = pool(options);
  const catalog = await loadCatalog(threads);
  return new Connector(options, threads, catalog);
}
