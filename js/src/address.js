// Which addresses the default sender refuses: everything that is not a public unicast address
// (the ranges of the README's "what the embedding host must do", the same as host-test's live
// sender). IPv6 forms that embed an IPv4 address are judged by that address.

import { isIP } from 'node:net';

const V4_REFUSED = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified ("this network", 0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
].map(([net, bits, why]) => [v4Number(net), bits, why]);

const V6_REFUSED = [
  [0n, 128, 'unspecified (::)'],
  [1n, 128, 'loopback (::1)'],
  [0x0064ff9b0001n << 80n, 48, 'local-use NAT64 (64:ff9b:1::/48)'],
  [0x0100n << 112n, 64, 'discard-only (100::/64)'],
  [0x20010db8n << 96n, 32, 'documentation (2001:db8::/32)'],
  [0x2001n << 112n, 32, 'Teredo (2001::/32)'],
  [0xfc00n << 112n, 7, 'unique local (fc00::/7)'],
  [0xfe80n << 112n, 10, 'link-local (fe80::/10)'],
  [0xfec0n << 112n, 10, 'site-local (fec0::/10, deprecated)'],
  [0xff00n << 112n, 8, 'multicast (ff00::/8)'],
  // After ::/128 and ::1/128: the rest of ::/96 is IPv4-compatible, long deprecated.
  [0n, 96, 'IPv4-compatible (::/96, deprecated)'],
];

/** Loopback ranges, which `allowLoopback` lets through (tests against a local server). */
const LOOPBACK = new Set(['loopback (127.0.0.0/8)', 'loopback (::1)']);

function v4Number(text) {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Text(n) {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function v4Refusal(n) {
  for (const [net, bits, why] of V4_REFUSED) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(net / size)) return why;
  }
  return undefined;
}

/** An IPv6 address as a 128-bit number (the text must be valid: `isIP(text) === 6`). */
function v6Number(text) {
  let groupsText = text;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4Number(dotted[2]);
    groupsText = `${dotted[1]}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [left, right] = groupsText.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const groups =
    right === undefined
      ? leftGroups
      : [...leftGroups, ...Array(8 - leftGroups.length - rightGroups.length).fill('0'), ...rightGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function inV6(ip, net, bits) {
  const shift = BigInt(128 - bits);
  return ip >> shift === net >> shift;
}

function v6Refusal(ip) {
  let embedded;
  if (inV6(ip, 0xffffn << 32n, 96)) embedded = ['IPv4-mapped', Number(ip & 0xffffffffn)];
  else if (inV6(ip, 0x0064ff9bn << 96n, 96)) embedded = ['NAT64', Number(ip & 0xffffffffn)];
  else if (inV6(ip, 0x2002n << 112n, 16)) embedded = ['6to4', Number((ip >> 80n) & 0xffffffffn)];
  if (embedded) {
    const [form, v4] = embedded;
    const why = v4Refusal(v4);
    return why && { why: `${form} ${v4Text(v4)}, ${why}`, loopback: LOOPBACK.has(why) };
  }
  for (const [net, bits, why] of V6_REFUSED) if (inV6(ip, net, bits)) return { why, loopback: LOOPBACK.has(why) };
  return undefined;
}

/**
 * Why `address` may not be connected to, or undefined for a public unicast address.
 * @param {string} address an IPv4 or IPv6 address
 * @param {{allowLoopback?: boolean, allowPrivate?: boolean}} [policy]
 * @returns {string | undefined}
 */
export function refusal(address, policy = {}) {
  if (policy.allowPrivate) return undefined;
  const version = isIP(address);
  let found;
  if (version === 4) {
    const why = v4Refusal(v4Number(address));
    found = why && { why, loopback: LOOPBACK.has(why) };
  } else if (version === 6) {
    found = v6Refusal(v6Number(address.split('%')[0]));
  } else {
    return `${address} is not an IP address`;
  }
  if (!found || (found.loopback && policy.allowLoopback)) return undefined;
  return `${address} is ${found.why}`;
}
