/**
 * Linux errno numbers and names, kept in a table of our own so the pure codecs need nothing
 * from Node (they also run in browsers and on macOS, where `util.getSystemErrorName` or
 * `os.constants.errno` would give the wrong numbers for Linux errnos). Every errno number the
 * library compares against, and every name it reports, comes from this one table.
 * @module
 */

/**
 * Linux errno numbers by kernel name (asm-generic/errno-base.h and errno.h), for the codes
 * netlink and the socket calls return: compare with `err.errno === Errno.ENOBUFS`.
 */
export const Errno = Object.freeze({
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  ENODATA: 61,
  EPROTO: 71,
  EBADMSG: 74,
  EOVERFLOW: 75,
  EMSGSIZE: 90,
  ENOPROTOOPT: 92,
  EPROTONOSUPPORT: 93,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ENOBUFS: 105,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
  ECANCELED: 125,
} as const);

/** A name of {@link Errno}, e.g. `'EEXIST'`. */
export type ErrnoName = keyof typeof Errno;

/** The table read backwards: number → name. */
const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Errno).map(([name, n]) => [n, name]));

/** Symbolic name of a positive Linux errno (`17` → `'EEXIST'`); unknown numbers give `'E<n>'`. */
export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `E${errno}`;
}
