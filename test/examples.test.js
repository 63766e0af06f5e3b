/**
 * The README's first example (`examples/first.mjs`) is RUN, unchanged, against the fake
 * kernel: `'netlink-xfrm'` resolves to the sources and `XfrmClient.open()` (its only
 * privileged call) returns a client of a `FakeXfrmKernel`. The same file runs from the packed
 * package under user-mode-linux elsewhere; here we check what it does and prints, that it
 * leaves the tables as it found them, and that the README shows exactly this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { XfrmClient } from '../src/index.js';
import { FakeXfrmKernel } from '../src/testing/index.js';
// The example imports the published name; give it the sources (the same module instance as
// the import above, so the spy below is the one it calls).
vi.mock('netlink-xfrm', async () => await import('../src/index.js'));
const root = join(__dirname, '..');
const FIRST = join(root, 'examples', 'first.mjs');
afterEach(() => {
    vi.restoreAllMocks();
});
describe('examples/first.mjs', () => {
    test('runs to completion on the fake kernel: adds, reads back, prints the replay state, deletes, closes', async () => {
        const kernel = new FakeXfrmKernel();
        let client;
        // Once: openClient() itself calls XfrmClient.open, which then goes through to the real one.
        const open = vi.spyOn(XfrmClient, 'open').mockImplementationOnce(() => (client = kernel.openClient()));
        const lines = [];
        vi.spyOn(console, 'log').mockImplementation((...args) => void lines.push(args.map(String).join(' ')));
        await import(/* a plain .mjs file without types: a variable keeps tsc from asking for them */ FIRST);
        expect(open).toHaveBeenCalledTimes(2); // the example's call, and the real one inside openClient()
        expect(open.mock.calls[0]).toEqual([]); // no netns, no transport: the process's own namespace
        expect(lines).toEqual([
            'SA 192.0.2.1 -> 192.0.2.2 spi 0x1001 rfc4106(gcm(aes)) key XfrmKey(20) <redacted>',
            'policy out to 198.51.100.0/24 via reqid 1, index 9',
            'replay: last sent 0, last received 0, window 128',
            'deleted the policy and the SA',
        ]);
        expect(kernel.seen.map((m) => m.type)).toEqual([
            'XFRM_MSG_NEWSA',
            'XFRM_MSG_NEWPOLICY',
            'XFRM_MSG_GETSA',
            'XFRM_MSG_GETPOLICY',
            'XFRM_MSG_GETAE',
            'XFRM_MSG_DELPOLICY',
            'XFRM_MSG_DELSA',
        ]);
        expect(kernel.sad.size).toBe(0);
        expect(kernel.spd).toEqual([]);
        // Closed: a further call is refused instead of waiting on an open socket.
        await expect(client.getState({ daddr: '192.0.2.2', spi: 0x1001, proto: 50 })).rejects.toThrow(/closed/);
    });
    test('the README shows exactly this file, as its first code block after "Install"', () => {
        const readme = readFileSync(join(root, 'README.md'), 'utf8');
        const file = readFileSync(FIRST, 'utf8');
        const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)];
        const shown = blocks.find((b) => b[2].includes("from 'netlink-xfrm'"));
        expect(shown?.[1]).toBe('js');
        expect(shown?.[2]).toBe(file);
        expect(readme.indexOf(shown[0])).toBeGreaterThan(readme.indexOf('npm install netlink-xfrm'));
    });
    test('stands alone: imports only the published package, nothing from the repository', () => {
        const file = readFileSync(FIRST, 'utf8');
        const specifiers = [...file.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
        expect(specifiers).toEqual(['netlink-xfrm']);
    });
});
