// The query editor's server: the built page (editor/dist, `npm run editor:build`), the catalog,
// and a Run endpoint that executes the command in Node through the package.
//
//   node editor/server.mjs [--port 8717]
//
// Without LINKEDIN_ACCESS_TOKEN every LinkedIn call is answered from the fixtures (no account
// needed); with it the calls go to LinkedIn through the package's default HTTP
// (LINKEDIN_CLIENT_SECRET, LINKEDIN_CLIENT_ID and LINKEDIN_VERSION are read too). It listens on
// 127.0.0.1 only, and answers only requests addressed to that address with the page's own
// origin: in live mode a Run posts to LinkedIn as the account, and no other web page may do it.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnector } from '../src/index.js';
import { cannedLinkedIn } from './canned.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
const fixtures = join(here, '..', '..', 'fixtures');
const portArg = process.argv.indexOf('--port');
const port = Number(portArg > 0 ? process.argv[portArg + 1] : process.env.EDITOR_PORT ?? 8717);
const MAX_BODY = 48 * 1024 * 1024;

const live = Boolean(process.env.LINKEDIN_ACCESS_TOKEN);
const canned = live ? undefined : cannedLinkedIn([fixtures]);
const settings = live
  ? {
      linkedinVersion: process.env.LINKEDIN_VERSION,
      clientId: process.env.LINKEDIN_CLIENT_ID,
    }
  : { linkedinVersion: '202609' };

function connectorOptions(command) {
  if (live) {
    return {
      accessToken: async () => process.env.LINKEDIN_ACCESS_TOKEN,
      clientSecret: async () => process.env.LINKEDIN_CLIENT_SECRET,
      settings,
    };
  }
  // The fixtures' own secrets, so that what LinkedIn "echoes" is redacted as in the tests; a
  // virtual clock, so that a media post's polling takes no time.
  return {
    accessToken: 'test-token',
    clientSecret: 'test-secret',
    settings,
    sender: canned.newCall(command),
    clock: { virtual: true },
  };
}

const catalog = (await createConnector({})).describe();
const info = JSON.stringify({
  mode: live ? 'live' : 'recorded',
  recordedPaths: canned?.size ?? 0,
  linkedinVersion: settings.linkedinVersion ?? catalog.defaultLinkedinVersion,
  catalog,
});

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

async function page(path, res) {
  const file = normalize(join(dist, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dist)) return send(res, 404, 'text/plain', 'not found');
  try {
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  } catch {
    if (path === '/') {
      return send(res, 503, 'text/plain', 'The page is not built: run `make editor` (or `npm run editor:build` in js/).');
    }
    return send(res, 404, 'text/plain', 'not found');
  }
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Ajv compiles each schema's validator into a function at run time, hence 'unsafe-eval'.
    'content-security-policy':
      "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    ...headers,
  });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('the input is larger than 48 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function run(req, res) {
  let command;
  let input;
  try {
    ({ command, input } = JSON.parse(await readBody(req)));
  } catch (error) {
    return send(res, 400, 'application/json', JSON.stringify({ message: String(error.message) }));
  }
  if (!catalog.commands.some((c) => c.name === command)) {
    return send(res, 400, 'application/json', JSON.stringify({ message: `no command ${command}` }));
  }
  const started = performance.now();
  try {
    const li = await createConnector(connectorOptions(command));
    // The component's own text, `{"ok": ...}` or `{"error": ...}`, passed on unparsed.
    const text = await li.executeJson(command, typeof input === 'string' ? input : JSON.stringify(input ?? {}));
    const ms = Math.round(performance.now() - started);
    return send(res, 200, 'application/json', text, { 'x-duration-ms': String(ms) });
  } catch (error) {
    return send(res, 500, 'application/json', JSON.stringify({ message: String(error?.message ?? error) }));
  }
}

const server = createServer(async (req, res) => {
  // Addressed by name or number on this machine only: a page whose name resolves here (DNS
  // rebinding) gets nothing.
  const { port: bound } = server.address();
  const host = req.headers.host;
  if (host !== `127.0.0.1:${bound}` && host !== `localhost:${bound}`) return send(res, 421, 'text/plain', 'wrong host');
  const origin = `http://${host}`;
  const url = new URL(req.url, origin);
  if (req.method === 'GET' && url.pathname === '/api/catalog') return send(res, 200, 'application/json', info);
  if (req.method === 'POST' && url.pathname === '/api/run') {
    if (req.headers.origin !== origin || !String(req.headers['content-type']).startsWith('application/json')) {
      return send(res, 403, 'text/plain', 'forbidden');
    }
    return run(req, res);
  }
  if (req.method === 'GET') return page(url.pathname, res);
  return send(res, 405, 'text/plain', 'method not allowed');
});

server.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address();
  console.log(`LinkedIn connector query editor: http://127.0.0.1:${bound}/`);
  console.log(
    live
      ? 'Live: calls go to LinkedIn with LINKEDIN_ACCESS_TOKEN.'
      : `Recorded answers from fixtures/ (${canned.size} LinkedIn paths); set LINKEDIN_ACCESS_TOKEN to go live.`,
  );
  process.send?.({ port: bound });
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
