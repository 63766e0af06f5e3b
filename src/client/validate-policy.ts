/**
 * Input checks of the policy methods of {@link XfrmClient} (policies, their ids, templates,
 * migration, SPD settings), built on the primitives of `validate.ts`: same rules — a
 * {@link NetlinkEncodeError} naming the field's path, never its value; no allocation unless a
 * check fails (bulk loads run these per policy).
 * @module
 */
import { AF_INET, AF_INET6, XFRM_MAX_DEPTH, XFRM_MODE_BEET, XFRM_MODE_IPTFS, XFRM_MODE_TUNNEL } from '../xfrm/constants.js';
import {
  addrInFamily,
  checkEncap,
  checkExtraAttrs,
  checkLifetimeCfg,
  checkLifetimeCur,
  checkMark,
  checkOffload,
  checkSecCtx,
  checkSelector,
  fail,
  familyName,
  ipFamily,
  isObj,
  isUint,
  optUint,
  optUints,
  str,
  U16,
  U32,
  U8,
  uint,
  type UintFields,
} from './validate.js';

const POLICY_UINTS: UintFields = [['action', U8], ['priority', U32], ['index', U32], ['flags', U8], ['share', U8]];
const DEFAULT_POLICY_UINTS: UintFields = [['in', U8], ['fwd', U8], ['out', U8]];

/**
 * Check one `xfrm_user_tmpl` of a policy whose selector family is `policyFamily`; `prevFamily`
 * is the family the previous template (or the selector) leaves the packet in. Returns the
 * family this template leaves it in.
 */
function checkTemplate(v: unknown, policyFamily: number, prevFamily: number, prefix: string, index: number): number {
  if (!isObj(v)) fail(prefix, index, '', 'expected a template object');
  const id = v.id;
  if (!isObj(id)) fail(prefix, index, '.id', 'expected an object');
  str(id.daddr, prefix, index, '.id.daddr');
  uint(id.spi, U32, prefix, index, '.id.spi');
  uint(id.proto, U8, prefix, index, '.id.proto');
  const fam = v.family;
  if (fam !== 0 && fam !== AF_INET && fam !== AF_INET6) fail(prefix, index, '.family', 'expected 0 (the policy\'s), AF_INET (2) or AF_INET6 (10)');
  str(v.saddr, prefix, index, '.saddr');
  uint(v.reqid, U32, prefix, index, '.reqid');
  uint(v.mode, U8, prefix, index, '.mode');
  uint(v.share, U8, prefix, index, '.share');
  uint(v.optional, U8, prefix, index, '.optional');
  // The algorithm masks are usually ~0 (0xffffffff): no small integer, so passing one to a
  // check that is not inlined boxes it — three heap numbers per template of a bulk load.
  // Tested here inline; `uint` (the same error) only when the test fails.
  const { aalgos, ealgos, calgos } = v;
  if (typeof aalgos !== 'number' || aalgos >>> 0 !== aalgos) uint(aalgos, U32, prefix, index, '.aalgos');
  if (typeof ealgos !== 'number' || ealgos >>> 0 !== ealgos) uint(ealgos, U32, prefix, index, '.ealgos');
  if (typeof calgos !== 'number' || calgos >>> 0 !== calgos) uint(calgos, U32, prefix, index, '.calgos');
  // family 0 means the policy's: the kernel fills it in before using the addresses.
  const af = fam === 0 ? policyFamily : (fam as number);
  addrInFamily(id.daddr as string, af, prefix, index, '.id.daddr', 'a template');
  addrInFamily(v.saddr as string, af, prefix, index, '.saddr', 'a template');
  // Only tunnel-type modes put the packet in another family (the kernel's validate_tmpl:
  // "Mode in template doesn't support a family change").
  const mode = v.mode as number;
  if (af !== prevFamily && mode !== XFRM_MODE_TUNNEL && mode !== XFRM_MODE_BEET && mode !== XFRM_MODE_IPTFS) {
    fail(prefix, index, '.family', `${familyName(af)} after ${familyName(prevFamily)}: only tunnel and BEET templates change the family`);
  }
  return af;
}

let lastPrefix = '';
let lastTemplatesPath = '.templates';

