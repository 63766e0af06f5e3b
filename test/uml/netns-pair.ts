/**
 * The namespace pair every two-sided guest file runs in: `nlxa` and `nlxb` joined by a veth
 * (test/helpers/netns.ts), an XfrmClient in each, both closed and the pair deleted after the
 * file. Not a test file itself (the guest config only runs `*.guest.ts`).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { createNsPair, destroyNsPair, type NsPair } from '../helpers/netns.js';
import { resetSide } from './esp-setup.js';

/** The pair and a client on each side. */
export interface GuestPair {
  pair: NsPair;
  /** Client in side A (`pair.a.ns`). */
  ca: XfrmClient;
  /** Client in side B (`pair.b.ns`). */
  cb: XfrmClient;
}

/**
 * Register the hooks of the calling file (or `describe`): create the pair and its clients
 * before the tests, hand them to `use`, flush both sides' SAs and policies before each test
 * unless `reset` is false, and close and delete everything after the tests.
 */
export function useNsPair(use: (p: GuestPair) => void, { reset = true }: { reset?: boolean } = {}): void {
  let pair: NsPair | undefined;
  let ca: XfrmClient | undefined;
  let cb: XfrmClient | undefined;
  beforeAll(() => {
    pair = createNsPair('nlxa', 'nlxb');
    ca = XfrmClient.open({ netns: pair.a.ns });
    cb = XfrmClient.open({ netns: pair.b.ns });
    use({ pair, ca, cb });
  });
  afterAll(() => {
    ca?.close();
    cb?.close();
    if (pair) destroyNsPair(pair);
  });
  if (reset) {
    beforeEach(async () => {
      await resetSide(ca!);
      await resetSide(cb!);
    });
  }
}
