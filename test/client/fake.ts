/**
 * The client suites' fake: the shipped {@link FakeXfrmKernel} (an in-memory SAD/SPD answering
 * like Linux) with a client on it, and an AEAD algorithm for the SAs the tests add.
 */
import { FakeXfrmKernel } from '../../src/testing/index.js';

/** The shipped fake kernel and a client on it. */
export function fakeSad() {
  const f = new FakeXfrmKernel();
  return { client: f.openClient(), sad: f.sad, spd: f.spd, seen: f.seen, kernel: f };
}

/** An AES-GCM algorithm with a key of 0x01 bytes. */
export const aead = { name: 'rfc4106(gcm(aes))', key: new Uint8Array(20).fill(1), icvLen: 128 };
