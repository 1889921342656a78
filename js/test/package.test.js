// The package's API as a platform uses it: execute and its errors, the typed commands, the
// catalog, secrets awaited per call, calls in threads that leave the event loop free.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ConnectorError, createConnector, shutdown, TransportFault } from '../src/index.js';
import { imports } from '../src/host.js';
import { start } from './lib/server.js';

after(() => shutdown());

const USERINFO = '{"sub":"782bbtaQ","name":"John Doe","given_name":"John","family_name":"Doe","locale":"en-US"}';

/** A sender that records requests and answers each from `answers` in turn. */
function recording(...answers) {
  const sent = [];
  const sender = async (request) => {
    sent.push(request);
    const next = answers.shift();
    if (!next) throw new TransportFault('denied', 'no answer left');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(request) : next;
  };
  return { sent, sender };
}

function header(request, name) {
  return request.headers.find(([n]) => n === name)?.[1];
}

describe('execute', () => {
  test('resolves to the output and sends the request the component built', async () => {
    const { sent, sender } = recording({ status: 201, headers: { 'x-restli-id': 'urn%3Ali%3Ashare%3A7045020441609936898' } });
    const li = await createConnector({ accessToken: 'tok-123', settings: { linkedinVersion: '202609' }, sender });
    const out = await li.execute('create-post', { author: 'person:782bbtaQ', text: 'Launch (v2) #rust' });
    assert.equal(out.id, 'urn:li:share:7045020441609936898');
    assert.equal(out.url, 'https://www.linkedin.com/feed/update/urn:li:share:7045020441609936898/');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].method, 'POST');
    assert.equal(sent[0].url, 'https://api.linkedin.com/rest/posts');
    assert.equal(header(sent[0], 'authorization'), 'Bearer tok-123');
    assert.equal(header(sent[0], 'linkedin-version'), '202609');
    const body = JSON.parse(Buffer.from(sent[0].body).toString('utf8'));
    assert.equal(body.commentary, 'Launch \\(v2\\) {hashtag|\\#|rust}');
  });

  test('bad input rejects with a ConnectorError naming the field, and nothing is sent', async () => {
    const { sent, sender } = recording();
    const li = await createConnector({ accessToken: 'tok', sender });
    const error = await li.execute('create-post', { author: 'bogus', text: 'x' }).catch((e) => e);
    assert.ok(error instanceof ConnectorError, String(error));
    assert.equal(error.kind, 'invalid-input');
    assert.equal(error.field, 'author');
    assert.match(error.message, /author/);
    assert.equal(error.details.kind, 'invalid-input');
    assert.equal(sent.length, 0);
  });

  test('a LinkedIn 401 is an unauthorized error with its status', async () => {
    const { sender } = recording({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: '{"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user","status":401}',
    });
    const li = await createConnector({ accessToken: 'tok', sender });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.code, 'REVOKED_ACCESS_TOKEN');
  });

  test('a sender fault reaches the component as a transport error of that reason', async () => {
    const { sender } = recording(new TransportFault('timeout'));
    const li = await createConnector({ accessToken: 'tok', sender });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.equal(error.kind, 'transport');
    assert.equal(error.reason, 'timeout');
  });

  test('executeJson gives the component text unparsed, big numbers and key order intact', async () => {
    const body = '{"sub":"782bbtaQ","name":"John Doe","locale":"en-US","9":"nine","1":"one","n":6636062862760562801}';
    const { sender } = recording({ status: 200, headers: { 'content-type': 'application/json' }, body });
    const li = await createConnector({ accessToken: 'tok', sender });
    const text = await li.executeJson('get-user-info');
    assert.ok(text.startsWith('{"ok":{'), text);
    assert.ok(text.includes(body), text);
  });

  test('a streamed response body is read piece by piece', async () => {
    async function* pieces() {
      for (const piece of [USERINFO.slice(0, 10), USERINFO.slice(10, 40), USERINFO.slice(40)]) yield Buffer.from(piece);
    }
    const { sender } = recording({ status: 200, headers: [['content-type', 'application/json']], body: pieces() });
    const li = await createConnector({ accessToken: 'tok', sender });
    const out = await li.execute('get-user-info');
    assert.equal(out.personUrn, 'urn:li:person:782bbtaQ');
    assert.equal(out.name, 'John Doe');
  });
});

describe('typed commands and the catalog', () => {
  test('describe lists every command with a draft 2020-12 schema, and commands has each typed function', async () => {
    const li = await createConnector({});
    const catalog = li.describe();
    assert.equal(catalog.name, 'linkedin');
    assert.ok(catalog.commands.length >= 25);
    for (const command of catalog.commands) {
      assert.equal(command.inputSchema.$schema, 'https://json-schema.org/draft/2020-12/schema', command.name);
      const fn = command.name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
      assert.equal(typeof li.commands[fn], 'function', fn);
    }
  });

  test('commands.createPost takes and gives WIT records', async () => {
    const { sent, sender } = recording({ status: 201, headers: { 'x-restli-id': 'urn:li:share:1' } });
    const li = await createConnector({ accessToken: 'tok', sender });
    const out = await li.commands.createPost({ author: 'urn:li:organization:2414183', text: 'Hi', visibility: 'public' });
    assert.equal(out.id, 'urn:li:share:1');
    assert.equal(JSON.parse(Buffer.from(sent[0].body).toString()).author, 'urn:li:organization:2414183');
  });

  test('a typed function error is the same ConnectorError', async () => {
    const li = await createConnector({ accessToken: 'tok', sender: recording().sender });
    const error = await li.commands.createPost({ author: 'bogus', text: 'x' }).catch((e) => e);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'invalid-input');
    assert.equal(error.field, 'author');
  });
});

