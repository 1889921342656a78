// A small HTTP server for the tests of the default sender, run in a child process: the sender
// and the connector's threads must not share an event loop with it (a blocked loop would then
// hide itself). Paths choose the behaviour:
//
//   /slow?ms=N     answers a userinfo body after N ms
//   /redirect      302 to /elsewhere
//   /hang          never answers
//   /stall         sends the head and half a body, then nothing
//   anything else  200 with {"method", "path", "host", "authorization", "body"} of the request
//
// `start()` (in the test) forks it and resolves to {port, stop()}.

import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const USERINFO = JSON.stringify({ sub: '782bbtaQ', name: 'John Doe', given_name: 'John', family_name: 'Doe', locale: 'en-US' });

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (url.pathname.startsWith('/slow') || url.pathname === '/v2/userinfo') {
        const ms = Number(url.searchParams.get('ms') ?? process.env.SLOW_MS ?? 0);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(USERINFO);
        }, ms);
      } else if (url.pathname === '/redirect') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else if (url.pathname === '/hang') {
        // never answers
      } else if (url.pathname === '/stall') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
        res.write('12345');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            method: req.method,
            path: req.url,
            host: req.headers.host,
            authorization: req.headers.authorization ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      }
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

/** Forks this file as a server; resolves to its port and a way to stop it. */
export function start(env = {}) {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { env: { ...process.env, ...env }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', ({ port }) =>
      resolve({
        port,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill();
          }),
      }),
    );
    child.once('error', reject);
  });
}

if (process.argv[2] === 'serve') serve();