/** `prefix + '.templates'`, made once per prefix rather than once per policy of a bulk load. */
function templatesPath(prefix: string): string {
  if (prefix !== lastPrefix) {
    lastPrefix = prefix;
    lastTemplatesPath = prefix + '.templates';
  }
  return lastTemplatesPath;
}

/**
 * Check an `XfrmPolicyInput` (or complete `XfrmPolicy`): every field, the selector's family
 * (AF_INET or AF_INET6, as the kernel requires for policies) and addresses, and each
 * template's addresses against the template's family.
 */
export function checkPolicyInput(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected a policy object');
  const sel = v.selector;
  if (isObj(sel)) ipFamily(sel.family, prefix, -1, '.selector.family');
  checkSelector(sel, prefix, -1, '.selector', 0);
  uint(v.dir, U8, prefix, -1, '.dir');
  optUints(v, POLICY_UINTS, prefix);
  if (v.lifetime !== undefined) checkLifetimeCfg(v.lifetime, prefix, '.lifetime');
  if (v.current !== undefined) checkLifetimeCur(v.current, prefix, '.current');
  if (v.templates !== undefined) {
    const ts = v.templates;
    if (!Array.isArray(ts)) fail(prefix, -1, '.templates', 'expected an array');
    if (ts.length > XFRM_MAX_DEPTH) fail(prefix, -1, '.templates', `has more than ${XFRM_MAX_DEPTH} templates`);
    const fam = (sel as { family: number }).family;
    const tp = templatesPath(prefix);
    let prev = fam;
    for (let i = 0; i < ts.length; i++) prev = checkTemplate(ts[i], fam, prev, tp, i);
  }
  optUint(v.type, U8, prefix, -1, '.type');
  if (v.mark !== undefined) checkMark(v.mark, prefix, -1, '.mark');
  optUint(v.ifId, U32, prefix, -1, '.ifId');
  if (v.secCtx !== undefined) checkSecCtx(v.secCtx, prefix, '.secCtx');
  if (v.offload !== undefined) checkOffload(v.offload, prefix, '.offload');
  if (v.extraAttrs !== undefined) checkExtraAttrs(v.extraAttrs, prefix, '.extraAttrs');
}

/** Check an `XfrmPolicyId` (getPolicy, deletePolicy(ies)): by `index` or by `selector`. */
export function checkPolicyId(v: unknown, prefix: string, index = -1): void {
  if (!isObj(v)) fail(prefix, index, '', 'expected a policy id object ({ dir, index } or { dir, selector })');
  uint(v.dir, U8, prefix, index, '.dir');
  if (v.selector === undefined && v.index === undefined) fail(prefix, index, '', 'needs an index or a selector');
  if (v.selector !== undefined) {
    const sel = v.selector;
    if (isObj(sel)) ipFamily(sel.family, prefix, index, '.selector.family');
    checkSelector(sel, prefix, index, '.selector', 0);
  }
  optUint(v.index, U32, prefix, index, '.index');
  optUint(v.type, U8, prefix, index, '.type');
  if (v.mark !== undefined) checkMark(v.mark, prefix, index, '.mark');
  optUint(v.ifId, U32, prefix, index, '.ifId');
}

/** Check setPolicyHashThresholds' argument. */
export function checkHashThresholds(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  for (const [k, max] of [['ipv4', 32], ['ipv6', 128]] as const) {
    const t = v[k];
    if (t === undefined) continue;
    if (!isObj(t)) fail(prefix, -1, '.' + k, 'expected an object ({ lbits, rbits })');
    if (!isUint(t.lbits, max)) fail(prefix, -1, `.${k}.lbits`, `expected an integer from 0 to ${max}`);
    if (!isUint(t.rbits, max)) fail(prefix, -1, `.${k}.rbits`, `expected an integer from 0 to ${max}`);
  }
}

/** Check setDefaultPolicy's argument. */
export function checkDefaultPolicy(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  optUints(v, DEFAULT_POLICY_UINTS, prefix);
}

