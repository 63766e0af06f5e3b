// Shared by the benchmark scripts: strict option parsing with `--help` (the script's leading
// comment), the one-line fatal exit, and the live-HA run's options, which bench/ha.mjs reads on
// the host and forwards as they are to bench/ha-guest.mjs inside the guest.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The options of one live-HA run (host launcher and guest alike). */
export const HA_RUN_OPTIONS = {
  pairs: { type: 'string', default: '1000' },
  'lag-samples': { type: 'string', default: '60' },
  'takeover-runs': { type: 'string', default: '3' },
  'cpu-rates': { type: 'string', default: '100,200' },
  'ping-rate': { type: 'string', default: '250' },
  'replay-thresh': { type: 'string' },
  'timer-thresh': { type: 'string' },
};

/** The arguments that pass the {@link HA_RUN_OPTIONS} values of `opt` on to the guest. */
export function haRunArgs(opt) {
  return Object.keys(HA_RUN_OPTIONS).flatMap((k) => (opt[k] === undefined ? [] : [`--${k}`, opt[k]]));
}

/**
 * `parseArgs` (strict) of the process's arguments with `options` and `--help`/`-h`, which
 * prints the leading `//` comment of the script at `scriptUrl` and exits.
 */
export function parseBenchArgs(scriptUrl, options) {
  const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true });
  if (values.help) {
    const lines = readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n').slice(1);
    console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  }
  return values;
}

/** A `fatal(msg)` that prints `name: msg` on stderr and exits with status 1. */
export function fatalFor(name) {
  return (msg) => {
    console.error(`${name}: ${msg}`);
    process.exit(1);
  };
}
