/**
 * Usage lines of every command (shown with usage errors) and the `--help` text. The shared
 * keyword groups (SA identity, selector) and the flag and encapsulation words are written
 * from their grammar tables and `xfrm/names.ts`, so the text cannot drift from the parser.
 * @module
 */
import { XFRM_EVENT_GROUPS } from '../client/events.js';
import { ENCAP_TYPE_NAMES, POLICY_FLAG_NAMES, STATE_EXTRA_FLAG_NAMES, STATE_FLAG_NAMES } from '../xfrm/names.js';
import { ID_WORDS, SELECTOR_WORDS } from './common-words.js';
import { usageOf } from './grammar.js';

const ID = usageOf(ID_WORDS, ['src', 'dst', 'proto', 'spi'], ['mark']);
const SEL = usageOf(SELECTOR_WORDS, [], Object.keys(SELECTOR_WORDS));
const words = (names: readonly string[]): string => names.join('|');

/** One usage line (or a few) per command, keyed by `"<object> <verb>"`. */
export const USAGE = {
  'state list': 'netlink-xfrm state list [src PREFIX] [dst PREFIX] [proto esp|ah|comp]',
  'state get': `netlink-xfrm state get ${ID}`,
  'state add':
    `netlink-xfrm state add|update ${ID} [mode transport|tunnel|beet] [reqid R]\n` +
    `         [replay-window N] [flag ${words(STATE_FLAG_NAMES.names)} ...]\n` +
    '         [enc NAME KEY] [auth NAME KEY] [auth-trunc NAME KEY BITS] [aead NAME KEY ICVBITS] [comp NAME]\n' +
    `         [encap ${words(ENCAP_TYPE_NAMES.names)} SPORT DPORT OADDR] [output-mark V[/M]] [if_id N] [dir in|out] [tfcpad N]\n` +
    `         [extra-flag ${words(STATE_EXTRA_FLAG_NAMES.names)} ...] [coa ADDR] [seq ACQSEQ] [pcpu N]\n` +
    `         [sel ${SEL}]\n` +
    '         [limit time-soft|time-hard|time-use-soft|time-use-hard SECONDS | byte-soft|byte-hard N | packet-soft|packet-hard N ...]\n' +
    '         [replay-seq N] [replay-oseq N] [replay-seq-hi N] [replay-oseq-hi N]\n' +
    '       netlink-xfrm state add|update --batch FILE|-     (JSON lines, one XfrmStateInput per line)',
  'state delete': `netlink-xfrm state delete ${ID}`,
  'state flush': 'netlink-xfrm state flush [proto esp|ah|comp|any]',
  'state allocspi':
    'netlink-xfrm state allocspi src ADDR dst ADDR proto esp|ah|comp [min N max N] [mode M] [reqid R] [mark V[/M]] [if_id N]',
  'state count': 'netlink-xfrm state count',
  'policy list': 'netlink-xfrm policy list [dir in|out|fwd]',
  'policy get':
    'netlink-xfrm policy get dir in|out|fwd (src PREFIX dst PREFIX [proto P] [sport N] [dport N] | index N) [ptype main|sub] [mark V[/M]] [if_id N]',
  'policy add':
    'netlink-xfrm policy add|update dir in|out|fwd src PREFIX dst PREFIX [proto P] [sport N] [dport N] [type N] [code N]\n' +
    `         [priority N] [action allow|block] [index N] [ptype main|sub] [mark V[/M]] [if_id N] [flag ${words(POLICY_FLAG_NAMES.names)} ...]\n` +
    '         [limit ...] [tmpl [src ADDR] [dst ADDR] proto esp|ah|comp [spi SPI] [reqid R] [mode M] [level required|use]]...\n' +
    '       netlink-xfrm policy add|update --batch FILE|-    (JSON lines, one XfrmPolicyInput per line)',
  'policy delete':
    'netlink-xfrm policy delete dir in|out|fwd (src PREFIX dst PREFIX [proto P] [sport N] [dport N] | index N) [ptype main|sub] [mark V[/M]] [if_id N]',
  'policy flush': 'netlink-xfrm policy flush [ptype main|sub]',
  'policy count': 'netlink-xfrm policy count',
  'policy default': 'netlink-xfrm policy default [in accept|block] [fwd accept|block] [out accept|block]',
  'policy hthresh': 'netlink-xfrm policy hthresh [4 LBITS RBITS] [6 LBITS RBITS]',
  'replay get': `netlink-xfrm replay get ${ID}`,
  'replay set':
    `netlink-xfrm replay set ${ID} [oseq N] [seq N] [bitmap 0xHEX] [oseq-hi N] [seq-hi N] [bmp 0xW,0xW,...]\n` +
    '         [replay-thresh N] [etimer-thresh JIFFIES]',
  monitor: `netlink-xfrm monitor ${Object.keys(XFRM_EVENT_GROUPS)
    .map((g) => `[${g}]`)
    .join(' ')}   (default: all)`,
  snapshot: 'netlink-xfrm snapshot [--output FILE] [src PREFIX] [dst PREFIX] [proto esp|ah|comp]   (or > FILE; never to a terminal)',
  restore: 'netlink-xfrm restore [--outbound-seq-margin N] [--inbound-window saved|closed] [--replace] [--in-place] FILE|-',
  'ha publish': 'netlink-xfrm [--netns A] ha publish --listen ADDR:PORT --psk-file FILE [--replay-thresh N] [--timer-thresh MS]',
  'ha follow': 'netlink-xfrm ha follow --connect ADDR:PORT --psk-file FILE --journal FILE',
  'ha takeover': 'netlink-xfrm [--netns S] ha takeover --journal FILE [--outbound-seq-margin N] [--force] [--json]',
  demo: 'netlink-xfrm demo [--no-uml]   (as root: ESP between two throwaway network namespaces, snapshot/restore;\n' +
    '         on a kernel without ESP again inside user-mode-linux unless --no-uml)',
  uml:
    'netlink-xfrm uml [--timeout SECONDS] [--mem SIZE] [--env KEY=VALUE]... -- COMMAND [ARGS...]\n' +
    '         (runs COMMAND as root inside a user-mode-linux kernel with ESP, in the current directory, with\n' +
    '         your PATH; output shown when it ends; exit status = COMMAND\'s, 124 timeout (default 600 s),\n' +
    '         125 guest failure; needs linux/x64 and `apt-get install user-mode-linux`)',
  decode: 'netlink-xfrm decode [--hex] [--show-keys] [FILE|-]',
  encode: 'netlink-xfrm encode [FILE|-]',
} as const;

