// Replays one fixture case through the package, under the rules of the fixture format
// (fixtures/README.md): the same checks host-test makes, done by a JavaScript host.
//
// The case's `input` and every `json` response body reach the component as the text the file
// holds (keys in the order written, numbers as written); requests are checked in order against
// the interactions; faults become the sender's TransportFault; `now` pins the wall clock, and
// the clock is virtual, so the one-call media post's polling takes no real time.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConnector, TransportFault } from '../src/index.js';
import { compact, diff, equal, get, keys, parse, strings } from './json.js';

const CASE_KEYS = ['description', 'command', 'input', 'inputText', 'credentials', 'settings', 'now', 'interactions', 'expect'];
const REQUEST_KEYS = ['method', 'url', 'headers', 'json', 'jsonContains', 'body', 'bodyBase64'];
const RESPONSE_KEYS = ['status', 'headers', 'json', 'body', 'bodyBase64'];
const FAULTS = ['connection-refused', 'timeout', 'dns', 'protocol-error', 'tls', 'denied'];

export const DEFAULT_CREDENTIALS = { accessToken: 'test-token', clientSecret: 'test-secret' };
export const DEFAULT_SETTINGS = { linkedinVersion: '202609' };

function text(node, what) {
  if (node?.type !== 'string') throw new Error(`${what} must be a string`);
  return node.value;
}

function onlyKeys(node, allowed, what) {
  if (node?.type !== 'object') throw new Error(`${what} must be an object`);
  const unknown = keys(node).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`${what} has unknown keys: ${unknown.join(', ')}`);
}

function bodyKeys(node, allowed, what) {
  const given = allowed.filter((k) => get(node, k) !== undefined);
  if (given.length > 1) throw new Error(`${what} gives more than one of ${allowed.join(', ')}`);
  return given[0];
}

/** Every `*.json` under the given files and folders, each once, sorted path component by component. */
export function collect(paths) {
  const out = [];
  const walk = (path) => {
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else if (path.endsWith('.json')) out.push(path);
  };
  for (const path of paths) walk(resolve(path));
  return [...new Set(out)].sort((a, b) => {
    const [x, y] = [a.split('/'), b.split('/')];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  });
}

/** Loads and checks a case file, keeping the raw JSON of its values. */
export function load(path) {
  const root = parse(readFileSync(path, 'utf8'));
  onlyKeys(root, CASE_KEYS, 'the case');
  const input = get(root, 'input');
  const inputText = get(root, 'inputText');
  if (input !== undefined && inputText !== undefined) throw new Error('give either input or inputText, not both');
  const interactions = (get(root, 'interactions')?.items ?? []).map((interaction, i) => {
    onlyKeys(interaction, ['request', 'response'], `interaction ${i}`);
    const request = get(interaction, 'request');
    const response = get(interaction, 'response');
    onlyKeys(request, REQUEST_KEYS, `interaction ${i}.request`);
    bodyKeys(request, ['json', 'jsonContains', 'body', 'bodyBase64'], `interaction ${i}.request`);
    if (get(response, 'fault') !== undefined) {
      onlyKeys(response, ['fault'], `interaction ${i}.response`);
      if (!FAULTS.includes(text(get(response, 'fault'), 'fault'))) throw new Error(`interaction ${i}: unknown fault`);
    } else {
      onlyKeys(response, RESPONSE_KEYS, `interaction ${i}.response`);
      bodyKeys(response, ['json', 'body', 'bodyBase64'], `interaction ${i}.response`);
      if (get(response, 'status')?.type !== 'number') throw new Error(`interaction ${i}: response.status is missing`);
    }
    return { request, response, method: text(get(request, 'method'), 'method'), url: text(get(request, 'url'), 'url') };
  });
  const expect = get(root, 'expect');
  onlyKeys(expect, ['ok', 'error'], 'expect');
  if (keys(expect).length !== 1) throw new Error('expect needs exactly one of ok and error');
  if (get(expect, 'error') && !get(get(expect, 'error'), 'kind')) throw new Error('expect.error needs a kind');
  const credentials = get(root, 'credentials');
  if (credentials !== undefined) onlyKeys(credentials, ['accessToken', 'clientSecret'], 'credentials');
  const settings = get(root, 'settings');
  if (settings !== undefined) onlyKeys(settings, keys(settings), 'settings');
  const now = get(root, 'now');
  return {
    description: text(get(root, 'description'), 'description'),
    command: text(get(root, 'command'), 'command'),
    // The text the component gets: the value exactly as the file writes it, or inputText itself.
    input: inputText !== undefined ? text(inputText, 'inputText') : input !== undefined ? input.raw : '{}',
    credentials,
    settings,
    now: now === undefined ? undefined : Number(now.raw),
    interactions,
    expect,
  };
}

