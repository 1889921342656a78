// The default sender's host duties: non-public addresses refused after resolving, no
// redirects, bounded time; and the options that widen it for tests.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { refusal } from '../src/address.js';
import { ConnectorError, createConnector, createDefaultSender, shutdown, TransportFault } from '../src/index.js';
import { start } from './lib/server.js';

let server;
before(async () => {
  server = await start();
});
after(async () => {
  await server.stop();
  await shutdown();
});

function get(url, headers = []) {
  return { method: 'GET', url, headers, body: new Uint8Array(0) };
}

async function text(body) {
  let out = '';
  for await (const chunk of body) out += Buffer.from(chunk).toString('utf8');
  return out;
}

async function fault(promise) {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  assert.ok(error instanceof TransportFault, `expected a TransportFault, got ${error}`);
  return error;
}

describe('address policy', () => {
  test('every non-public range is refused at both ends, IPv6 forms by their embedded IPv4', () => {
    const refused = [
      '0.0.0.0', '0.255.255.255', '10.0.0.0', '10.255.255.255', '100.64.0.0', '100.127.255.255',
      '127.0.0.1', '127.255.255.255', '169.254.0.0', '169.254.169.254', '172.16.0.0', '172.31.255.255',
      '192.0.0.0', '192.0.0.255', '192.0.2.0', '192.168.0.0', '192.168.255.255', '198.18.0.0',
      '198.19.255.255', '198.51.100.0', '203.0.113.255', '224.0.0.0', '239.255.255.255', '240.0.0.0',
      '255.255.255.255', '::', '::1', 'fe80::1', 'febf:ffff::1', 'fc00::1', 'fdff:ffff::1', 'fec0::1',
      'ff02::1', '2001:db8::1', '2001:0:4136:e378::1', '100::1', '64:ff9b:1::1', '::127.0.0.1',
      '::8.8.8.8', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:169.254.169.254', '::ffff:7f00:1',
      '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '2002:c0a8:101::1',
    ];
    const allowed = [
      '1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0',
      '126.255.255.255', '128.0.0.0', '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0',
      '192.0.1.0', '192.167.255.255', '192.169.0.0', '198.17.255.255', '198.20.0.0', '223.255.255.255',
      '13.107.42.14', '2620:1ec:21::14', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8',
      '64:ff9b::808:808', '2002:808:808::1',
    ];
    for (const ip of refused) assert.ok(refusal(ip), `${ip} must be refused`);
    for (const ip of allowed) assert.equal(refusal(ip), undefined, `${ip} must be allowed`);
    assert.match(refusal('::ffff:169.254.169.254'), /IPv4-mapped 169\.254\.169\.254, link-local/);
  });

  test('allowLoopback lets loopback through and nothing else', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      assert.equal(refusal(ip, { allowLoopback: true }), undefined, ip);
    }
    for (const ip of ['10.0.0.1', '169.254.169.254', '::ffff:192.168.1.1', 'fe80::1']) {
      assert.ok(refusal(ip, { allowLoopback: true }), ip);
    }
  });
});

describe('default sender', () => {
  test('refuses loopback literals by default, before connecting', async () => {
    const send = createDefaultSender();
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]']) {
      const error = await fault(send(get(`http://${host}:${server.port}/`)));
      assert.equal(error.fault, 'denied', host);
      assert.match(error.message, /loopback/);
    }
  });

  test('refuses a name that resolves to a private address, checking every address', async () => {
    const lookup = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    const error = await fault(createDefaultSender({ lookup })(get('https://cdn.example.com/file.png')));
    assert.equal(error.fault, 'denied');
    assert.match(error.message, /10\.1\.2\.3 is private/);
  });

  test('connects to the address it checked: a name resolved once, to loopback, with allowLoopback', async () => {
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const send = createDefaultSender({ lookup, allowLoopback: true });
    const response = await send(get(`http://media.example.com:${server.port}/echo?a=1`));
    assert.equal(response.status, 200);
    const echoed = JSON.parse(await text(response.body));
    assert.equal(echoed.path, '/echo?a=1');
    assert.equal(echoed.host, `media.example.com:${server.port}`);
    assert.equal(lookups, 1);
  });

  test('follows no redirect', async () => {
    const send = createDefaultSender({ allowLoopback: true });
    const response = await send(get(`http://127.0.0.1:${server.port}/redirect`));
    assert.equal(response.status, 302);
    const location = response.headers.find(([n]) => n.toLowerCase() === 'location');
    assert.equal(Buffer.from(location[1]).toString(), '/elsewhere');
  });

  test('bounds the wait for an answer', async () => {
    const send = createDefaultSender({ allowLoopback: true, firstByteTimeoutMs: 300 });
    const started = Date.now();
    const error = await fault(send(get(`http://127.0.0.1:${server.port}/hang`)));
    assert.equal(error.fault, 'timeout');
    assert.ok(Date.now() - started < 5000);
  });

  test('bounds a pause in the body', async () => {
    const send = createDefaultSender({ allowLoopback: true, idleTimeoutMs: 300 });
    const response = await send(get(`http://127.0.0.1:${server.port}/stall`));
    assert.equal(response.status, 200);
    await assert.rejects(text(response.body), (e) => e instanceof TransportFault && e.fault === 'timeout');
  });

  test('a closed port is connection-refused', async () => {
    const closed = await start();
    const port = closed.port;
    await closed.stop();
    const error = await fault(createDefaultSender({ allowLoopback: true })(get(`http://127.0.0.1:${port}/`)));
    assert.equal(error.fault, 'connection-refused');
  });

  test('sends Authorization to LinkedIn only', async () => {
    const send = createDefaultSender({ allowLoopback: true });
    const error = await fault(send(get(`http://127.0.0.1:${server.port}/`, [['authorization', 'Bearer tok']])));
    assert.equal(error.fault, 'denied');
  });

  test("endpoint sends LinkedIn's requests to a local server, bearer included", async () => {
    const send = createDefaultSender({ endpoint: `http://127.0.0.1:${server.port}`, allowLoopback: true });
    const response = await send(get('https://api.linkedin.com/rest/posts?q=author', [['authorization', 'Bearer tok']]));
    const echoed = JSON.parse(await text(response.body));
    assert.equal(echoed.path, '/rest/posts?q=author');
    assert.equal(echoed.authorization, 'Bearer tok');
  });
});

describe('through a connector', () => {
  test('a refused destination is a transport error of reason denied', async () => {
    const li = await createConnector({ accessToken: 'tok-1', http: { endpoint: `http://127.0.0.1:${server.port}` } });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'transport');
    assert.equal(error.reason, 'denied');
  });

  test('with allowLoopback the same call reaches the local server', async () => {
    const li = await createConnector({
      accessToken: 'tok-1',
      http: { endpoint: `http://127.0.0.1:${server.port}`, allowLoopback: true },
    });
    const out = await li.execute('get-user-info');
    assert.equal(out.personUrn, 'urn:li:person:782bbtaQ');
  });
});
