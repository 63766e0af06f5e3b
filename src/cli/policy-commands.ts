/**
 * `policy …`: the SPD, its defaults and hash thresholds.
 * @module
 */
import { type XfrmPolicy, type XfrmPolicyInput } from '../client/policy.js';
import { revivePolicyInput } from './batch.js';
import { addCommand, noWords, requestVerb, runVerb, wrap, type BatchSpec, type Verb } from './command-kit.js';
import { type CommandContext } from './context.js';
import { formatDefaults, formatHthresh, formatPolicy, formatSpdInfo, jsonLine } from './format.js';
import { parseHthresh, parsePolicyAdd, parsePolicyDefault, parsePolicyFlush, parsePolicyId, parsePolicyList } from './policy-args.js';
import { USAGE } from './usage.js';

/** `policy add|update --batch`: JSON lines of {@link XfrmPolicyInput}. */
const POLICY_BATCH: BatchSpec<XfrmPolicyInput> = {
  object: 'policy',
  noun: 'policies',
  revive: revivePolicyInput,
  send: (c, chunk, update) => c.addPolicies(chunk, { update }),
};

/** Print one policy (JSON or ip-xfrm text). */
function printPolicy(ctx: CommandContext, p: XfrmPolicy): void {
  ctx.env.out(ctx.opts.json ? jsonLine(p) : formatPolicy(p));
}

/** The verbs of `policy`: the first (`list`) is the default. */
const POLICY_VERBS: readonly Verb[] = [
  {
    names: ['list', 'show', 'ls'],
    run: async (ctx, words, { command }) => {
      const { dir } = parsePolicyList(words);
      // Through views: a policy of another direction is skipped before it is decoded.
      await wrap(
        command,
        ctx.client().forEachPolicy((p) => {
          if (dir === undefined || p.dir === dir) printPolicy(ctx, p.toObject());
        }),
      );
      return 0;
    },
  },
  requestVerb(['get'], (words) => parsePolicyId(words, USAGE['policy get']), (c, id) => c.getPolicy(id), printPolicy),
  {
    names: ['add', 'update'],
    run: (ctx, words, { verb }) =>
      addCommand(ctx, POLICY_BATCH, verb === 'add' ? 'add' : 'update', words, async (command, rest) => {
        const p = parsePolicyAdd(rest);
        await wrap(command, verb === 'add' ? ctx.client().addPolicy(p) : ctx.client().updatePolicy(p));
      }),
  },
  requestVerb(['delete', 'del'], (words) => parsePolicyId(words, USAGE['policy delete']), (c, id) => c.deletePolicy(id)),
  requestVerb(['flush'], parsePolicyFlush, (c, type) => c.flushPolicies(type)),
  requestVerb(['count'], noWords(USAGE['policy count']), (c) => c.countPolicies(), (ctx, info) => ctx.env.out(ctx.opts.json ? jsonLine(info) : formatSpdInfo(info))),
  // With words: set the default verdicts; without: show them.
  requestVerb(['default'], parsePolicyDefault, (c, set) => (set ? c.setDefaultPolicy(set).then(() => undefined) : c.getDefaultPolicy()), (ctx, d) => {
    if (d) ctx.env.out(ctx.opts.json ? jsonLine(d) : formatDefaults(d));
  }),
  // With words: set the SPD hash thresholds; without: show them (from the SPD info).
  requestVerb(['hthresh'], parseHthresh, (c, set) => (set ? c.setPolicyHashThresholds(set).then(() => undefined) : c.countPolicies()), (ctx, info) => {
    if (info) ctx.env.out(ctx.opts.json ? jsonLine({ ipv4Thresh: info.ipv4Thresh, ipv6Thresh: info.ipv6Thresh }) : formatHthresh(info));
  }),
];

/** `policy <verb> …`. @returns the exit code. */
export function policyCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  return runVerb('policy', POLICY_VERBS, ctx, verb, words);
}