/** RFC 3986 normalisation of a query name or value, and nothing more (as host-test does). */
export function normalise(part) {
  return part.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function querySet(query) {
  const counts = new Map();
  for (const pair of query.split('&').filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    const key = at < 0 ? `${normalise(pair)}=` : `${normalise(pair.slice(0, at))}=${normalise(pair.slice(at + 1))}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function sameSet(a, b) {
  return a.size === b.size && [...a].every(([k, n]) => b.get(k) === n);
}

function compareUrl(expected, sent, out) {
  const split = (url) => {
    const at = url.indexOf('?');
    return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
  };
  const [wantBase, wantQuery] = split(expected);
  const [gotBase, gotQuery] = split(sent);
  if (wantBase !== gotBase) out.push(`url: expected ${wantBase}, sent ${gotBase}`);
  if (!sameSet(querySet(wantQuery), querySet(gotQuery))) {
    out.push(`query: expected ${wantQuery}, sent ${gotQuery} (compared as parameters after RFC 3986 normalisation)`);
  }
}

function header(request, name) {
  const found = request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
  return found?.[1];
}

function redactBearer(value) {
  const at = value.indexOf(' ');
  return at < 0 ? '[redacted]' : `${value.slice(0, at)} [redacted]`;
}

/** Every way `sent` differs from the interaction's request; empty when it matches. */
export function compare(expected, sent) {
  const out = [];
  if (expected.method.toUpperCase() !== sent.method.toUpperCase()) {
    out.push(`method: expected ${expected.method}, sent ${sent.method}`);
  }
  compareUrl(expected.url, sent.url, out);
  for (const [name, value] of get(expected.request, 'headers')?.entries ?? []) {
    const got = header(sent, name);
    if (value.type === 'null') {
      if (got !== undefined) out.push(`header ${name}: must be absent, but was sent`);
    } else if (got === undefined) {
      out.push(`header ${name}: expected ${JSON.stringify(value.value)}, not sent`);
    } else if (got !== value.value) {
      const shown = name.toLowerCase() === 'authorization' ? redactBearer(got) : got;
      out.push(`header ${name}: expected ${JSON.stringify(value.value)}, sent ${JSON.stringify(shown)}`);
    }
  }
  const body = Buffer.from(sent.body);
  const json = get(expected.request, 'json');
  const contains = get(expected.request, 'jsonContains');
  const textBody = get(expected.request, 'body');
  const base64 = get(expected.request, 'bodyBase64');
  if (json || contains) {
    let got;
    try {
      got = parse(body.toString('utf8'));
    } catch {
      out.push(`body: expected JSON, sent ${body.length === 0 ? 'no body' : `${body.length} bytes that are not JSON`}`);
    }
    if (got) diff(json ?? contains, got, '$', !json, out);
  } else if (textBody || base64) {
    const want = textBody ? Buffer.from(textBody.value, 'utf8') : Buffer.from(base64.value, 'base64');
    if (!want.equals(body)) {
      let at = 0;
      while (at < Math.min(want.length, body.length) && want[at] === body[at]) at++;
      out.push(`body: expected ${want.length} bytes, sent ${body.length} bytes that differ (first at byte ${at})`);
    }
  } else if (body.length > 0) {
    out.push(`body: expected none, sent ${body.length} bytes`);
  }
  return out;
}

/** Whether a request may carry Authorization: https to linkedin.com or a subdomain. */
export function bearerAllowed(url) {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.toLowerCase();
    return parsed.protocol === 'https:' && (host === 'linkedin.com' || host.endsWith('.linkedin.com'));
  } catch {
    return false;
  }
}

function describeSent(request) {
  const lines = [`  ${request.method} ${request.url}`];
  for (const [name, value] of request.headers) {
    lines.push(`  ${name}: ${name.toLowerCase() === 'authorization' ? redactBearer(value) : value}`);
  }
  const body = Buffer.from(request.body);
  if (body.length > 0) lines.push(body.length <= 4096 ? `  body: ${body.toString('utf8')}` : `  body: ${body.length} bytes`);
  return lines.join('\n');
}

/** The answer an interaction gives, as a sender returns it. */
export function answer(response) {
  const fault = get(response, 'fault');
  if (fault) throw new TransportFault(fault.value, `fixture fault ${fault.value}`);
  const headers = (get(response, 'headers')?.entries ?? []).map(([n, v]) => [n, v.value]);
  const json = get(response, 'json');
  const textBody = get(response, 'body');
  const base64 = get(response, 'bodyBase64');
  // A json body is sent as the file's own text: key order, numbers and white space as written.
  const body = json
    ? Buffer.from(json.raw, 'utf8')
    : textBody
      ? Buffer.from(textBody.value, 'utf8')
      : base64
        ? Buffer.from(base64.value, 'base64')
        : Buffer.alloc(0);
  // A real server declares the length of a body it has whole.
  if (!headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push(['content-length', String(body.length)]);
  return { status: Number(get(response, 'status').raw), headers, body: new Uint8Array(body) };
}

/** The interactions of one run, consumed in order, and what went wrong with them. */
export class Script {
  constructor(interactions) {
    this.interactions = interactions;
    this.next = 0;
    this.sent = 0;
    this.failures = [];
    this.violations = [];
  }

  /** The sender the connector gets. */
  send = async (request) => {
    const number = this.sent++;
    const auth = header(request, 'authorization');
    if (auth !== undefined && !bearerAllowed(request.url)) {
      this.violations.push(`request ${number} carries Authorization to a host that must not get it: ${request.method} ${request.url}`);
    }
    const expected = this.interactions[this.next];
    if (!expected) {
      this.failures.push(
        `unexpected request ${number} (all ${this.interactions.length} interactions were used):\n${describeSent(request)}`,
      );
      throw new TransportFault('denied', 'no interaction left');
    }
    const differences = compare(expected, request);
    if (differences.length === 0) {
      this.next++;
      return answer(expected.response);
    }
    let closest = this.next;
    let closestDifferences = differences;
    this.interactions.slice(this.next).forEach((interaction, i) => {
      const d = compare(interaction, request);
      if (d.length < closestDifferences.length) {
        closest = this.next + i;
        closestDifferences = d;
      }
    });
    const shown = this.interactions[closest];
    this.failures.push(
      `unexpected request ${number}:\n${describeSent(request)}\nclosest expected is interaction ${closest}: ${shown.method} ${shown.url}\n${closestDifferences.map((d) => `  * ${d}`).join('\n')}`,
    );
    throw new TransportFault('denied', 'the request matches no interaction');
  };

  finish() {
    const out = [...this.violations, ...this.failures];
    this.interactions.slice(this.next).forEach((unused, i) => {
      out.push(`interaction ${this.next + i} was never requested: ${unused.method} ${unused.url}`);
    });
    return out;
  }
}

/** Checks the result (`{ok}` or `{error}`, each a JSON node) against `expect`. */
export function checkExpect(expect, result) {
  const out = [];
  const wantOk = get(expect, 'ok');
  const wantError = get(expect, 'error');
  if (wantOk && result.ok) {
    for (const [key, value] of wantOk.entries) {
      const got = get(result.ok, key);
      if (got === undefined) out.push(`output.${key}: expected ${compact(value)}, missing from ${compact(result.ok)}`);
      else if (!equal(value, got)) out.push(`output.${key}: expected ${compact(value)}, got ${compact(got)}`);
    }
  } else if (wantOk) {
    out.push(`expected ok, got error ${compact(result.error)}`);
  } else if (result.ok) {
    out.push(`expected error ${compact(get(wantError, 'kind'))}, got ok ${compact(result.ok)}`);
  } else {
    for (const [key, value] of wantError.entries) {
      if (key === 'messageContains') {
        const message = get(result.error, 'message')?.value ?? '';
        if (!message.includes(value.value)) {
          out.push(`error.message: expected to contain ${JSON.stringify(value.value)}, got ${JSON.stringify(message)}`);
        }
        continue;
      }
      const got = get(result.error, key);
      if (got === undefined) out.push(`error.${key}: expected ${compact(value)}, missing from ${compact(result.error)}`);
      else if (!equal(value, got)) out.push(`error.${key}: expected ${compact(value)}, got ${compact(got)}`);
    }
  }
  return out;
}

/** `text` with every backslash escape of LinkedIn's little text undone. */
function littleUnescaped(text) {
  return text.replace(/\\(.)/gsu, '$1');
}

/** No secret may appear in the result, read as written or as little text, or in guest output. */
export function checkSecrets(secrets, result, output) {
  const node = result.ok ?? result.error;
  const places = [
    ['the result', compact(node)],
    ['the result read as little text', strings(node).map(littleUnescaped).join('\n')],
    ['stdout', output.stdout],
    ['stderr', output.stderr],
  ];
  const out = [];
  for (const secret of secrets) {
    for (const [place, content] of places) {
      if (content.includes(secret)) out.push(`a secret (length ${secret.length}) appears in ${place}`);
    }
  }
  return out;
}

/** An object of settings or credentials as the host holds them: text, other JSON as its text. */
function stringsOf(node) {
  const out = {};
  for (const [key, value] of node.entries) {
    if (value.type === 'null') continue;
    out[key] = value.type === 'string' ? value.value : compact(value);
  }
  return out;
}

/** Runs one case through `execute` and checks everything; returns the failures (none: passed). */
export async function replay(kase, { pool } = {}) {
  const credentials = kase.credentials ? stringsOf(kase.credentials) : DEFAULT_CREDENTIALS;
  const settings = kase.settings ? stringsOf(kase.settings) : DEFAULT_SETTINGS;
  const script = new Script(kase.interactions);
  const output = { stdout: '', stderr: '' };
  const connector = await createConnector({
    accessToken: credentials.accessToken,
    clientSecret: credentials.clientSecret,
    settings,
    sender: script.send,
    clock: { virtual: true, now: kase.now },
    pool,
    onOutput: (o) => {
      output.stdout += o.stdout;
      output.stderr += o.stderr;
    },
  });
  const failures = [];
  let result;
  try {
    const envelope = parse(await connector.executeJson(kase.command, kase.input));
    result = { ok: get(envelope, 'ok'), error: get(envelope, 'error') };
    if (keys(envelope).length !== 1 || (result.ok === undefined) === (result.error === undefined)) {
      failures.push(`execute-json returned neither {"ok": ...} nor {"error": ...}: ${compact(envelope)}`);
      return failures;
    }
  } catch (error) {
    failures.push(`the call failed: ${error?.message ?? error}`);
    return failures;
  }
  failures.push(...script.finish());
  failures.push(...checkExpect(kase.expect, result));
  const secrets = [credentials.accessToken, credentials.clientSecret].filter((s) => typeof s === 'string' && s !== '');
  failures.push(...checkSecrets(secrets, result, output));
  return failures;
}