/** Key of {@link USAGE}. */
export type UsageKey = keyof typeof USAGE;

/** The `--help` text. */
export const HELP = `usage: netlink-xfrm [global options] <command> ...

IPsec SAs, policies, replay state and events over netlink (like \`ip xfrm\`), plus HA snapshot/restore.

SAs:
  ${USAGE['state list']}
  ${USAGE['state get']}
  ${USAGE['state add']}
  ${USAGE['state delete']}
  ${USAGE['state flush']}
  ${USAGE['state allocspi']}
  ${USAGE['state count']}
policies:
  ${USAGE['policy list']}
  ${USAGE['policy get']}
  ${USAGE['policy add']}
  ${USAGE['policy delete']}
  ${USAGE['policy flush']}
  ${USAGE['policy count']}
  ${USAGE['policy default']}
  ${USAGE['policy hthresh']}
replay state (GETAE/NEWAE):
  ${USAGE['replay get']}
  ${USAGE['replay set']}
events:
  ${USAGE.monitor}
HA (snapshot contains keys: store it like key material):
  ${USAGE.snapshot}
  ${USAGE.restore}
live HA (a standby mirrors the active node, takes over after a crash; the link carries keys: TLS with a PSK):
  ${USAGE['ha publish']}
  ${USAGE['ha follow']}
  ${USAGE['ha takeover']}
other:
  ${USAGE.demo}
  ${USAGE.uml}
  ${USAGE.decode}   (netlink bytes → JSON)
  ${USAGE.encode}   (JSON from decode → hex)
  netlink-xfrm help

global options (anywhere on the line):
  --netns NAME    work in network namespace NAME (/run/netns/NAME, or a path)
  --json          one JSON object per line (field names of the TypeScript types)
  --show-keys     print key material (redacted otherwise, in every output)
  --help          this text

notes:
  keys are 0x hex; SPI, reqid and marks take decimal or 0x hex.
  replay-window > 32 without "flag esn" uses the bitmap (BMP) replay state: the legacy window is
  clamped to 32 by the kernel. With "flag esn" the window goes into XFRMA_REPLAY_ESN_VAL.
  "state update" over a live SA changes only selector, lifetimes, encap, marks and if_id; the
  kernel ignores keys and replay state there: use "replay set" for replay state.
  etimer-thresh is written in jiffies but read back in 100 ms units (kernel quirk).
  snapshot --output FILE writes the keys with mode 0600, atomically (temporary file, fsync,
  rename); without it standard output must be redirected (a terminal is refused, exit 2).
  Larval SAs (IKE negotiations in progress) are listed in the snapshot's "skipped", not saved.
  restore reports every entry (restored, skipped or failed with the reason); exit 1 if any
  failed. --replace puts the live SA back if the saved one cannot be added, and says so.
  ha publish (active node) sets replay/timer thresholds (default 256 packets, 1000 ms) on every
  SA and streams SAs, policies and counters; ha follow (standby) keeps them in a journal (mode
  0600) and prints its lag; both run until SIGTERM/SIGINT. ha takeover installs the journal's
  policies and SAs: outbound oseq = synced + margin (default 65536; must cover the threshold),
  inbound seq = synced + threshold with the window closed; exit 0 only if every one is in place.
  --psk-file: the file's whole content is the key (32 to 512 bytes, mode 0600).

exit codes: 0 ok, 1 kernel error, 2 usage, 3 malformed data, 4 I/O or system error
`;
