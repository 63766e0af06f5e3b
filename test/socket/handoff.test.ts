import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { ReadQueue } from '../../src/socket/handoff.js';

// A full collection on demand (vitest runs without --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ReadQueue', () => {
  test('a queue that never runs empty does not keep the values taken from it', async () => {
    // A subscription during a storm: one value read for each taken, so the queue is never
    // read through. It used to keep every value it ever held (GC copied and promoted them all).
    const q = new ReadQueue<{ n: number }>();
    q.push({ n: -1 });
    let first: WeakRef<{ n: number }> | undefined;
    for (let n = 0; n < 3000; n++) {
      q.push({ n });
      const taken = q.shift()!;
      first ??= new WeakRef(taken);
    }
    expect(q.size).toBe(1);
    await tick(); // WeakRef targets stay alive until the end of the job that made them
    gc();
    expect(first!.deref()).toBeUndefined();
  });

  test('values come out in order, with size, last and drain right, across compactions', () => {
    const q = new ReadQueue<number>();
    let next = 0;
    let expected = 0;
    // Keep 0..1500 values queued while taking more than 5000 in all.
    for (let round = 0; round < 40; round++) {
      const add = 50 + ((round * 37) % 120);
      for (let i = 0; i < add; i++) q.push(next++);
      expect(q.last()).toBe(next - 1);
      const take = Math.min(q.size, add + (round % 3 === 0 ? 30 : -20));
      for (let i = 0; i < take; i++) expect(q.shift()).toBe(expected++);
      expect(q.size).toBe(next - expected);
    }
    const rest = q.drain();
    expect(rest).toEqual(Array.from({ length: next - expected }, (_, i) => expected + i));
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
    expect(q.last()).toBeUndefined();
  });
});
