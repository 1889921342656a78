// JSON read without losing anything a fixture states: object keys in the order written (a JS
// object would move integer-like keys first), numbers as written (a JS number would round
// 6636062862760562801), duplicates kept. Parsed with jsonc-parser in strict mode, which gives
// each value's place in the text.

import { parseTree } from 'jsonc-parser';

/**
 * @typedef {({type: 'object', entries: [string, Json][]} | {type: 'array', items: Json[]} |
 *   {type: 'number'} | {type: 'string', value: string} |
 *   {type: 'boolean', value: boolean} | {type: 'null'}) & {raw: string}} Json
 * `raw` is the value's own text in the file, white space and escapes included.
 */

function convert(node, text) {
  const value = convertValue(node, text);
  value.raw = text.slice(node.offset, node.offset + node.length);
  return value;
}

function convertValue(node, text) {
  switch (node.type) {
    case 'object':
      return {
        type: 'object',
        entries: (node.children ?? []).map((property) => [property.children[0].value, convert(property.children[1], text)]),
      };
    case 'array':
      return { type: 'array', items: (node.children ?? []).map((child) => convert(child, text)) };
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string', value: node.value };
    case 'boolean':
      return { type: 'boolean', value: node.value };
    case 'null':
      return { type: 'null' };
    default:
      throw new Error(`unexpected JSON node ${node.type}`);
  }
}

/** Parses `text` strictly; throws with the offset of the first error. */
export function parse(text) {
  const errors = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) {
    const at = errors[0]?.offset ?? 0;
    throw new SyntaxError(`not JSON (error ${errors[0]?.error} at offset ${at})`);
  }
  return convert(tree, text);
}

/** The member `key` of an object node (the last one, as a JSON reader keeps). */
export function get(node, key) {
  if (node?.type !== 'object') return undefined;
  let found;
  for (const [k, v] of node.entries) if (k === key) found = v;
  return found;
}

export function keys(node) {
  return node?.type === 'object' ? node.entries.map(([k]) => k) : [];
}

/**
 * Compact text with keys in order and numbers as written; strings written as serde_json and
 * JSON.stringify write them (the escapes a fixture chose do not matter).
 */
export function compact(node) {
  switch (node.type) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${compact(v)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(compact).join(',')}]`;
    case 'number':
      return node.raw;
    case 'string':
      return JSON.stringify(node.value);
    case 'boolean':
      return String(node.value);
    default:
      return 'null';
  }
}

/** Whether two number literals are the same number, as host-test compares them: integers
 * exactly (as big integers), anything else as doubles, so `1` equals `1.0`. */
function sameNumber(a, b) {
  const integer = (raw) => /^-?\d+$/.test(raw);
  if (integer(a) && integer(b)) return BigInt(a) === BigInt(b);
  return Number(a) === Number(b);
}

/** Equality by value: objects by key (order free), arrays in order, numbers as numbers. */
export function equal(a, b) {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'object': {
      const mapA = new Map(a.entries);
      const mapB = new Map(b.entries);
      if (mapA.size !== mapB.size) return false;
      for (const [k, v] of mapA) if (!mapB.has(k) || !equal(v, mapB.get(k))) return false;
      return true;
    }
    case 'array':
      return a.items.length === b.items.length && a.items.every((item, i) => equal(item, b.items[i]));
    case 'number':
      return sameNumber(a.raw, b.raw);
    case 'null':
      return true;
    default:
      return a.value === b.value;
  }
}

/**
 * Every difference of `got` from `want`, with its path. With `contains`, objects of `want` need
 * only their own keys (deeply); arrays are always compared whole.
 */
export function diff(want, got, path, contains, out) {
  if (want.type === 'object' && got.type === 'object') {
    const gotMap = new Map(got.entries);
    const wantMap = new Map(want.entries);
    for (const [key, value] of wantMap) {
      if (gotMap.has(key)) diff(value, gotMap.get(key), `${path}.${key}`, contains, out);
      else out.push(`${path}.${key}: expected ${compact(value)}, missing`);
    }
    if (!contains) {
      for (const [key, value] of gotMap) {
        if (!wantMap.has(key)) out.push(`${path}.${key}: not expected, sent ${compact(value)}`);
      }
    }
    return;
  }
  if (want.type === 'array' && got.type === 'array') {
    if (want.items.length !== got.items.length) {
      out.push(`${path}: expected ${want.items.length} items, got ${got.items.length}: ${compact(got)}`);
      return;
    }
    want.items.forEach((item, i) => diff(item, got.items[i], `${path}[${i}]`, false, out));
    return;
  }
  if (!equal(want, got)) out.push(`${path}: expected ${compact(want)}, got ${compact(got)}`);
}

/** Every string of `node`, keys included. */
export function strings(node, out = []) {
  if (node.type === 'string') out.push(node.value);
  else if (node.type === 'array') node.items.forEach((item) => strings(item, out));
  else if (node.type === 'object') {
    for (const [k, v] of node.entries) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}