describe('secrets', () => {
  test('secret functions are awaited during every call that needs them, and only then', async () => {
    let tokenReads = 0;
    let secretReads = 0;
    const { sender } = recording(
      { status: 200, headers: { 'content-type': 'application/json' }, body: USERINFO },
      { status: 200, headers: { 'content-type': 'application/json' }, body: USERINFO },
    );
    const li = await createConnector({
      accessToken: async () => {
        tokenReads++;
        await new Promise((r) => setTimeout(r, 5));
        return `tok-${tokenReads}`;
      },
      clientSecret: async () => {
        secretReads++;
        return 'secret';
      },
      sender: async (request) => {
        assert.equal(header(request, 'authorization'), `Bearer tok-${tokenReads}`);
        return sender(request);
      },
    });
    await li.execute('get-user-info');
    await li.execute('get-user-info');
    assert.equal(tokenReads, 2);
    assert.equal(secretReads, 0, 'get-user-info never needs the client secret');
  });

  test('a missing token is a credentials error, and nothing is sent', async () => {
    const { sent, sender } = recording();
    const li = await createConnector({ accessToken: async () => undefined, sender });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.equal(error.kind, 'credentials');
    assert.equal(sent.length, 0);
  });

  test("a failing secret function is a credentials error that does not repeat the function's text", async () => {
    const li = await createConnector({
      accessToken: async () => {
        throw new Error('vault at 10.0.0.7 said no');
      },
      sender: recording().sender,
    });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.equal(error.kind, 'credentials');
    assert.doesNotMatch(error.message, /10\.0\.0\.7/);
    assert.match(error.message, /retry/);
  });
});

describe('threads', () => {
  test('a timer keeps firing while a call waits on a slow LinkedIn', async () => {
    const server = await start({ SLOW_MS: '1500' });
    try {
      const li = await createConnector({
        accessToken: 'tok',
        http: { endpoint: `http://127.0.0.1:${server.port}`, allowLoopback: true },
      });
      let ticks = 0;
      let last = performance.now();
      let longestGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        ticks++;
      }, 20);
      const started = performance.now();
      const out = await li.execute('get-user-info');
      const took = performance.now() - started;
      clearInterval(timer);
      assert.equal(out.personUrn, 'urn:li:person:782bbtaQ');
      assert.ok(took >= 1400, `the call took ${took} ms`);
      // A blocked loop would show one gap as long as the call.
      assert.ok(longestGap < took / 2, `the longest pause between ticks was ${longestGap} ms of ${took}`);
      assert.ok(ticks >= 15, `${ticks} ticks in ${took} ms`);
    } finally {
      await server.stop();
    }
  });

  test("one tenant's slow call does not hold up another tenant's", async () => {
    let release;
    const slow = await createConnector({
      accessToken: 'token-of-tenant-a',
      sender: () => new Promise((resolve) => {
        release = () => resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: USERINFO });
      }),
    });
    const fast = await createConnector({
      accessToken: 'token-of-tenant-b',
      sender: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: USERINFO }),
    });
    const pending = slow.execute('get-user-info');
    const out = await fast.execute('get-user-info');
    assert.equal(out.name, 'John Doe');
    assert.equal(typeof release, 'function', 'the slow call is still waiting for its answer');
    release();
    assert.equal((await pending).name, 'John Doe');
  });

  test('a call over its limit fails as a transport timeout, and the next call runs', async () => {
    const li = await createConnector({ accessToken: 'tok', callTimeoutMs: 300, sender: () => new Promise(() => {}) });
    const error = await li.execute('get-user-info').catch((e) => e);
    assert.ok(error instanceof ConnectorError, String(error));
    assert.equal(error.kind, 'transport');
    assert.equal(error.reason, 'timeout');
    const ok = await createConnector({
      accessToken: 'tok',
      sender: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: USERINFO }),
    });
    assert.equal((await ok.execute('get-user-info')).name, 'John Doe');
  });

  test('the guest gets an empty environment whatever the process holds', () => {
    process.env.LINKEDIN_ACCESS_TOKEN_TEST = 'must-not-leak';
    try {
      assert.deepEqual(imports()['wasi:cli/environment'].getEnvironment(), []);
      assert.deepEqual(imports()['wasi:cli/environment'].getArguments(), []);
    } finally {
      delete process.env.LINKEDIN_ACCESS_TOKEN_TEST;
    }
  });
});
