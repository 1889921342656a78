// The Node replay: every fixture case of the repository (or of $FIXTURES, folders or files
// separated by the path delimiter) through the package, under the rules of the fixture format.
// Prints one line per failed case with its reasons, and `N passed, M failed`.
//
//   node --test test/replay.test.js
//   FIXTURES=../fixtures/create-post node --test test/replay.test.js

import { after, describe, test } from 'node:test';
import { availableParallelism } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shutdown } from '../src/index.js';
import { Pool } from '../src/pool.js';
import { collect, load, replay } from '../tools/fixtures.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const given = process.env.FIXTURES ? process.env.FIXTURES.split(delimiter) : [join(root, 'fixtures')];

const files = collect(given);

const threads = Math.max(2, Math.min(4, availableParallelism()));
const pool = new Pool({ size: threads });
let passed = 0;
let failed = 0;

after(async () => {
  await pool.close();
  await shutdown();
  // The line host-test's replay ends with, for the same cases.
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
});

describe('fixtures', { concurrency: threads }, () => {
  for (const file of files) {
    const name = relative(root, file);
    test(name, async () => {
      let failures;
      try {
        failures = await replay(load(file), { pool });
      } catch (error) {
        failures = [`the fixture does not load: ${error?.message ?? error}`];
      }
      if (failures.length === 0) {
        passed++;
        return;
      }
      failed++;
      throw new Error(`${failures.map((f) => `- ${f.replaceAll('\n', '\n  ')}`).join('\n')}`);
    });
  }
});
