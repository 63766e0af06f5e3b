/**
 * What to do about a kernel error, in words: the hints {@link XfrmClient} puts on every
 * {@link NetlinkKernelError} of its calls (`error.hint`, and `(hint: …)` in the message) and
 * the CLI prints. They live here, not in netlink/: only this layer knows that EEXIST on
 * `XFRM_MSG_NEWSA` means "use update", or that a missing type is the `esp4` module.
 * @module
 */
import { NetlinkKernelError } from '../netlink/errors.js';
import { AF_INET, AF_INET6, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP } from '../xfrm/constants.js';
import { type XfrmState } from './state.js';

/** What the call knew, for the hint: the client's namespace and the SA it wrote. */
export interface XfrmHintContext {
  /** The client's network namespace (`XfrmClientOptions.netns`); absent: the process's own. */
  netns?: string;
  /** The SA the request wrote (NEWSA/UPDSA): its protocol, family and algorithm names. */
  state?: Pick<XfrmState, 'proto' | 'family' | 'aead' | 'crypt' | 'auth' | 'comp'>;
}

/** The hint for a larval SA given to NEWAE (the kernel: "SA must be in VALID state"). */
export const LARVAL_SA_HINT =
  'the SA is larval (reserved by allocSpi or an ACQUIRE, no keys yet): it must be VALID — install it with updateState / `state update` first';

/** Module of each protocol's XFRM type, per family (the kernel loads it as `xfrm-type-<family>-<proto>`). */
const TYPE_MODULES: Record<number, Record<number, string>> = {
  [IPPROTO_ESP]: { [AF_INET]: 'esp4', [AF_INET6]: 'esp6' },
  [IPPROTO_AH]: { [AF_INET]: 'ah4', [AF_INET6]: 'ah6' },
  // The IPComp types need the shared xfrm_ipcomp module too (modprobe loads it as a dependency).
  [IPPROTO_COMP]: { [AF_INET]: 'ipcomp', [AF_INET6]: 'ipcomp6' },
};

/** `Requested AEAD algorithm not found` and its AUTH, CRYPT and COMP siblings: which algorithm. */
const ALG_NOT_FOUND = /Requested (AEAD|AUTH|CRYPT|COMP) algorithm not found/i;

/** True for the errors that mean "the kernel lacks the protocol or the algorithm". */
export function isMissingModule(e: NetlinkKernelError): boolean {
  const text = e.extackMessage ?? '';
  return e.code === 'EPROTONOSUPPORT' || e.code === 'ENOSYS' || /Requested type not found/i.test(text) || /algorithm not found/i.test(text);
}

/**
 * Module names of a crypto algorithm name: each template and cipher in it is a module alias
 * (`rfc4106(gcm(aes))` → `rfc4106 gcm aes`; the crypto modules declare their names as aliases).
 */
function algorithmModules(name: string): string[] {
  const out: string[] = [];
  for (const w of name.split(/[(),]/)) if (/^[A-Za-z0-9_-]+$/.test(w) && !out.includes(w)) out.push(w);
  return out;
}

function missingModuleHint(e: NetlinkKernelError, ctx: XfrmHintContext): string {
  const s = ctx.state;
  const alg = ALG_NOT_FOUND.exec(e.extackMessage ?? '');
  if (alg && s) {
    const kind = alg[1]!.toUpperCase();
    const name = kind === 'AEAD' ? s.aead?.name : kind === 'AUTH' ? s.auth?.name : kind === 'CRYPT' ? s.crypt?.name : s.comp;
    const mods = name ? algorithmModules(name) : [];
    if (name && mods.length > 0) return `missing kernel module for the ${kind} algorithm ${name}: try modprobe ${mods.join(' ')}`;
  }
  const mod = s ? TYPE_MODULES[s.proto]?.[s.family] : undefined;
  if (mod && !alg) return `missing kernel module ${mod}${s!.proto === IPPROTO_COMP ? ' (with xfrm_ipcomp)' : ''}: try modprobe ${mod}`;
  return 'missing kernel module (esp4/esp6/ah4/ah6/ipcomp/ipcomp6, or the crypto algorithm): try modprobe';
}

/**
 * The hint for a kernel error of an XFRM request, or undefined when there is nothing to add:
 * - EPERM: CAP_NET_ADMIN is needed in the socket's network namespace (named when known);
 * - EEXIST on NEWSA / NEWPOLICY: the object exists, use the update call;
 * - EPROTONOSUPPORT, ENOSYS, "Requested … not found": the missing module by name (`esp4`,
 *   `esp6`, `ah4`, `ah6`, `ipcomp`, `ipcomp6`, or the algorithm's modules) when the SA is known;
 * - EINVAL "SA must be in VALID state" (NEWAE of a larval SA): {@link LARVAL_SA_HINT};
 * - ESRCH / ENOENT: no such SA / no such policy.
 */
export function xfrmErrorHint(e: NetlinkKernelError, ctx: XfrmHintContext = {}): string | undefined {
  const req = e.request ?? '';
  if (e.code === 'EPERM') {
    const where = ctx.netns !== undefined ? `network namespace ${JSON.stringify(ctx.netns)}` : "the socket's network namespace";
    return `needs CAP_NET_ADMIN in ${where} (run as root)`;
  }
  if (isMissingModule(e)) return missingModuleHint(e, ctx);
  if (e.code === 'EEXIST') {
    if (req === 'XFRM_MSG_NEWSA') return 'an SA with this daddr/spi/proto/mark exists (an SPI reserved by allocSpi too): use updateState';
    if (req === 'XFRM_MSG_NEWPOLICY') return 'a policy with this selector/dir/mark exists: use updatePolicy';
  }
  if (e.code === 'EINVAL' && /must be in VALID state/i.test(e.extackMessage ?? '')) return LARVAL_SA_HINT;
  if (e.code === 'ESRCH' || e.code === 'ENOENT') {
    if (req.includes('POLICY')) return 'no such policy';
    if (/SA$|AE$|EXPIRE$|ALLOCSPI$/.test(req)) return 'no such SA';
  }
  return undefined;
}

/** Put {@link xfrmErrorHint} on `e` when it is a {@link NetlinkKernelError}; returns `e`. */
export function withXfrmHint<E>(e: E, ctx: XfrmHintContext): E {
  if (e instanceof NetlinkKernelError) e.addHint(xfrmErrorHint(e, ctx));
  return e;
}
