// Peak RSS of a netlink-xfrm process dumping a large policy table (a fresh child of
// bench/run.mjs, started under /usr/bin/time -v when available).
//
//   node bench/nlx-dump-rss.mjs LIBDIR NETNS stream|collect
//
// stream:  for await (const p of client.listPolicies()) — each policy is touched, then dropped.
// collect: the same loop pushing every policy into an array (what a streaming API avoids).
// Prints one JSON line: maxRSS (KiB, process.resourceUsage()) after loading the library and
// opening the socket, and after the dump; the count; the dump time.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [libDir, ns, mode = 'stream'] = process.argv.slice(2);
if (!libDir || !ns?.startsWith('nlx-bench-')) {
  console.error('usage: node bench/nlx-dump-rss.mjs LIBDIR nlx-bench-NS stream|collect');
  process.exit(2);
}
const lib = await import(pathToFileURL(join(libDir, 'index.js')).href);
const client = lib.XfrmClient.open({ netns: ns });
const before = process.resourceUsage().maxRSS;
const kept = [];
let count = 0;
let sum = 0;
const t0 = performance.now();
for await (const p of client.listPolicies()) {
  count++;
  sum += p.index + p.templates.length;
  if (mode === 'collect') kept.push(p);
}
const ms = performance.now() - t0;
client.close();
const after = process.resourceUsage().maxRSS;
console.log(JSON.stringify({ mode, count, ms, maxRssBeforeKiB: before, maxRssKiB: after, kept: kept.length, checksum: sum }));