/** Check migrate's argument: selector, direction, 1–6 migrations with addresses in their families, kmaddress, encap. */
export function checkMigrate(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  const sel = v.selector;
  if (isObj(sel)) ipFamily(sel.family, prefix, -1, '.selector.family');
  checkSelector(sel, prefix, -1, '.selector', 0);
  uint(v.dir, U8, prefix, -1, '.dir');
  const ms = v.migrations;
  if (!Array.isArray(ms)) fail(prefix, -1, '.migrations', 'expected an array');
  if (ms.length < 1 || ms.length > XFRM_MAX_DEPTH) fail(prefix, -1, '.migrations', `expected 1 to ${XFRM_MAX_DEPTH} entries`);
  const mp = prefix + '.migrations';
  for (let i = 0; i < ms.length; i++) {
    const m: unknown = ms[i];
    if (!isObj(m)) fail(mp, i, '', 'expected an object');
    str(m.oldDaddr, mp, i, '.oldDaddr');
    str(m.oldSaddr, mp, i, '.oldSaddr');
    str(m.newDaddr, mp, i, '.newDaddr');
    str(m.newSaddr, mp, i, '.newSaddr');
    uint(m.proto, U8, mp, i, '.proto');
    uint(m.mode, U8, mp, i, '.mode');
    uint(m.reserved, U16, mp, i, '.reserved');
    uint(m.reqid, U32, mp, i, '.reqid');
    ipFamily(m.oldFamily, mp, i, '.oldFamily');
    ipFamily(m.newFamily, mp, i, '.newFamily');
    addrInFamily(m.oldDaddr as string, m.oldFamily as number, mp, i, '.oldDaddr', 'a migration');
    addrInFamily(m.oldSaddr as string, m.oldFamily as number, mp, i, '.oldSaddr', 'a migration');
    addrInFamily(m.newDaddr as string, m.newFamily as number, mp, i, '.newDaddr', 'a migration');
    addrInFamily(m.newSaddr as string, m.newFamily as number, mp, i, '.newSaddr', 'a migration');
  }
  if (v.kmaddress !== undefined) {
    const k = v.kmaddress;
    if (!isObj(k)) fail(prefix, -1, '.kmaddress', 'expected an object');
    str(k.local, prefix, -1, '.kmaddress.local');
    str(k.remote, prefix, -1, '.kmaddress.remote');
    uint(k.reserved, U32, prefix, -1, '.kmaddress.reserved');
    ipFamily(k.family, prefix, -1, '.kmaddress.family');
    addrInFamily(k.local as string, k.family as number, prefix, -1, '.kmaddress.local', 'a kmaddress');
    addrInFamily(k.remote as string, k.family as number, prefix, -1, '.kmaddress.remote', 'a kmaddress');
  }
  // The new encapsulation belongs to the migrated SAs: its OA is read in their new family.
  if (v.encap !== undefined) checkEncap(v.encap, (ms[0] as { newFamily: number }).newFamily, prefix, '.encap', 'a migration');
  optUint(v.type, U8, prefix, -1, '.type');
  optUint(v.ifId, U32, prefix, -1, '.ifId');
}

/** Check migrateState's arguments (`xfrm_user_migrate_state` and its attribute list). */
export function checkMigrateState(v: unknown, attrs: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  const id = v.id;
  if (!isObj(id)) fail(prefix, -1, '.id', 'expected an object');
  str(id.daddr, prefix, -1, '.id.daddr');
  uint(id.spi, U32, prefix, -1, '.id.spi');
  ipFamily(id.family, prefix, -1, '.id.family');
  uint(id.proto, U8, prefix, -1, '.id.proto');
  addrInFamily(id.daddr as string, id.family as number, prefix, -1, '.id.daddr', 'an SA');
  str(v.newDaddr, prefix, -1, '.newDaddr');
  str(v.newSaddr, prefix, -1, '.newSaddr');
  checkMark(v.oldMark, prefix, -1, '.oldMark');
  uint(v.newReqid, U32, prefix, -1, '.newReqid');
  uint(v.flags, U32, prefix, -1, '.flags');
  ipFamily(v.newFamily, prefix, -1, '.newFamily');
  uint(v.reserved, U16, prefix, -1, '.reserved');
  checkSelector(v.newSel, prefix, -1, '.newSel', v.newFamily as number);
  addrInFamily(v.newDaddr as string, v.newFamily as number, prefix, -1, '.newDaddr', 'an SA');
  addrInFamily(v.newSaddr as string, v.newFamily as number, prefix, -1, '.newSaddr', 'an SA');
  checkExtraAttrs(attrs, 'attrs', '');
}