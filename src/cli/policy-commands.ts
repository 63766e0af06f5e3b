/**
 * `policy …`: the SPD, its defaults and hash thresholds.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { takeOptions, usageError } from './args.js';
import { revivePolicyInput } from './batch.js';
import { type CommandContext } from './context.js';
import { CommandError } from './errors.js';
import { formatDefaults, formatHthresh, formatPolicy, formatSpdInfo, jsonLine } from './format.js';
import { parseHthresh, parsePolicyAdd, parsePolicyDefault, parsePolicyFlush, parsePolicyId, parsePolicyList } from './policy-args.js';
import { runBatch } from './state-commands.js';
import { USAGE } from './usage.js';

async function wrap<T>(command: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new CommandError(e, { command });
  }
}

/** `policy <verb> …`. @returns the exit code. */
export async function policyCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  const json = ctx.opts.json;
  const out = ctx.env.out;
  switch (verb) {
    case undefined:
    case 'list':
    case 'show':
    case 'ls': {
      const { dir } = parsePolicyList(words);
      await wrap('policy list', (async () => {
        for await (const p of ctx.client().listPolicies()) {
          if (dir !== undefined && p.dir !== dir) continue;
          out(json ? jsonLine(p) : formatPolicy(p));
        }
      })());
      return 0;
    }
    case 'get': {
      const id = parsePolicyId(words, USAGE['policy get']);
      const p = await wrap('policy get', ctx.client().getPolicy(id));
      out(json ? jsonLine(p) : formatPolicy(p));
      return 0;
    }
    case 'add':
    case 'update': {
      const command = `policy ${verb}`;
      const { rest, options } = takeOptions(words, { '--batch': 'value' }, USAGE['policy add']);
      const batch = options.get('--batch');
      if (typeof batch === 'string') {
        if (rest.length > 0) throw usageError('--batch takes no other arguments', USAGE['policy add']);
        return runBatch(ctx, { command, noun: 'policies', verb: verb === 'add' ? 'added' : 'updated' }, batch, revivePolicyInput, (c, chunk) =>
          c.addPolicies(chunk, { update: verb === 'update' }),
        );
      }
      const p = parsePolicyAdd(rest);
      await wrap(command, verb === 'add' ? ctx.client().addPolicy(p) : ctx.client().updatePolicy(p));
      return 0;
    }
    case 'delete':
    case 'del': {
      const id = parsePolicyId(words, USAGE['policy delete']);
      await wrap('policy delete', ctx.client().deletePolicy(id));
      return 0;
    }
    case 'flush': {
      const type = parsePolicyFlush(words);
      await wrap('policy flush', ctx.client().flushPolicies(type));
      return 0;
    }
    case 'count': {
      if (words.length > 0) throw usageError(`unexpected ${quoteSafe(words[0])}`, USAGE['policy count']);
      const info = await wrap('policy count', ctx.client().countPolicies());
      out(json ? jsonLine(info) : formatSpdInfo(info));
      return 0;
    }
    case 'default': {
      const set = parsePolicyDefault(words);
      if (set) {
        await wrap('policy default', ctx.client().setDefaultPolicy(set));
        return 0;
      }
      const d = await wrap('policy default', ctx.client().getDefaultPolicy());
      out(json ? jsonLine(d) : formatDefaults(d));
      return 0;
    }
    case 'hthresh': {
      const set = parseHthresh(words);
      if (set) {
        await wrap('policy hthresh', ctx.client().setPolicyHashThresholds(set));
        return 0;
      }
      const info = await wrap('policy hthresh', ctx.client().countPolicies());
      out(json ? jsonLine({ ipv4Thresh: info.ipv4Thresh, ipv6Thresh: info.ipv6Thresh }) : formatHthresh(info));
      return 0;
    }
    default:
      throw usageError(
        `unknown policy command "${verb}"`,
        Object.entries(USAGE)
          .filter(([k]) => k.startsWith('policy'))
          .map(([, v]) => v)
          .join('\n       '),
      );
  }
}
