// A canned LinkedIn for the editor: every request is answered from the fixtures by method,
// host and path (the query and the body do not matter), so an edited input still gets an
// answer. For each path it takes the answers of one case, preferring cases where LinkedIn
// answered 2xx, then cases of the command being run, then JSON answers, then fixtures/demo, and
// plays them in order within a call (a media post's status polls PROCESSING, then AVAILABLE),
// repeating the last. A path no case has gets the case of the
// most similar path (same method and host, the most path segments in common), else a 404.

import { answer, collect, load } from '../tools/fixtures.js';
import { get } from '../tools/json.js';

function keyOf(method, url) {
  const parsed = new URL(url);
  return { method: method.toUpperCase(), origin: parsed.origin, segments: parsed.pathname.split('/').filter(Boolean) };
}

function text(key) {
  return `${key.method} ${key.origin}/${key.segments.join('/')}`;
}

/** Builds the table from the fixture folders; `newCall()` gives a sender for one call. */
export function cannedLinkedIn(folders) {
  const table = new Map();
  for (const file of collect(folders)) {
    let kase;
    try {
      kase = load(file);
    } catch {
      continue;
    }
    const demo = file.includes('/demo/');
    const command = kase.command;
    const byKey = new Map();
    for (const interaction of kase.interactions) {
      const key = keyOf(interaction.method, interaction.url);
      const id = text(key);
      if (!byKey.has(id)) byKey.set(id, { key, responses: [] });
      byKey.get(id).responses.push(interaction.response);
    }
    for (const [id, entry] of byKey) {
      const ok = entry.responses.some((r) => {
        const status = get(r, 'status');
        return status && Number(status.raw) < 300;
      });
      const json = entry.responses.every((r) => get(r, 'json') !== undefined);
      if (!table.has(id)) table.set(id, []);
      table.get(id).push({ ...entry, ok, json, demo, command, file });
    }
  }
  const ids = [...table.keys()];

  /** The best case's answers for a path: 2xx, the command's own, JSON, demo, first by name. */
  function best(candidates, command) {
    const score = (c) => (c.ok ? 0 : 8) + (c.command === command ? 0 : 4) + (c.json ? 0 : 2) + (c.demo ? 0 : 1);
    return candidates.reduce((a, b) => (score(b) < score(a) ? b : a));
  }

  function find(key, command) {
    const exact = table.get(text(key));
    if (exact) return best(exact, command);
    let found;
    let most = -1;
    for (const id of ids) {
      const other = table.get(id)[0].key;
      if (other.method !== key.method || other.origin !== key.origin || other.segments.length !== key.segments.length) continue;
      if (other.segments[0] !== key.segments[0] || other.segments[1] !== key.segments[1]) continue;
      const same = other.segments.filter((s, i) => s === key.segments[i]).length;
      if (same > most) {
        found = id;
        most = same;
      }
    }
    return found && best(table.get(found), command);
  }

  return {
    size: table.size,
    /** A sender for one call of `command`: each path's answers play in order, then the last repeats. */
    newCall(command) {
      const played = new Map();
      return async (request) => {
        const key = keyOf(request.method, request.url);
        const entry = find(key, command);
        if (!entry) {
          return {
            status: 404,
            headers: [['content-type', 'application/json']],
            body: JSON.stringify({
              status: 404,
              message: `No recorded answer for ${request.method} ${new URL(request.url).pathname}: the editor answers from the fixtures; set LINKEDIN_ACCESS_TOKEN to call LinkedIn`,
            }),
          };
        }
        const id = `${entry.file} ${text(entry.key)}`;
        const n = played.get(id) ?? 0;
        played.set(id, n + 1);
        return answer(entry.responses[Math.min(n, entry.responses.length - 1)]);
      };
    },
  };
}
