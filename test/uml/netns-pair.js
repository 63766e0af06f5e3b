/**
 * The namespace pair every two-sided guest file runs in: `nlxa` and `nlxb` joined by a veth
 * (test/helpers/netns.ts), an XfrmClient in each, both closed and the pair deleted after the
 * file. Not a test file itself (the guest config only runs `*.guest.ts`).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { createNsPair, destroyNsPair } from '../helpers/netns.js';
import { resetSide } from './esp-setup.js';
/**
 * Register the hooks of the calling file (or `describe`): create the pair and its clients
 * before the tests, hand them to `use`, flush both sides' SAs and policies before each test
 * unless `reset` is false, and close and delete everything after the tests.
 */
export function useNsPair(use, { reset = true } = {}) {
    let pair;
    let ca;
    let cb;
    beforeAll(() => {
        pair = createNsPair('nlxa', 'nlxb');
        ca = XfrmClient.open({ netns: pair.a.ns });
        cb = XfrmClient.open({ netns: pair.b.ns });
        use({ pair, ca, cb });
    });
    afterAll(() => {
        ca?.close();
        cb?.close();
        if (pair)
            destroyNsPair(pair);
    });
    if (reset) {
        beforeEach(async () => {
            await resetSide(ca);
            await resetSide(cb);
        });
    }
}
