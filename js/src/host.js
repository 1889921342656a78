// The component's imports, implemented for one worker thread: the small part of WASI 0.2 the
// connector uses (wasi:io, wasi:clocks, wasi:http's outgoing side, wasi:cli's stdio and an
// empty environment, wasi:random's insecure seed) and the connector's own `credentials`.
//
// Why not preview2-shim: its wasi:http sends through module-level agents with no hook for
// address checks, waits up to 600 s by default, and does its I/O on a thread of its own. Here
// every import is synchronous in the worker that runs the call, and each request goes to the
// main thread (`call.rpc`), where the platform's sender, or the default one with its address
// policy and time bounds, answers it while the worker waits. That also lets tests inject
// faults and a virtual clock without touching the network.
//
// One `CallContext` is current at a time (a worker runs one call at a time); the import object
// is built once per worker and reads it.

const symbolDispose = Symbol.dispose || Symbol.for('dispose');

/** Headers a guest may neither send nor see (wasmtime-wasi-http's DEFAULT_FORBIDDEN_HEADERS). */
const FORBIDDEN_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const OUTPUT_CAP = 64 * 1024;

/** The call being run; set by the worker around each call. */
let call = null;

/** Makes `context` the current call (or none). */
export function setCall(context) {
  call = context;
}

function current() {
  if (!call) throw new Error('the connector used a host function outside a call');
  return call;
}

/** Everything one call needs from the worker's side. */
export class CallContext {
  /**
   * @param {object} task the call as the main thread sent it
   * @param {(message: object, transfer?: Transferable[]) => any} rpc a blocking request to the
   *   main thread
   */
  constructor(task, rpc) {
    this.rpc = rpc;
    this.secrets = task.secrets;
    this.settings = new Map(Object.entries(task.settings ?? {}));
    this.virtual = Boolean(task.clock?.virtual);
    this.monoStart = process.hrtime.bigint();
    this.skipped = 0n;
    this.wallStartNs = task.clock?.now !== undefined ? BigInt(task.clock.now) * 1_000_000n : undefined;
    this.stdout = [];
    this.stderr = [];
    this.outputBytes = 0;
  }

  /** The monotonic clock in ns: real time, or in virtual mode only the time slept. */
  monotonic() {
    if (this.virtual) return this.monoStart + this.skipped;
    return process.hrtime.bigint() + this.skipped;
  }

  /** Waits until the monotonic clock reaches `deadline`; a virtual clock jumps there. */
  sleepUntil(deadline) {
    for (;;) {
      const left = deadline - this.monotonic();
      if (left <= 0n) return;
      if (this.virtual) {
        this.skipped += left;
        return;
      }
      Atomics.wait(sleepCell, 0, 0, Math.max(1, Math.ceil(Number(left) / 1e6)));
    }
  }

  /** Wall clock in ns since the epoch. */
  wall() {
    if (this.wallStartNs !== undefined) return this.wallStartNs + (this.monotonic() - this.monoStart);
    if (this.virtual) return BigInt(Date.now()) * 1_000_000n + this.skipped;
    return BigInt(Date.now()) * 1_000_000n;
  }

  capture(stream, bytes) {
    if (this.outputBytes >= OUTPUT_CAP) return;
    const piece = bytes.subarray(0, OUTPUT_CAP - this.outputBytes);
    this.outputBytes += piece.length;
    (stream === 'stdout' ? this.stdout : this.stderr).push(utf8.decode(piece));
  }

  /** A secret: the value given with the call, or asked of the main thread when it is lazy. */
  secret(name) {
    let answer = this.secrets?.[name];
    if (answer?.lazy) {
      answer = this.rpc({ op: 'secret', name });
      this.secrets[name] = answer;
    }
    if (answer && typeof answer.value === 'string') return { tag: 'ok', val: answer.value };
    if (answer?.unavailable !== undefined) return { tag: 'err', val: { tag: 'unavailable', val: answer.unavailable } };
    const what = name === 'accessToken' ? 'no LinkedIn access token' : 'no LinkedIn client secret';
    return { tag: 'err', val: { tag: 'not-configured', val: `the datasource has ${what} configured` } };
  }
}

// ---- wasi:io --------------------------------------------------------------------------------

class IoError {
  #message;
  constructor(message) {
    this.#message = message;
  }
  toDebugString() {
    return this.#message;
  }
}

class Pollable {
  #wait;
  /** @param {(() => void) | undefined} wait blocks until ready; none means ready now */
  constructor(wait) {
    this.#wait = wait;
  }
  ready() {
    return this.#wait === undefined;
  }
  block() {
    if (this.#wait) {
      const wait = this.#wait;
      this.#wait = undefined;
      wait();
    }
  }
}

