// The default sender: what the README asks of any host that runs the component.
//
// - The host name is resolved once, as an absolute name (no resolver search list), and the
//   request is refused (`denied`) when any of its addresses is not public (src/address.js);
//   the connection then goes to an address that was checked, never through a second lookup.
//   IP literals are checked the same way.
// - Redirects are not followed: the 3xx goes back to the component.
// - Connecting (DNS, TCP, TLS) and the wait for the response head are each bounded, and so is
//   every pause while the body streams in.
// - TLS is verified against the URL's host name (Node's default CA store).
// - Authorization goes to https://linkedin.com and its subdomains only (the component already
//   guarantees it; a host checks what it can).
//
// `lookup` replaces the system resolver (a caching resolver of the platform's; tests); the policy
// checks whatever it returns. `endpoint` sends LinkedIn's requests to another base URL instead (a local test server); the
// address policy still applies to it, so a loopback endpoint also needs `allowLoopback`.

import { lookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { refusal } from './address.js';
import { TransportFault } from './errors.js';

/** The bounds used when the options give none. */
export const DEFAULT_HTTP = {
  endpoint: undefined,
  lookup: undefined,
  connectTimeoutMs: 10_000,
  firstByteTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  allowLoopback: false,
  allowPrivate: false,
};

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

/** The fault a Node error is, as the component's transport reasons tell them apart. */
function classify(error) {
  if (error instanceof TransportFault) return error;
  const code = error?.code ?? '';
  let fault = 'protocol-error';
  if (DNS_CODES.has(code)) fault = 'dns';
  else if (REFUSED_CODES.has(code)) fault = 'connection-refused';
  else if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') fault = 'timeout';
  else if (TLS_CODES.test(code)) fault = 'tls';
  return new TransportFault(fault, error?.message ?? String(error), { cause: error });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new TransportFault('timeout', `${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Whether `url` is LinkedIn's over HTTPS (linkedin.com or a subdomain). */
export function bearerAllowed(url) {
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && (host === 'linkedin.com' || host.endsWith('.linkedin.com'));
}

/** The addresses of `host`, every one allowed by the policy (else the request is refused). */
async function resolveChecked(host, policy, timeoutMs, resolver) {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  let addresses;
  if (isIP(bare)) {
    addresses = [{ address: bare, family: isIP(bare) }];
  } else {
    // A trailing dot makes the name absolute: `redis.default` must not become a cluster
    // service through the resolver's search list.
    const absolute = bare.endsWith('.') ? bare : `${bare}.`;
    try {
      const resolving = resolver ? resolver(bare) : lookup(absolute, { all: true, verbatim: true });
      addresses = await withTimeout(resolving, timeoutMs, 'resolving the host');
    } catch (error) {
      throw classify(error);
    }
    if (addresses.length === 0) throw new TransportFault('dns', `${bare} has no address`);
  }
  for (const { address } of addresses) {
    const why = refusal(address, policy);
    if (why) throw new TransportFault('denied', `refused ${bare}: ${why}`);
  }
  return addresses;
}

/**
 * A sender with the default policy, widened or bounded by `options`.
 * @param {Partial<typeof DEFAULT_HTTP>} [options]
 */
export function createDefaultSender(options = {}) {
  const settings = { ...DEFAULT_HTTP, ...options };
  const policy = { allowLoopback: settings.allowLoopback, allowPrivate: settings.allowPrivate };
  // One pool of connections per policy: a connection opened for a sender that allows loopback
  // is never reused by one that does not.
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout: settings.idleTimeoutMs }),
    'https:': new HttpsAgent({ keepAlive: true, timeout: settings.idleTimeoutMs }),
  };

  const endpoint = settings.endpoint ? new URL(settings.endpoint) : undefined;

  return async function send(request) {
    let url;
    try {
      url = new URL(request.url);
    } catch {
      throw new TransportFault('protocol-error', 'the URL does not parse');
    }
    const toLinkedIn = bearerAllowed(url);
    if (!toLinkedIn && request.headers.some(([n]) => n.toLowerCase() === 'authorization')) {
      throw new TransportFault('denied', `refused to send Authorization to ${url.origin}`);
    }
    if (endpoint && toLinkedIn) {
      url = new URL(`${endpoint.href.replace(/\/$/, '')}${url.pathname}${url.search}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TransportFault('protocol-error', `${url.protocol} is not HTTP`);
    }
    const started = Date.now();
    const addresses = await resolveChecked(url.hostname, policy, settings.connectTimeoutMs, settings.lookup);
    const left = Math.max(1, settings.connectTimeoutMs - (Date.now() - started));
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    // With headers given as a list, Node adds no Host: it is the URL's authority, as wasmtime sends it.
    const headers = ['host', url.host];
    let hasLength = false;
    for (const [name, value] of request.headers) {
      if (name.toLowerCase() === 'content-length') hasLength = true;
      // Header bytes go on the wire as Latin-1 code units; the component's are UTF-8 text.
      headers.push(name, Buffer.from(value, 'utf8').toString('latin1'));
    }
    const body = request.body ?? new Uint8Array(0);
    if (!hasLength && (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method))) {
      headers.push('content-length', String(body.length));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send({
        agent: agents[url.protocol],
        method: request.method,
        host: hostname,
        servername: isIP(hostname) ? undefined : hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers,
        lookup: (_name, opts, callback) => {
          if (opts?.all) callback(null, addresses);
          else callback(null, addresses[0].address, addresses[0].family);
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new TransportFault('timeout', 'connecting took too long'));
      }, left);
      req.on('socket', (socket) => {
        const connected = () => {
          clearTimeout(timer);
          req.setTimeout(settings.firstByteTimeoutMs, () => {
            req.destroy(new TransportFault('timeout', `no answer within ${settings.firstByteTimeoutMs} ms`));
          });
        };
        if (socket.connecting) {
          socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
        } else {
          connected();
        }
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(classify(error));
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        req.setTimeout(0);
        res.setTimeout(settings.idleTimeoutMs, () => {
          res.destroy(new TransportFault('timeout', `the answer stalled for ${settings.idleTimeoutMs} ms`));
        });
        const pairs = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          pairs.push([res.rawHeaders[i], Buffer.from(res.rawHeaders[i + 1], 'latin1')]);
        }
        resolve({ status: res.statusCode, headers: pairs, body: res });
      });
      req.end(body.length > 0 ? body : undefined);
    });
  };
}
