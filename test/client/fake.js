import { FakeXfrmKernel } from '../../src/testing/index.js';
/** The shipped fake kernel and a client on it. */
export function fakeSad() {
    const f = new FakeXfrmKernel();
    return { client: f.openClient(), sad: f.sad, spd: f.spd, seen: f.seen, kernel: f };
}
/** An AES-GCM algorithm with a key of 0x01 bytes. */
export const aead = { name: 'rfc4106(gcm(aes))', key: new Uint8Array(20).fill(1), icvLen: 128 };
/** The next `n` events of `events` (fewer if it ends; it is ended after 2 s). */
export async function take(events, n) {
    const out = [];
    const deadline = setTimeout(() => void events.return(), 2000);
    try {
        while (out.length < n) {
            const r = await events.next();
            if (r.done)
                break;
            out.push(r.value);
        }
    }
    finally {
        clearTimeout(deadline);
    }
    return out;
}