class InputStream {
  #source;
  /** @param {{read(): Uint8Array | null, drop?(): void}} source `read` blocks; null is the end */
  constructor(source) {
    this.#source = source;
    this.buffer = undefined;
    this.closed = false;
  }
  #fill() {
    while (!this.closed && (!this.buffer || this.buffer.length === 0)) {
      const chunk = this.#source.read();
      if (chunk === null) this.closed = true;
      else this.buffer = chunk;
    }
  }
  read(len) {
    return this.blockingRead(len);
  }
  blockingRead(len) {
    const n = Number(len);
    if (n === 0) return new Uint8Array(0);
    // Errors are returned as the result's `err` rather than thrown: the end of every body is
    // one, and a throw costs more than the read.
    try {
      this.#fill();
    } catch (error) {
      this.closed = true;
      return { tag: 'err', val: { tag: 'last-operation-failed', val: new IoError(String(error?.message ?? error)) } };
    }
    if (this.closed && (!this.buffer || this.buffer.length === 0)) return { tag: 'err', val: { tag: 'closed' } };
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(out.length);
    return out;
  }
  skip(len) {
    const read = this.blockingRead(len);
    return read instanceof Uint8Array ? BigInt(read.length) : read;
  }
  blockingSkip(len) {
    return this.skip(len);
  }
  subscribe() {
    return new Pollable();
  }
  [symbolDispose]() {
    this.#source.drop?.();
  }
}

class OutputStream {
  #sink;
  /** @param {(bytes: Uint8Array) => void} sink */
  constructor(sink) {
    this.#sink = sink;
  }
  checkWrite() {
    return 1048576n;
  }
  write(contents) {
    this.#sink(contents);
  }
  blockingWriteAndFlush(contents) {
    this.#sink(contents);
  }
  flush() {}
  blockingFlush() {}
  writeZeroes(len) {
    this.#sink(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    this.writeZeroes(len);
  }
  subscribe() {
    return new Pollable();
  }
}

// ---- wasi:http (the outgoing side) -----------------------------------------------------------

function validName(name) {
  return typeof name === 'string' && TOKEN.test(name);
}

function validValue(bytes) {
  for (const b of bytes) if (b === 0 || b === 10 || b === 13) return false;
  return true;
}

class Fields {
  #entries = [];
  #immutable = false;

  static fromList(entries) {
    const fields = new Fields();
    for (const [name, value] of entries) {
      if (!validName(name) || !validValue(value)) throw { tag: 'invalid-syntax' };
      if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw { tag: 'forbidden' };
      fields.#entries.push([name, value.slice()]);
    }
    return fields;
  }

  /** Headers of a response: names in lower case, forbidden ones left out, immutable. */
  static _response(pairs) {
    const fields = new Fields();
    for (const [name, value] of pairs) {
      const lower = name.toLowerCase();
      if (FORBIDDEN_HEADERS.has(lower)) continue;
      fields.#entries.push([lower, value]);
    }
    fields.#immutable = true;
    return fields;
  }

