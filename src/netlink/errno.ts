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
  /** Operation not permitted (netlink: the capability, usually CAP_NET_ADMIN, is missing). */
  EPERM: 1,
  /** No such entry (file, namespace, or object such as a policy). */
  ENOENT: 2,
  /** No such process; netlink families reuse it for "no such object". */
  ESRCH: 3,
  /** Interrupted system call. */
  EINTR: 4,
  /** Input/output error. */
  EIO: 5,
  /** No such device or address. */
  ENXIO: 6,
  /** Argument list too long. */
  E2BIG: 7,
  /** Bad file descriptor (the socket is closed). */
  EBADF: 9,
  /** Try again: nothing to read on a non-blocking socket. */
  EAGAIN: 11,
  /** Out of memory. */
  ENOMEM: 12,
  /** Permission denied. */
  EACCES: 13,
  /** Bad address. */
  EFAULT: 14,
  /** Device or resource busy. */
  EBUSY: 16,
  /** The object exists already. */
  EEXIST: 17,
  /** No such device. */
  ENODEV: 19,
  /** Invalid argument. */
  EINVAL: 22,
  /** File table overflow. */
  ENFILE: 23,
  /** Too many open files. */
  EMFILE: 24,
  /** No space left (a table or a sequence space is full). */
  ENOSPC: 28,
  /** Result out of range. */
  ERANGE: 34,
  /** Function not implemented (also: an algorithm the kernel lacks). */
  ENOSYS: 38,
  /** No data available. */
  ENODATA: 61,
  /** Protocol error. */
  EPROTO: 71,
  /** Malformed message. */
  EBADMSG: 74,
  /** Value too large for its type. */
  EOVERFLOW: 75,
  /** Message too long for the socket buffer. */
  EMSGSIZE: 90,
  /** Protocol option not available. */
  ENOPROTOOPT: 92,
  /** Protocol not supported (e.g. a netlink family the kernel lacks). */
  EPROTONOSUPPORT: 93,
  /** Operation not supported. */
  EOPNOTSUPP: 95,
  /** Address family not supported. */
  EAFNOSUPPORT: 97,
  /** Address already in use. */
  EADDRINUSE: 98,
  /** Address not available. */
  EADDRNOTAVAIL: 99,
  /** Network is down. */
  ENETDOWN: 100,
  /** Network is unreachable. */
  ENETUNREACH: 101,
  /** No buffer space: a netlink receive buffer overran and messages were lost. */
  ENOBUFS: 105,
  /** Timed out. */
  ETIMEDOUT: 110,
  /** Connection refused. */
  ECONNREFUSED: 111,
  /** No route to host. */
  EHOSTUNREACH: 113,
  /** Operation already in progress. */
  EALREADY: 114,
  /** Operation now in progress. */
  EINPROGRESS: 115,
  /** Operation canceled. */
  ECANCELED: 125,
} as const);

/** A name of {@link Errno}, e.g. `'EEXIST'`. */
export type ErrnoName = keyof typeof Errno;

/** The table read backwards: number → name. */
const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Errno).map(([name, n]) => [n, name]));

/** Symbolic name of a positive Linux errno (`17` → `'EEXIST'`); unknown numbers give `'E<n>'`. @group Errors */
export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `E${errno}`;
}
