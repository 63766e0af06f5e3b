/**
 * Golden fixtures: every datagram captured from a real kernel or iproute2 (fixtures/**.hex)
 * must decode to its recorded value and re-encode byte for byte, message by message.
 * Set UPDATE_GOLDEN=1 to (re)write the .expected.json files after reviewing a capture.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HOST_LE } from '../src/netlink/endian.js';
import { nlmsgIterate } from '../src/netlink/reader.js';
import { viewOf } from '../src/netlink/view.js';
import { decodeXfrmMessage, encodeXfrmMessages } from '../src/xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../src/xfrm/json.js';
import { hexDatagrams } from '../src/cli/codec-commands.js';
import { toHex } from './helpers/hex.js';

const root = join(__dirname, '..', 'fixtures');

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.hex') ? [p] : [];
  });
}

const files = walk(root).sort();

describe.skipIf(!HOST_LE)('golden fixtures (little-endian captures)', () => {
  test('there are fixtures', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  describe.each(files.map((f) => ({ file: relative(root, f), path: f })))('$file', ({ path }) => {
    const grams = hexDatagrams(readFileSync(path, 'utf8'));
    const decoded = grams.map((g) => {
      const view = viewOf(g.bytes);
      return [...nlmsgIterate(view, true)].map((loc) => ({
        bytes: g.bytes.subarray(loc.offset, loc.offset + loc.len),
        msg: decodeXfrmMessage(view, loc, true),
      }));
    });
    const json = decoded.map((d) => d.map((m) => xfrmMessageToJson(m.msg, { showKeys: true })));
    const expectedPath = path.replace(/\.hex$/, '.expected.json');

    test('re-encodes byte for byte, message by message', () => {
      for (const d of decoded) for (const m of d) expect(toHex(encodeXfrmMessages([m.msg], true))).toBe(toHex(m.bytes));
    });
    test('JSON form re-encodes byte for byte', () => {
      decoded.forEach((d, i) =>
        d.forEach((m, j) => {
          const back = xfrmMessageFromJson(JSON.parse(JSON.stringify(json[i]![j])));
          expect(toHex(encodeXfrmMessages([back], true))).toBe(toHex(m.bytes));
        }),
      );
    });
    test('decodes to the recorded value', () => {
      if (process.env.UPDATE_GOLDEN || !existsSync(expectedPath)) {
        if (process.env.CI) throw new Error(`missing ${expectedPath}: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`);
        writeFileSync(expectedPath, JSON.stringify(json, null, 2) + '\n');
      }
      expect(json).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  });
});