  get(name) {
    const lower = name.toLowerCase();
    return this.#entries.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }
  has(name) {
    return this.get(name).length > 0;
  }
  set(name, values) {
    if (this.#immutable) throw { tag: 'immutable' };
    if (!validName(name) || !values.every(validValue)) throw { tag: 'invalid-syntax' };
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw { tag: 'forbidden' };
    this.delete(name);
    for (const value of values) this.#entries.push([name, value.slice()]);
  }
  delete(name) {
    if (this.#immutable) throw { tag: 'immutable' };
    const lower = name.toLowerCase();
    this.#entries = this.#entries.filter(([n]) => n.toLowerCase() !== lower);
  }
  append(name, value) {
    if (this.#immutable) throw { tag: 'immutable' };
    if (!validName(name) || !validValue(value)) throw { tag: 'invalid-syntax' };
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw { tag: 'forbidden' };
    this.#entries.push([name, value.slice()]);
  }
  entries() {
    return this.#entries.map(([n, v]) => [n, v]);
  }
  clone() {
    const copy = new Fields();
    copy.#entries = this.entries();
    return copy;
  }
  _lock() {
    this.#immutable = true;
    return this;
  }
}

class RequestOptions {
  #connect;
  #firstByte;
  #betweenBytes;
  connectTimeout() {
    return this.#connect;
  }
  setConnectTimeout(duration) {
    this.#connect = duration;
  }
  firstByteTimeout() {
    return this.#firstByte;
  }
  setFirstByteTimeout(duration) {
    this.#firstByte = duration;
  }
  betweenBytesTimeout() {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(duration) {
    this.#betweenBytes = duration;
  }
}

class OutgoingBody {
  constructor() {
    this.chunks = [];
    this.size = 0;
    this.finished = false;
    this.stream = undefined;
  }
  write() {
    if (this.stream) throw undefined;
    this.stream = new OutputStream((bytes) => {
      if (this.finished) throw { tag: 'closed' };
      this.chunks.push(bytes.slice());
      this.size += bytes.length;
    });
    return this.stream;
  }
  static finish(body, _trailers) {
    body.finished = true;
  }
  bytes() {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = [];
    return out;
  }
}

// Bytes http::uri accepts in a path and in a query (what wasmtime checks with).
const PATH_OK = (b) =>
  b === 0x21 || (b >= 0x24 && b <= 0x3b) || b === 0x3d || (b >= 0x40 && b <= 0x5f) ||
  (b >= 0x61 && b <= 0x7a) || b === 0x7c || b === 0x7e || b === 0x22 || b === 0x7b || b === 0x7d || b >= 0x80;
const QUERY_OK = (b) => b === 0x21 || (b >= 0x24 && b <= 0x3b) || b === 0x3d || (b >= 0x3f && b <= 0x7e) || b >= 0x80;

/** The path and query as http::uri would keep them (a fragment dropped), or undefined if invalid. */
function pathAndQuery(text) {
  if (text === '') return '';
  if (!/^[/?#]/.test(text)) return undefined;
  const bytes = encoder.encode(text);
  let inQuery = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x23) return text.slice(0, utf8.decode(bytes.subarray(0, i)).length);
    if (!inQuery && b === 0x3f) {
      inQuery = true;
      continue;
    }
    if (!(inQuery ? QUERY_OK(b) : PATH_OK(b))) return undefined;
  }
  return text;
}

const AUTHORITY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%:]*@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

class OutgoingRequest {
  #headers;
  #method = { tag: 'get' };
  #scheme;
  #authority;
  #path;
  #body;
  constructor(headers) {
    this.#headers = headers._lock();
  }
  body() {
    if (this.#body) throw undefined;
    this.#body = new OutgoingBody();
    return this.#body;
  }
  method() {
    return this.#method;
  }
  setMethod(method) {
    if (method.tag === 'other' && !TOKEN.test(method.val)) throw undefined;
    this.#method = method;
  }
  pathWithQuery() {
    return this.#path;
  }
  setPathWithQuery(path) {
    if (path !== undefined && pathAndQuery(path) === undefined) throw undefined;
    this.#path = path;
  }
  scheme() {
    return this.#scheme;
  }
  setScheme(scheme) {
    if (scheme?.tag === 'other' && !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme.val)) throw undefined;
    this.#scheme = scheme;
  }
  authority() {
    return this.#authority;
  }
  setAuthority(authority) {
    if (authority !== undefined && !AUTHORITY.test(authority)) throw undefined;
    this.#authority = authority;
  }
  headers() {
    return this.#headers;
  }

  /** The request as the main thread gets it, or the error code `handle` fails with. */
  _prepare() {
    const scheme = this.#scheme;
    let schemeText = 'https';
    if (scheme?.tag === 'HTTP') schemeText = 'http';
    else if (scheme?.tag === 'other') {
      const lower = scheme.val.toLowerCase();
      if (lower !== 'http' && lower !== 'https') return { error: { tag: 'HTTP-protocol-error' } };
      schemeText = lower;
    }
    const authority = this.#authority ?? '';
    if (authority === '') return { error: { tag: 'HTTP-request-URI-invalid' } };
    const path = pathAndQuery(this.#path ?? '') ?? '';
    const method = this.#method.tag === 'other' ? this.#method.val : this.#method.tag.toUpperCase();
    const headers = this.#headers.entries().map(([n, v]) => [n.toLowerCase(), utf8.decode(v)]);
    const declared = headers.find(([n]) => n === 'content-length');
    if (!this.#body && declared && declared[1].trim() !== '0') {
      return { error: { tag: 'HTTP-request-body-size', val: 0n } };
    }
    return { method, url: `${schemeText}://${authority}${path || '/'}`, headers, body: this.#body };
  }
}

class IncomingBody {
  #stream;
  constructor(stream) {
    this.#stream = stream;
  }
  stream() {
    if (!this.#stream) throw undefined;
    const stream = this.#stream;
    this.#stream = undefined;
    return stream;
  }
  static finish(_body) {
    return new FutureTrailers();
  }
  [symbolDispose]() {
    // A stream never taken still holds the main thread's reader.
    if (this.#stream) this.#stream[symbolDispose]();
  }
}

class FutureTrailers {
  #taken = false;
  subscribe() {
    return new Pollable();
  }
  get() {
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

class IncomingResponse {
  #status;
  #headers;
  #body;
  constructor(status, headers, body) {
    this.#status = status;
    this.#headers = headers;
    this.#body = body;
  }
  status() {
    return this.#status;
  }
  headers() {
    return this.#headers;
  }
  consume() {
    if (!this.#body) throw undefined;
    const body = this.#body;
    this.#body = undefined;
    return body;
  }
  [symbolDispose]() {
    if (this.#body) this.#body[symbolDispose]();
  }
}

/** A body held whole, or read chunk by chunk from the main thread. */
function bodyStream(context, reply) {
  if (reply.bodyId === undefined) {
    let body = reply.body ?? new Uint8Array(0);
    return new InputStream({
      read() {
        const chunk = body;
        body = null;
        return chunk;
      },
    });
  }
  let done = false;
  return new InputStream({
    read() {
      if (done) return null;
      const answer = context.rpc({ op: 'read', id: reply.bodyId });
      if (answer.error !== undefined) {
        done = true;
        throw new Error(answer.error);
      }
      if (answer.end) {
        done = true;
        return null;
      }
      return answer.chunk;
    },
    drop() {
      if (!done) {
        done = true;
        context.rpc({ op: 'drop', id: reply.bodyId });
      }
    },
  });
}

class FutureIncomingResponse {
  #request;
  #outcome;
  #taken = false;
  constructor(request) {
    this.#request = request;
  }
  #ready() {
    const body = this.#request.body;
    return !body || body.finished || body.stream === undefined;
  }
  /** Sends the request (blocking) once its body is complete. */
  #resolve() {
    if (this.#outcome) return;
    const context = current();
    const { method, url, headers, body } = this.#request;
    const bytes = body ? body.bytes() : new Uint8Array(0);
    const reply = context.rpc({ op: 'send', request: { method, url, headers, body: bytes } }, [bytes.buffer]);
    if (reply.error !== undefined) {
      this.#outcome = { tag: 'err', val: reply.error };
      return;
    }
    const fields = Fields._response(reply.headers.map(([n, v]) => [n, typeof v === 'string' ? encoder.encode(v) : v]));
    this.#outcome = {
      tag: 'ok',
      val: new IncomingResponse(reply.status, fields, new IncomingBody(bodyStream(context, reply))),
    };
  }
  subscribe() {
    return new Pollable(() => this.#resolve());
  }
  get() {
    if (this.#taken) return { tag: 'err', val: undefined };
    if (!this.#outcome) {
      if (!this.#ready()) return undefined;
      this.#resolve();
    }
    this.#taken = true;
    return { tag: 'ok', val: this.#outcome };
  }
}

function handle(request, _options) {
  const prepared = request._prepare();
  if (prepared.error) return { tag: 'err', val: prepared.error };
  return { tag: 'ok', val: new FutureIncomingResponse(prepared) };
}

// ---- wasi:cli --------------------------------------------------------------------------------

class TerminalInput {}
class TerminalOutput {}

const stdin = new InputStream({ read: () => null });

function outputTo(name) {
  return new OutputStream((bytes) => current().capture(name, bytes));
}

// ---- the import object -----------------------------------------------------------------------

/** The import object for jco's `instantiate`, keyed as the generated code reads it. */
export function imports() {
  return {
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': {
      Pollable,
      poll(list) {
        list.forEach((p) => p.block());
        return new Uint32Array(list.map((_, i) => i));
      },
    },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:clocks/monotonic-clock': {
      now: () => current().monotonic(),
      resolution: () => 1n,
      subscribeInstant(when) {
        const context = current();
        return new Pollable(() => context.sleepUntil(when));
      },
      subscribeDuration(duration) {
        const context = current();
        const deadline = context.monotonic() + duration;
        return new Pollable(() => context.sleepUntil(deadline));
      },
    },
    'wasi:clocks/wall-clock': {
      now() {
        const ns = current().wall();
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    },
    'wasi:http/types': {
      Fields,
      FutureIncomingResponse,
      FutureTrailers,
      IncomingBody,
      IncomingResponse,
      OutgoingBody,
      OutgoingRequest,
      RequestOptions,
    },
    'wasi:http/outgoing-handler': { handle },
    'wasi:cli/environment': {
      getEnvironment: () => [],
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    'wasi:cli/exit': {
      exit(status) {
        throw new Error(`the connector exited (${status.tag === 'ok' ? 'success' : 'failure'})`);
      },
    },
    'wasi:cli/stdin': { getStdin: () => stdin },
    'wasi:cli/stdout': { getStdout: () => outputTo('stdout') },
    'wasi:cli/stderr': { getStderr: () => outputTo('stderr') },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    'wasi:random/insecure-seed': {
      insecureSeed() {
        const words = crypto.getRandomValues(new BigUint64Array(2));
        return [words[0], words[1]];
      },
    },
    'connector:linkedin/credentials': {
      accessToken: () => current().secret('accessToken'),
      clientSecret: () => current().secret('clientSecret'),
      setting: (name) => current().settings.get(name),
    },
    'connector:linkedin/types': {},
  };
}
