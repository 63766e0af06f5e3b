/**
 * `monitor`: print XFRM events until interrupted.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { XFRM_EVENT_GROUPS, type XfrmEventGroup } from '../client/events.js';
import { usageError } from './args.js';
import { stopSignal, type CommandContext } from './context.js';
import { CommandError } from './errors.js';
import { eventJson, formatEvent, jsonLine } from './format.js';
import { USAGE } from './usage.js';

/** Parse the group names of `monitor` (default: all). */
export function parseMonitorGroups(words: readonly string[]): XfrmEventGroup[] {
  const all = Object.keys(XFRM_EVENT_GROUPS) as XfrmEventGroup[];
  if (words.length === 0 || (words.length === 1 && words[0] === 'all')) return all;
  const out: XfrmEventGroup[] = [];
  for (const w of words) {
    if (!(all as string[]).includes(w)) throw usageError(`monitor: unknown event group ${quoteSafe(w)} (${all.join(', ')})`, USAGE.monitor);
    if (!out.includes(w as XfrmEventGroup)) out.push(w as XfrmEventGroup);
  }
  return out;
}

/** `monitor [GROUP…]`: runs until `ctx.env.signal` aborts (SIGINT/SIGTERM by default). */
export async function monitorCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const groups = parseMonitorGroups(words);
  let stream;
  try {
    stream = ctx.client().events(groups);
  } catch (e) {
    throw new CommandError(e, { command: 'monitor' });
  }
  const { signal, done } = stopSignal(ctx);
  const stop = (): void => void stream.return();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const { json, showKeys } = ctx.opts;
  try {
    for await (const ev of stream) {
      if (json) ctx.env.out(jsonLine(eventJson(ev), { showKeys }));
      else ctx.env.out(formatEvent(ev, { showKeys }) + '\n');
      if (ev.kind === 'overrun' && !json) ctx.env.err('netlink-xfrm: monitor: events were lost (overrun)\n');
    }
  } catch (e) {
    throw new CommandError(e, { command: 'monitor' });
  } finally {
    signal.removeEventListener('abort', stop);
    done();
  }
  return 0;
}
