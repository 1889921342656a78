// The query editor in a real browser: Debian's Chromium, headless, driven by playwright-core.
// Every command's form renders with no console error and no page error; create-post runs and
// shows the post URN; a bad author shows the component's error on the author field.
// Screenshots go to js/screenshots/ (git-ignored).
//
//   node --test browser/            (CHROMIUM=/path/to/chromium to use another binary)

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const js = fileURLToPath(new URL('..', import.meta.url));
const shots = join(js, 'screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

let server;
let origin;
let context;
let page;
let profile;
const problems = [];

before(async () => {
  mkdirSync(join(shots, 'forms'), { recursive: true });
  // The editor as `make editor` runs it, without LINKEDIN_ACCESS_TOKEN: recorded answers.
  const env = { ...process.env };
  delete env.LINKEDIN_ACCESS_TOKEN;
  server = fork(join(js, 'editor', 'server.mjs'), ['--port', '0'], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    server.once('message', (m) => resolve(m.port));
    server.once('exit', (code) => reject(new Error(`the editor server exited (${code})`)));
  });
  origin = `http://127.0.0.1:${port}`;
  profile = mkdtempSync(join(tmpdir(), 'editor-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(origin);
  await page.waitForSelector('[data-command]');
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  server?.kill();
});

/** A screenshot of the window with the main panel scrolled to its top (title, form, output). */
async function shot(name) {
  await page.evaluate(() => document.querySelector('.main')?.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, name) });
}

function clean(what) {
  assert.deepEqual(problems.splice(0), [], `${what}: the page reported errors`);
}

test('every command in the catalog gets its form, with no console or page error', async () => {
  const catalog = await (await fetch(`${origin}/api/catalog`)).json();
  const names = await page.$$eval('[data-command]', (buttons) => buttons.map((b) => b.dataset.command));
  assert.deepEqual(names, catalog.catalog.commands.map((c) => c.name));
  for (const command of catalog.catalog.commands) {
    await page.click(`[data-command="${command.name}"]`);
    await page.waitForFunction((title) => document.querySelector('[data-testid=command-title]')?.textContent === title, command.title);
    await page.waitForSelector('form.rjsf');
    // Every parameter of the catalog has its field on the form.
    for (const param of command.params) {
      assert.ok(await page.$(`#root_${param.name}`), `${command.name}: no field for ${param.name}`);
    }
    await shot(join('forms', `${command.name}.png`));
    clean(command.name);
  }
});

test('create-post runs and shows the post URN', async () => {
  await page.click('[data-command="create-post"]');
  await page.fill('#root_author', 'urn:li:person:782bbtaQ');
  await page.fill('#root_text', 'Launch day (v2) #rust');
  await shot('create-post-form.png');
  await page.click('[data-testid=run]');
  const result = await page.waitForSelector('[data-testid=result][data-outcome=ok]');
  const output = await result.textContent();
  assert.match(output, /urn:li:share:7045020441609936898/);
  assert.match(output, /https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:share:7045020441609936898\//);
  await shot('create-post-output.png');
  clean('create-post');
});

test("a bad author shows the component's invalid-input error on the author field", async () => {
  await page.click('[data-command="create-post"]');
  await page.fill('#root_author', 'bogus');
  await page.fill('#root_text', 'Hello');
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=error-panel][data-kind=invalid-input]');
  const fieldError = await page.waitForSelector('#root_author__error');
  assert.match(await fieldError.textContent(), /author/);
  // Only the author field is marked.
  assert.equal(await page.$('#root_text__error'), null);
  await shot('create-post-field-error.png');
  clean('bad author');
});

test('a free-form JSON field takes JSON (custom-action with a query object)', async () => {
  await page.click('[data-command="custom-action"]');
  await page.selectOption('#root_method', 'GET');
  await page.fill('#root_path', '/rest/organizationAcls');
  await page.fill('#root_query', '{"q": "roleAssignee", "state": "APPROVED"}');
  await page.click('[data-testid=run]');
  const result = await page.waitForSelector('[data-testid=result]');
  assert.match(await result.textContent(), /status/);
  await shot('custom-action-output.png');
  clean('custom-action');
});
