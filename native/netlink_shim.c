/*
 * netlink_shim.c: the smallest possible AF_NETLINK socket for Node.js, written against
 * node_api.h only (no node-addon-api, no node-gyp-build). It has no policy: framing,
 * sequence numbers, acknowledgements and errors are all handled in TypeScript
 * (src/socket/). Every failing system call throws a JS Error carrying
 * { syscall, errno (positive), code ('ENOBUFS', ...) }.
 *
 * Exports:
 *   open(protocol, netnsPath?)            -> fd     socket(AF_NETLINK, SOCK_RAW|NONBLOCK|CLOEXEC)
 *   bind(fd, groupsBitmask)               -> undefined   (nl_pid 0: the kernel picks the port id)
 *   getsockname(fd)                       -> port id (nl_pid)
 *   setsockoptInt(fd, level, name, value) -> undefined
 *   getsockoptInt(fd, level, name)        -> int
 *   send(fd, Uint8Array)                  -> bytes sent (one sendmsg to the kernel, nl_pid 0)
 *   sendAsync(fd, Uint8Array, chain?)     -> Promise of the bytes sent (the same sendmsg on a libuv worker;
 *                                            a socket's sends run in call order: see below)
 *   orderedSends                          -> true: sendAsync keeps that order and knows `chain`
 *   recv(fd, Uint8Array)                  -> { length, truncated, pid, groups } | null on EAGAIN
 *   recvAsync(fd, Uint8Array, slotSize)   -> Promise of [info | Error, ...]: up to length/slotSize
 *                                            datagrams read on a libuv worker (see below)
 *   recvBatch(fd, Uint8Array, slotSize, Int32Array) -> count: the queued datagrams packed into
 *                                            one buffer, in one call (see below)
 *   peekLength(fd)                        -> length of the next datagram | null on EAGAIN
 *   poll(fd, callback)                    -> handle; callback(status, events) on readability
 *   startPoll(handle) / stopPoll(handle) / closePoll(handle)
 *   close(fd)
 *   readerOpen(fd, slotSize, maxBytes, callback) -> handle: a thread draining fd into a queue (see below)
 *   readerTake(handle, Uint8Array, slotSize, Int32Array) -> count: recvBatch over that queue
 *   readerWant(handle, on) / readerClose(handle)
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include <node_api.h>
#include <uv.h>

#define MAX_ARGS 4

/* ---- errors ------------------------------------------------------------------------ */

/*
 * The errno's name ('ENOBUFS'), or "EUNKNOWN". Our own table, not libuv's uv_err_name: Bun
 * panics on it ("unsupported uv function") and Deno does not export it, so an error thrown by
 * any shim call killed those runtimes. The JavaScript side names errnos itself as well.
 */
static const char *errno_code(int err) {
  switch (err) {
#ifdef EPERM
    case EPERM: return "EPERM";
#endif
#ifdef ENOENT
    case ENOENT: return "ENOENT";
#endif
#ifdef ESRCH
    case ESRCH: return "ESRCH";
#endif
#ifdef EINTR
    case EINTR: return "EINTR";
#endif
#ifdef EIO
    case EIO: return "EIO";
#endif
#ifdef ENXIO
    case ENXIO: return "ENXIO";
#endif
#ifdef E2BIG
    case E2BIG: return "E2BIG";
#endif
#ifdef ENOEXEC
    case ENOEXEC: return "ENOEXEC";
#endif
#ifdef EBADF
    case EBADF: return "EBADF";
#endif
#ifdef ECHILD
    case ECHILD: return "ECHILD";
#endif
#ifdef EAGAIN
    case EAGAIN: return "EAGAIN";
#endif
#ifdef ENOMEM
    case ENOMEM: return "ENOMEM";
#endif
#ifdef EACCES
    case EACCES: return "EACCES";
#endif
#ifdef EFAULT
    case EFAULT: return "EFAULT";
#endif
#ifdef EBUSY
    case EBUSY: return "EBUSY";
#endif
#ifdef EEXIST
    case EEXIST: return "EEXIST";
#endif
#ifdef EXDEV
    case EXDEV: return "EXDEV";
#endif
#ifdef ENODEV
    case ENODEV: return "ENODEV";
#endif
#ifdef ENOTDIR
    case ENOTDIR: return "ENOTDIR";
#endif
#ifdef EISDIR
    case EISDIR: return "EISDIR";
#endif
#ifdef EINVAL
    case EINVAL: return "EINVAL";
#endif
#ifdef ENFILE
    case ENFILE: return "ENFILE";
#endif
#ifdef EMFILE
    case EMFILE: return "EMFILE";
#endif
#ifdef ENOTTY
    case ENOTTY: return "ENOTTY";
#endif
#ifdef EFBIG
    case EFBIG: return "EFBIG";
#endif
#ifdef ENOSPC
    case ENOSPC: return "ENOSPC";
#endif
#ifdef ESPIPE
    case ESPIPE: return "ESPIPE";
#endif
#ifdef EROFS
    case EROFS: return "EROFS";
#endif
#ifdef EMLINK
    case EMLINK: return "EMLINK";
#endif
#ifdef EPIPE
    case EPIPE: return "EPIPE";
#endif
#ifdef EDOM
    case EDOM: return "EDOM";
#endif
#ifdef ERANGE
    case ERANGE: return "ERANGE";
#endif
#ifdef EDEADLK
    case EDEADLK: return "EDEADLK";
#endif
#ifdef ENAMETOOLONG
    case ENAMETOOLONG: return "ENAMETOOLONG";
#endif
#ifdef ENOLCK
    case ENOLCK: return "ENOLCK";
#endif
#ifdef ENOSYS
    case ENOSYS: return "ENOSYS";
#endif
#ifdef ENOTEMPTY
    case ENOTEMPTY: return "ENOTEMPTY";
#endif
#ifdef ELOOP
    case ELOOP: return "ELOOP";
#endif
#ifdef ENOMSG
    case ENOMSG: return "ENOMSG";
#endif
#ifdef EIDRM
    case EIDRM: return "EIDRM";
#endif
#ifdef ENOSTR
    case ENOSTR: return "ENOSTR";
#endif
#ifdef ENODATA
    case ENODATA: return "ENODATA";
#endif
#ifdef ETIME
    case ETIME: return "ETIME";
#endif
#ifdef ENOSR
    case ENOSR: return "ENOSR";
#endif
#ifdef ENOLINK
    case ENOLINK: return "ENOLINK";
#endif
#ifdef EPROTO
    case EPROTO: return "EPROTO";
#endif
#ifdef EBADMSG
    case EBADMSG: return "EBADMSG";
#endif
#ifdef EOVERFLOW
    case EOVERFLOW: return "EOVERFLOW";
#endif
#ifdef EILSEQ
    case EILSEQ: return "EILSEQ";
#endif
#ifdef EUSERS
    case EUSERS: return "EUSERS";
#endif
#ifdef ENOTSOCK
    case ENOTSOCK: return "ENOTSOCK";
#endif
#ifdef EDESTADDRREQ
    case EDESTADDRREQ: return "EDESTADDRREQ";
#endif
#ifdef EMSGSIZE
    case EMSGSIZE: return "EMSGSIZE";
#endif
#ifdef EPROTOTYPE
    case EPROTOTYPE: return "EPROTOTYPE";
#endif
#ifdef ENOPROTOOPT
    case ENOPROTOOPT: return "ENOPROTOOPT";
#endif
#ifdef EPROTONOSUPPORT
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
#endif
#ifdef ESOCKTNOSUPPORT
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
#endif
#ifdef EOPNOTSUPP
    case EOPNOTSUPP: return "EOPNOTSUPP";
#endif
#ifdef EPFNOSUPPORT
    case EPFNOSUPPORT: return "EPFNOSUPPORT";
#endif
#ifdef EAFNOSUPPORT
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
#endif
#ifdef EADDRINUSE
    case EADDRINUSE: return "EADDRINUSE";
#endif
#ifdef EADDRNOTAVAIL
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
#endif
#ifdef ENETDOWN
    case ENETDOWN: return "ENETDOWN";
#endif
#ifdef ENETUNREACH
    case ENETUNREACH: return "ENETUNREACH";
#endif
#ifdef ENETRESET
    case ENETRESET: return "ENETRESET";
#endif
#ifdef ECONNABORTED
    case ECONNABORTED: return "ECONNABORTED";
#endif
#ifdef ECONNRESET
    case ECONNRESET: return "ECONNRESET";
#endif
#ifdef ENOBUFS
    case ENOBUFS: return "ENOBUFS";
#endif
#ifdef EISCONN
    case EISCONN: return "EISCONN";
#endif
#ifdef ENOTCONN
    case ENOTCONN: return "ENOTCONN";
#endif
#ifdef ESHUTDOWN
    case ESHUTDOWN: return "ESHUTDOWN";
#endif
#ifdef ETOOMANYREFS
    case ETOOMANYREFS: return "ETOOMANYREFS";
#endif
#ifdef ETIMEDOUT
    case ETIMEDOUT: return "ETIMEDOUT";
#endif
#ifdef ECONNREFUSED
    case ECONNREFUSED: return "ECONNREFUSED";
#endif
#ifdef EHOSTDOWN
    case EHOSTDOWN: return "EHOSTDOWN";
#endif
#ifdef EHOSTUNREACH
    case EHOSTUNREACH: return "EHOSTUNREACH";
#endif
#ifdef EALREADY
    case EALREADY: return "EALREADY";
#endif
#ifdef EINPROGRESS
    case EINPROGRESS: return "EINPROGRESS";
#endif
#ifdef ESTALE
    case ESTALE: return "ESTALE";
#endif
#ifdef EDQUOT
    case EDQUOT: return "EDQUOT";
#endif
#ifdef ECANCELED
    case ECANCELED: return "ECANCELED";
#endif
#ifdef EOWNERDEAD
    case EOWNERDEAD: return "EOWNERDEAD";
#endif
#ifdef ENOTRECOVERABLE
    case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
#endif
#ifdef ERFKILL
    case ERFKILL: return "ERFKILL";
#endif
#ifdef EHWPOISON
    case EHWPOISON: return "EHWPOISON";
#endif
    default: return "EUNKNOWN";
  }
}

/* Error(`${syscall}: ${strerror}`) with syscall, errno and code properties (NULL on failure). */
static napi_value errno_error(napi_env env, const char *syscall, int err) {
  char text[256];
  snprintf(text, sizeof text, "%s: %s", syscall, strerror(err));
  napi_value msg, error, v;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) != napi_ok) return NULL;
  if (napi_create_error(env, NULL, msg, &error) != napi_ok) return NULL;
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  napi_create_int32(env, err, &v);
  napi_set_named_property(env, error, "errno", v);
  napi_create_string_utf8(env, errno_code(err), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "code", v);
  return error;
}

static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  napi_value error = errno_error(env, syscall, err);
  if (error != NULL) napi_throw(env, error);
  return NULL;
}

static napi_value throw_type(napi_env env, const char *text) {
  napi_throw_type_error(env, NULL, text);
  return NULL;
}

/* ---- argument helpers ---------------------------------------------------------------- */

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  for (size_t i = argc; i < MAX_ARGS; i++) napi_get_undefined(env, &argv[i]);
  if (argc < want) {
    throw_type(env, "not enough arguments");
    return 0;
  }
  return 1;
}

static int not_a_number(napi_env env, const char *what) {
  char text[96];
  snprintf(text, sizeof text, "%s must be a number", what);
  throw_type(env, text);
  return 0;
}

static int get_int(napi_env env, napi_value v, int32_t *out, const char *what) {
  return napi_get_value_int32(env, v, out) == napi_ok ? 1 : not_a_number(env, what);
}

static int get_u32(napi_env env, napi_value v, uint32_t *out, const char *what) {
  return napi_get_value_uint32(env, v, out) == napi_ok ? 1 : not_a_number(env, what);
}

static int get_bytes(napi_env env, napi_value v, void **data, size_t *len) {
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta || napi_get_typedarray_info(env, v, &type, len, data, &ab, &off) != napi_ok || type != napi_uint8_array) {
    throw_type(env, "expected a Uint8Array");
    return 0;
  }
  return 1;
}

/* The (fd, Uint8Array, ...) arguments of send/recv and their worker forms. */
static int get_fd_bytes(napi_env env, napi_callback_info info, size_t want, napi_value *argv, int32_t *fd, void **data,
                        size_t *len) {
  return get_args(env, info, want, argv) && get_int(env, argv[0], fd, "fd") && get_bytes(env, argv[1], data, len);
}

static napi_value make_int(napi_env env, int64_t x) {
  napi_value v;
  napi_create_int64(env, x, &v);
  return v;
}

static napi_value make_null(napi_env env) {
  napi_value v;
  napi_get_null(env, &v);
  return v;
}

/* ---- sockets --------------------------------------------------------------------------- */

static int nl_socket(int protocol) {
  return socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
}

/*
 * open(protocol, netnsPath?): with a path, enter that network namespace on this thread,
 * create the socket there (it stays bound to that namespace for its whole life) and come
 * back. The original namespace is restored on every path; if that ever fails the thread
 * would silently live in the wrong namespace, so the process is stopped instead.
 */
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  int32_t protocol;
  if (!get_int(env, argv[0], &protocol, "protocol")) return NULL;

  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t == napi_undefined || t == napi_null) {
    int fd = nl_socket(protocol);
    if (fd < 0) return throw_errno(env, "socket", errno);
    return make_int(env, fd);
  }
  if (t != napi_string) return throw_type(env, "netnsPath must be a string");
  char path[4096];
  size_t plen = 0;
  if (napi_get_value_string_utf8(env, argv[1], path, sizeof path, &plen) != napi_ok || plen == 0 ||
      plen >= sizeof path - 1) {
    return throw_type(env, "netnsPath must be a non-empty path");
  }

  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) return throw_errno(env, "open(/proc/thread-self/ns/net)", errno);
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int e = errno;
    close(self);
    return throw_errno(env, "open(netns)", e);
  }
  if (setns(target, CLONE_NEWNET) < 0) {
    int e = errno;
    close(target);
    close(self);
    return throw_errno(env, "setns", e);
  }
  close(target);
  int fd = nl_socket(protocol);
  int sock_err = errno;
  if (setns(self, CLONE_NEWNET) < 0) {
    napi_fatal_error("netlink_shim.open", NAPI_AUTO_LENGTH,
                     "cannot return to the original network namespace after creating a socket", NAPI_AUTO_LENGTH);
  }
  close(self);
  if (fd < 0) return throw_errno(env, "socket", sock_err);
  return make_int(env, fd);
}

static napi_value js_bind(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  uint32_t groups;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd, "fd") || !get_u32(env, argv[1], &groups, "groups"))
    return NULL;
  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = groups;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) return throw_errno(env, "bind", errno);
  return NULL;
}

static napi_value js_getsockname(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &fd, "fd")) return NULL;
  struct sockaddr_nl sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0, sizeof sa);
  if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) return throw_errno(env, "getsockname", errno);
  return make_int(env, sa.nl_pid);
}

static napi_value js_setsockopt_int(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, level, name, value;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd, "fd") || !get_int(env, argv[1], &level, "level") ||
      !get_int(env, argv[2], &name, "name") || !get_int(env, argv[3], &value, "value"))
    return NULL;
  int v = value;
  if (setsockopt(fd, level, name, &v, sizeof v) < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

static napi_value js_getsockopt_int(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, level, name;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &fd, "fd") || !get_int(env, argv[1], &level, "level") ||
      !get_int(env, argv[2], &name, "name"))
    return NULL;
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) < 0) return throw_errno(env, "getsockopt", errno);
  return make_int(env, v);
}

/* One sendmsg of the whole buffer (possibly many messages) to the kernel: bytes sent or -errno. */
/* A msghdr for one buffer and a netlink address (zeroed: the kernel, or filled by recvmsg). */
static void nl_msghdr(struct msghdr *mh, struct sockaddr_nl *sa, struct iovec *iov, void *data, size_t len) {
  memset(sa, 0, sizeof *sa);
  sa->nl_family = AF_NETLINK; /* nl_pid 0: the kernel */
  iov->iov_base = data;
  iov->iov_len = len;
  memset(mh, 0, sizeof *mh);
  mh->msg_name = sa;
  mh->msg_namelen = sizeof *sa;
  mh->msg_iov = iov;
  mh->msg_iovlen = 1;
}

static ssize_t nl_sendmsg(int fd, void *data, size_t len) {
  struct sockaddr_nl sa;
  struct iovec iov;
  struct msghdr mh;
  nl_msghdr(&mh, &sa, &iov, data, len);
  ssize_t n;
  do n = sendmsg(fd, &mh, 0);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

/* send(fd, bytes): one sendmsg, on the calling thread. */
static napi_value js_send(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  void *data;
  size_t len;
  if (!get_fd_bytes(env, info, 2, argv, &fd, &data, &len)) return NULL;
  ssize_t n = nl_sendmsg(fd, data, len);
  if (n < 0) return throw_errno(env, "sendmsg", (int)-n);
  return make_int(env, n);
}

/* What one recvmsg returned: n is the datagram's real length (MSG_TRUNC) or -errno. */
typedef struct {
  ssize_t n;
  int truncated;
  uint32_t pid;
  uint32_t groups;
} recv_result;

static void nl_recvmsg(int fd, void *data, size_t len, recv_result *r) {
  struct sockaddr_nl sa;
  struct iovec iov;
  struct msghdr mh;
  nl_msghdr(&mh, &sa, &iov, data, len);
  ssize_t n;
  do n = recvmsg(fd, &mh, MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  r->n = n < 0 ? -errno : n;
  r->truncated = n >= 0 && ((mh.msg_flags & MSG_TRUNC) != 0 || (size_t)n > len);
  r->pid = sa.nl_pid;
  r->groups = sa.nl_groups;
}

/* { length, truncated, pid, groups } of a successful receive. */
static napi_value recv_info(napi_env env, const recv_result *r) {
  napi_value out, v;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "length", make_int(env, r->n));
  napi_get_boolean(env, r->truncated, &v);
  napi_set_named_property(env, out, "truncated", v);
  napi_set_named_property(env, out, "pid", make_int(env, r->pid));
  napi_set_named_property(env, out, "groups", make_int(env, r->groups));
  return out;
}

/*
 * recv(fd, into): one datagram. `length` is the datagram's real length (MSG_TRUNC), which
 * exceeds into.length when `truncated` is true (the rest is lost). null when nothing is queued.
 */
static napi_value js_recv(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  void *data;
  size_t len;
  if (!get_fd_bytes(env, info, 2, argv, &fd, &data, &len)) return NULL;
  recv_result r;
  nl_recvmsg(fd, data, len, &r);
  if (r.n == -EAGAIN || r.n == -EWOULDBLOCK) return make_null(env);
  if (r.n < 0) return throw_errno(env, "recvmsg", (int)-r.n);
  return recv_info(env, &r);
}

/*
 * recvBatch(fd, into, slotSize, meta) -> count: the datagrams queued now, read on the calling
 * thread in one call (a multicast storm is one datagram per event: one call per datagram
 * would cost more than the datagram). Datagram i is packed at meta[2 + 5i] (its offset in
 * `into`, 8-aligned after the previous one), each received with exactly slotSize bytes of
 * room so that truncation is the same as recv(fd, slotSize bytes); then meta[3 + 5i] = real
 * length (MSG_TRUNC), [4 + 5i] = 1 if truncated, [5 + 5i] = sender's nl_pid, [6 + 5i] =
 * nl_groups. It stops when the next slot would not fit, after meta[1] datagrams (as passed
 * in; 0 or more than (meta.length - 2) / 5: that many), at EAGAIN (meta[0] = EAGAIN) or at an error (meta[0] = its errno: consumed by
 * the recvmsg that reported it, it comes after the datagrams read before it); meta[0] = 0
 * when it stopped for room. meta[1] = count, also returned. No object per datagram.
 */
#define BATCH_STRIDE 5

/*
 * The meta Int32Array of recvBatch and readerTake: at least 2 + BATCH_STRIDE elements; `max`
 * is how many datagrams it has room for, or meta[1] when that asks for fewer. Throws (returns
 * false) otherwise.
 */
static bool get_batch_meta(napi_env env, napi_value v, int32_t **meta, size_t *max) {
  napi_typedarray_type type;
  size_t meta_len, off;
  void *meta_data;
  napi_value ab;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta || napi_get_typedarray_info(env, v, &type, &meta_len, &meta_data, &ab, &off) != napi_ok ||
      type != napi_int32_array || meta_len < 2 + BATCH_STRIDE) {
    throw_type(env, "meta must be an Int32Array of at least 7 elements");
    return false;
  }
  *meta = meta_data;
  *max = (meta_len - 2) / BATCH_STRIDE;
  if ((*meta)[1] > 0 && (size_t)(*meta)[1] < *max) *max = (size_t)(*meta)[1];
  return true;
}

static napi_value js_recv_batch(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  void *data;
  size_t len;
  uint32_t slot_size;
  if (!get_fd_bytes(env, info, 4, argv, &fd, &data, &len) || !get_u32(env, argv[2], &slot_size, "slotSize")) return NULL;
  if (slot_size == 0 || slot_size > len) return throw_type(env, "slotSize must be from 1 to the buffer's length");
  int32_t *meta;
  size_t max;
  if (!get_batch_meta(env, argv[3], &meta, &max)) return NULL;
  size_t count = 0, at = 0;
  int status = 0;
  uint8_t *bytes = data;
  while (count < max && len - at >= slot_size) {
    recv_result r;
    nl_recvmsg(fd, bytes + at, slot_size, &r);
    if (r.n < 0) {
      status = (int)-r.n;
      break;
    }
    int32_t *m = meta + 2 + BATCH_STRIDE * count++;
    m[0] = (int32_t)at;
    m[1] = (int32_t)r.n;
    m[2] = r.truncated;
    m[3] = (int32_t)r.pid;
    m[4] = (int32_t)r.groups;
    size_t used = (size_t)r.n < slot_size ? (size_t)r.n : slot_size;
    at += (used + 7) & ~(size_t)7;
    if (at > len) at = len;
  }
  if (status == EWOULDBLOCK) status = EAGAIN;
  meta[0] = status;
  meta[1] = (int32_t)count;
  return make_int(env, (int64_t)count);
}

/*
 * sendAsync(fd, bytes, chain) -> Promise<bytes sent>, and
 * recvAsync(fd, into, slotSize) -> Promise<Array<info | Error>>:
 * the same sendmsg / recvmsg on a libuv worker thread. The kernel handles netlink requests
 * inside sendmsg, and builds a dump's next datagram inside recvmsg, in the caller's context:
 * on a worker, JavaScript can encode the next batch or decode earlier datagrams meanwhile.
 * recvAsync reads up to into.length / slotSize datagrams, datagram i at offset i * slotSize,
 * and stops at the first EAGAIN (an empty array: nothing was queued) or error (then the last
 * element is that Error: a receive error such as ENOBUFS is consumed by the recvmsg that
 * reports it, so it must be passed on). The buffer is kept alive (and must not be touched)
 * until the promise settles; the caller must not close `fd` before that either.
 *
 * A socket's sends reach the kernel in call order, one at a time, even when a call comes
 * while the previous one is still inside the kernel: the worker running a socket's sends
 * takes the ones queued meanwhile and sends each as soon as the kernel returns from the one
 * before — no hand-off through the event loop or to another thread between them. Their
 * promises settle together when that worker has no more to send. Sends may name a `chain`
 * (a number other than 0, e.g. one per batch): one is skipped (ECANCELED) once a send of
 * its chain failed or was skipped, so the rest of a batch is not sent past a send that
 * failed, whatever other sends of the socket come between.
 */
#define MAX_SLOTS 16

typedef struct io_job io_job;

/* The sends of one fd: whether a worker is running them, and those waiting for it. */
typedef struct send_order {
  int fd;
  int active;          /* a worker is sending for this fd */
  uint32_t failed_chain; /* the chain of the last send of a chain that failed or was skipped */
  io_job *head, *tail; /* sends waiting for that worker, oldest first */
  struct send_order *next;
} send_order;

struct io_job {
  napi_async_work work; /* NULL for a send run by the worker of an earlier one */
  napi_deferred deferred;
  napi_ref buffer;
  int fd;
  int is_recv;
  uint8_t *data;
  size_t len;
  size_t slot_size;
  ssize_t sent; /* send: bytes sent, or -errno */
  size_t count; /* recv: results in received[] (the last may be an error) */
  recv_result received[MAX_SLOTS];
  uint32_t chain;   /* send: its chain (0: none) */
  send_order *order; /* send: its fd's sends */
  io_job *next;     /* in the fd's waiting list, then in the list of sends a worker ran */
};

/* One record per fd that sent on a worker, removed by close(fd) (callers close only once no
 * send is in flight). */
static pthread_mutex_t order_mutex = PTHREAD_MUTEX_INITIALIZER; /* pthreads, not libuv's: Deno exports no uv_mutex_* */
static send_order *orders;

/* The record of fd (created if missing); NULL if out of memory. Hold order_mutex. */
static send_order *order_of(int fd) {
  for (send_order *o = orders; o != NULL; o = o->next)
    if (o->fd == fd) return o;
  send_order *o = calloc(1, sizeof *o);
  if (o == NULL) return NULL;
  o->fd = fd;
  o->next = orders;
  orders = o;
  return o;
}

/* close(fd): forget its record (its number may be reused by another socket). */
static void order_forget(int fd) {
  pthread_mutex_lock(&order_mutex);
  for (send_order **p = &orders; *p != NULL; p = &(*p)->next) {
    if ((*p)->fd == fd) {
      send_order *o = *p;
      *p = o->next;
      free(o);
      break;
    }
  }
  pthread_mutex_unlock(&order_mutex);
}

/* The worker of `first` (which owns the async work): send it, then every send of its fd
 * queued meanwhile, in order, until none waits; they are listed after `first` for io_complete. */
static void send_all(io_job *first) {
  send_order *o = first->order;
  io_job *job = first;
  for (;;) {
    pthread_mutex_lock(&order_mutex);
    int skip = job->chain != 0 && o->failed_chain == job->chain;
    pthread_mutex_unlock(&order_mutex);
    job->sent = skip ? -ECANCELED : nl_sendmsg(job->fd, job->data, job->len);
    pthread_mutex_lock(&order_mutex);
    if (job->sent < 0 && job->chain != 0) o->failed_chain = job->chain;
    io_job *next = o->head;
    if (next == NULL) {
      o->active = 0;
      pthread_mutex_unlock(&order_mutex);
      break;
    }
    o->head = next->next;
    if (o->head == NULL) o->tail = NULL;
    pthread_mutex_unlock(&order_mutex);
    next->next = NULL;
    job->next = next;
    job = next;
  }
}

static void io_execute(napi_env env, void *arg) {
  (void)env;
  io_job *job = arg;
  if (!job->is_recv) {
    send_all(job);
    return;
  }
  size_t slots = job->len / job->slot_size;
  if (slots > MAX_SLOTS) slots = MAX_SLOTS;
  for (size_t i = 0; i < slots; i++) {
    recv_result *r = &job->received[i];
    nl_recvmsg(job->fd, job->data + i * job->slot_size, job->slot_size, r);
    if (r->n == -EAGAIN || r->n == -EWOULDBLOCK) break;
    job->count++;
    if (r->n < 0) break;
  }
}

/* A queued worker job that libuv cancelled or could not run: its promise rejects. */
static void reject_not_run(napi_env env, napi_deferred deferred) {
  napi_value msg, error;
  napi_create_string_utf8(env, "netlink shim: the worker did not run", NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_reject_deferred(env, deferred, error);
}

static void settle_send(napi_env env, io_job *job) {
  if (job->sent < 0) napi_reject_deferred(env, job->deferred, errno_error(env, "sendmsg", (int)-job->sent));
  else napi_resolve_deferred(env, job->deferred, make_int(env, job->sent));
  napi_delete_reference(env, job->buffer);
}

static void io_complete(napi_env env, napi_status status, void *arg) {
  io_job *job = arg;
  napi_value v;
  if (job->is_recv) {
    if (status != napi_ok) {
      reject_not_run(env, job->deferred);
    } else {
      napi_create_array_with_length(env, job->count, &v);
      for (size_t i = 0; i < job->count; i++) {
        const recv_result *r = &job->received[i];
        napi_value e = r->n < 0 ? errno_error(env, "recvmsg", (int)-r->n) : recv_info(env, r);
        napi_set_element(env, v, (uint32_t)i, e);
      }
      napi_resolve_deferred(env, job->deferred, v);
    }
    napi_delete_reference(env, job->buffer);
  } else if (status != napi_ok) {
    /* Not run: neither did the sends waiting for it. They all fail; the fd's next send
     * starts a worker of its own. */
    pthread_mutex_lock(&order_mutex);
    io_job *waiting = job->order->head;
    job->order->head = job->order->tail = NULL;
    job->order->active = 0;
    if (job->chain != 0) job->order->failed_chain = job->chain;
    pthread_mutex_unlock(&order_mutex);
    reject_not_run(env, job->deferred);
    napi_delete_reference(env, job->buffer);
    while (waiting != NULL) {
      io_job *next = waiting->next;
      reject_not_run(env, waiting->deferred);
      napi_delete_reference(env, waiting->buffer);
      free(waiting);
      waiting = next;
    }
  } else {
    /* This send and every one its worker ran after it, in order. */
    settle_send(env, job);
    for (io_job *j = job->next; j != NULL;) {
      io_job *next = j->next;
      settle_send(env, j);
      free(j);
      j = next;
    }
  }
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value queue_io(napi_env env, napi_callback_info info, int is_recv) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  void *data;
  size_t len;
  uint32_t slot_size = 0;
  uint32_t chain = 0;
  if (!get_fd_bytes(env, info, is_recv ? 3 : 2, argv, &fd, &data, &len)) return NULL;
  if (is_recv) {
    if (!get_u32(env, argv[2], &slot_size, "slotSize")) return NULL;
    if (slot_size == 0 || slot_size > len) return throw_type(env, "slotSize must be from 1 to the buffer's length");
  } else {
    napi_valuetype t;
    napi_typeof(env, argv[2], &t);
    if (t != napi_undefined && napi_get_value_uint32(env, argv[2], &chain) != napi_ok) return throw_type(env, "chain must be a number");
  }
  io_job *job = calloc(1, sizeof *job);
  if (job == NULL) return throw_errno(env, is_recv ? "recvAsync" : "sendAsync", ENOMEM);
  job->fd = fd;
  job->is_recv = is_recv;
  job->data = data;
  job->len = len;
  job->slot_size = slot_size;
  job->chain = chain;
  napi_value promise, name;
  napi_create_string_utf8(env, is_recv ? "netlink_shim.recvAsync" : "netlink_shim.sendAsync", NAPI_AUTO_LENGTH, &name);
  if (napi_create_reference(env, argv[1], 1, &job->buffer) != napi_ok) {
    free(job);
    return NULL;
  }
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) goto fail;
  if (!is_recv) {
      pthread_mutex_lock(&order_mutex);
    send_order *o = job->order = order_of(fd);
    if (o != NULL && o->active) {
      /* A worker is sending for this fd: it sends this one after the ones before. */
      if (o->tail != NULL) o->tail->next = job;
      else o->head = job;
      o->tail = job;
      pthread_mutex_unlock(&order_mutex);
      return promise;
    }
    /* Marked active before the job is queued: a send coming meanwhile waits for it. */
    if (o != NULL) o->active = 1;
    pthread_mutex_unlock(&order_mutex);
    if (o == NULL) goto fail;
  }
  if (napi_create_async_work(env, NULL, name, io_execute, io_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    if (job->work != NULL) napi_delete_async_work(env, job->work);
    if (!is_recv) {
      /* Nothing can have queued behind it before it was marked active... except sends of this
       * thread, which only this thread makes: none since. Leave the fd free. */
      pthread_mutex_lock(&order_mutex);
      job->order->active = 0;
      pthread_mutex_unlock(&order_mutex);
    }
    goto fail;
  }
  return promise;
fail:
  napi_delete_reference(env, job->buffer);
  free(job);
  return throw_type(env, "netlink shim: could not queue the worker");
}

static napi_value js_send_async(napi_env env, napi_callback_info info) {
  return queue_io(env, info, 0);
}

static napi_value js_recv_async(napi_env env, napi_callback_info info) {
  return queue_io(env, info, 1);
}

/*
 * waitReadable(fd, timeoutMs) -> Promise<boolean>: poll(2) for POLLIN on a libuv worker
 * thread, true when the socket is readable (or has a pending error: the next recv reports
 * it), false when the timeout passed first. The readiness path for runtimes whose Node-API
 * has async work but no uv_poll (Bun aborts the process on uv_poll_init). The timeout bounds
 * how long a stopped or closed waiter keeps a worker thread and delays closing the fd.
 */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int fd;
  int timeout_ms;
  int result; /* 1 readable, 0 timeout, -errno */
} wait_job;

static void wait_execute(napi_env env, void *arg) {
  (void)env;
  wait_job *job = arg;
  struct pollfd p = {.fd = job->fd, .events = POLLIN};
  int rc;
  do rc = poll(&p, 1, job->timeout_ms);
  while (rc < 0 && errno == EINTR);
  job->result = rc < 0 ? -errno : rc > 0 ? 1 : 0;
}

static void wait_complete(napi_env env, napi_status status, void *arg) {
  wait_job *job = arg;
  napi_value v;
  if (status != napi_ok) {
    reject_not_run(env, job->deferred);
  } else if (job->result < 0) {
    napi_reject_deferred(env, job->deferred, errno_error(env, "poll", -job->result));
  } else {
    napi_get_boolean(env, job->result == 1, &v);
    napi_resolve_deferred(env, job->deferred, v);
  }
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value js_wait_readable(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, timeout_ms;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd, "fd") || !get_int(env, argv[1], &timeout_ms, "timeoutMs"))
    return NULL;
  if (timeout_ms < 0) return throw_type(env, "timeoutMs must not be negative");
  wait_job *job = calloc(1, sizeof *job);
  if (job == NULL) return throw_errno(env, "waitReadable", ENOMEM);
  job->fd = fd;
  job->timeout_ms = timeout_ms;
  napi_value promise, name;
  napi_create_string_utf8(env, "netlink_shim.waitReadable", NAPI_AUTO_LENGTH, &name);
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_async_work(env, NULL, name, wait_execute, wait_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    free(job);
    return throw_type(env, "netlink shim: could not queue the worker");
  }
  return promise;
}

/* peekLength(fd): size of the next datagram without consuming it (MSG_PEEK|MSG_TRUNC). */
static napi_value js_peek_length(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &fd, "fd")) return NULL;
  ssize_t n;
  do n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return make_null(env);
    return throw_errno(env, "recvmsg", errno);
  }
  return make_int(env, n);
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &fd, "fd")) return NULL;
  order_forget(fd);
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, "close", errno);
  return NULL;
}

/* ---- readiness (uv_poll) ---------------------------------------------------------------- */

/*
 * One poll context per socket. Freed when both the uv handle is closed (closePoll, or the
 * JS handle's finalizer) and the JS handle has been collected.
 */
typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  int uv_closed;   /* uv_close() called */
  int released;    /* uv close callback ran */
  int finalized;   /* JS external collected */
} poll_ctx;

static void poll_release(uv_handle_t *h) {
  poll_ctx *ctx = (poll_ctx *)h->data;
  ctx->released = 1;
  if (ctx->finalized) free(ctx);
}

static void poll_shutdown(poll_ctx *ctx) {
  if (ctx->uv_closed) return;
  ctx->uv_closed = 1;
  uv_poll_stop(&ctx->handle);
  if (ctx->callback) napi_delete_reference(ctx->env, ctx->callback);
  ctx->callback = NULL;
  if (ctx->async) napi_async_destroy(ctx->env, ctx->async);
  ctx->async = NULL;
  uv_close((uv_handle_t *)&ctx->handle, poll_release);
}

static void poll_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  poll_ctx *ctx = (poll_ctx *)data;
  ctx->finalized = 1;
  if (!ctx->uv_closed) poll_shutdown(ctx);
  else if (ctx->released) free(ctx);
}

static void poll_cb(uv_poll_t *h, int status, int events) {
  poll_ctx *ctx = (poll_ctx *)h->data;
  if (ctx->uv_closed || ctx->callback == NULL) return;
  napi_env env = ctx->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, argv[2], result;
  if (napi_get_reference_value(env, ctx->callback, &fn) == napi_ok && fn != NULL) {
    napi_get_global(env, &recv);
    /* status < 0: a libuv error (on POLLERR, e.g. a pending ENOBUFS, libuv stops the handle). */
    napi_create_int32(env, status, &argv[0]);
    napi_create_int32(env, events, &argv[1]);
    /* make_callback drains the microtask queue and reports exceptions like any Node callback. */
    napi_status st = napi_make_callback(env, ctx->async, recv, fn, 2, argv, &result);
    if (st == napi_pending_exception) {
      napi_value exc;
      if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) napi_fatal_exception(env, exc);
    }
  }
  napi_close_handle_scope(env, scope);
}

static poll_ctx *get_poll(napi_env env, napi_value v) {
  void *data = NULL;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_external || napi_get_value_external(env, v, &data) != napi_ok || data == NULL) {
    throw_type(env, "expected a poll handle");
    return NULL;
  }
  return (poll_ctx *)data;
}

static napi_value js_poll(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd, "fd")) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t != napi_function) return throw_type(env, "callback must be a function");
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return throw_type(env, "no event loop");
  poll_ctx *ctx = calloc(1, sizeof *ctx);
  if (ctx == NULL) return throw_errno(env, "calloc", ENOMEM);
  ctx->env = env;
  int rc = uv_poll_init(loop, &ctx->handle, fd);
  if (rc < 0) {
    free(ctx);
    return throw_errno(env, "uv_poll_init", -rc);
  }
  ctx->handle.data = ctx;
  napi_create_reference(env, argv[1], 1, &ctx->callback);
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "NetlinkPoll", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &ctx->async);
  napi_value external;
  if (napi_create_external(env, ctx, poll_finalize, NULL, &external) != napi_ok) {
    ctx->finalized = 1;
    poll_shutdown(ctx);
    return throw_type(env, "cannot create poll handle");
  }
  rc = uv_poll_start(&ctx->handle, UV_READABLE, poll_cb);
  if (rc < 0) {
    poll_shutdown(ctx);
    return throw_errno(env, "uv_poll_start", -rc);
  }
  return external;
}

static napi_value js_start_poll(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  poll_ctx *ctx = get_poll(env, argv[0]);
  if (ctx == NULL) return NULL;
  if (ctx->uv_closed) return throw_type(env, "poll handle is closed");
  int rc = uv_poll_start(&ctx->handle, UV_READABLE, poll_cb);
  if (rc < 0) return throw_errno(env, "uv_poll_start", -rc);
  return NULL;
}

static napi_value js_stop_poll(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  poll_ctx *ctx = get_poll(env, argv[0]);
  if (ctx == NULL) return NULL;
  if (!ctx->uv_closed) uv_poll_stop(&ctx->handle);
  return NULL;
}

static napi_value js_close_poll(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  poll_ctx *ctx = get_poll(env, argv[0]);
  if (ctx == NULL) return NULL;
  poll_shutdown(ctx);
  return NULL;
}


/* ---- reader thread ------------------------------------------------------------------------ */

/*
 * A subscription socket drained by a thread of its own, the way a C listener's blocking recv
 * loop drains it: in a storm the kernel queues notifications inside the producer's sendmsg,
 * faster than a JavaScript event loop wakes up, and what the socket cannot hold is dropped.
 * The thread waits in poll(2) (fd + an eventfd that stops it), reads every queued datagram
 * into a FIFO of malloc'ed nodes bounded in bytes, and stops reading while the FIFO holds
 * maxBytes or more, so that the kernel's buffer fills and overruns are reported as before.
 * An ENOBUFS becomes a node of its own, exactly where the kernel reported it.
 *
 * It reads with recvmmsg(2), up to RD_VEC_MAX datagrams a call into a scratch vector of
 * slots (at most RD_SCRATCH_MAX bytes, or one slot when a slot is bigger). A call that fills
 * fewer slots than asked found the socket empty (MSG_DONTWAIT) or hit an error, so the thread
 * goes straight to poll: in a storm one system call reads many datagrams, and when the thread
 * keeps pace it makes two per datagram (recvmmsg, ppoll), not three (recvmsg, recvmsg ->
 * EAGAIN, ppoll). Each slot keeps its own length, MSG_TRUNC and sender (pid, groups). An
 * ENOBUFS keeps its place: the kernel checks the socket's pending error before each datagram
 * of the vector; when datagrams were read before it, it returns them and puts the error back
 * in sk_err (every error but EAGAIN), where poll sees it (POLLERR) and the next recvmmsg
 * returns it before any newer datagram. The FIFO can pass maxBytes by one vector's datagrams.
 *
 * readerTake is recvBatch's contract over the FIFO: it hands on the FIFO's datagrams (packed as
 * recvBatch packs them) and stops at an ENOBUFS node, which it reports in its place. The
 * thread is the only reader of the socket. When the FIFO is empty, take reports EAGAIN only
 * if the thread last found the socket empty and it stayed so (`idle`): everything older is then
 * handed on, which is what EAGAIN means to recvBatch's users (the overrun marker's placement
 * in subscription.ts relies on it). Otherwise it reports READER_LATER (-1): nothing now, more
 * is coming, and the thread will wake the caller (it also does when it turns idle).
 *
 * Wake-ups: after appending to the FIFO while JavaScript wants them and none is pending, the
 * thread calls a thread-safe function (non-blocking); its JavaScript side clears `notified`
 * before calling back, so one wake-up covers everything appended until then.
 *
 * Lifetime: readerClose (or the env cleanup hook, or the handle's finalizer) stops and joins
 * the thread before anything is freed; the fd is the caller's and must outlive the reader
 * (NativeTransport closes it after readerClose). The context is freed when the thread-safe
 * function is finalized and the JavaScript handle collected, both on the JavaScript thread.
 * Not fork-safe beyond what libuv is: a child forked without exec has no reader thread and
 * must not use the parent's subscriptions.
 */
typedef struct rd_node {
  struct rd_node *next;
  int32_t len; /* real length (MSG_TRUNC), or -errno for an error node */
  int32_t stored;
  int16_t truncated;
  int16_t small; /* RD_SMALL bytes of data: goes back to the spare list when taken */
  uint32_t pid;
  uint32_t groups;
  uint8_t data[];
} rd_node;

typedef struct {
  napi_env env;
  int fd;
  int efd;
  size_t slot_size;
  size_t max_bytes;
  uint8_t *scratch; /* vlen slots of slot_size bytes */
  unsigned vlen;    /* datagrams per recvmmsg */
  pthread_t thread;
  int thread_started;
  pthread_mutex_t q_lock; /* the FIFO and the flags below */
  pthread_cond_t space;
  rd_node *head, *tail;
  rd_node *spare; /* small nodes taken by JavaScript, for the thread to reuse: no malloc/free
                     per datagram (and no free of one thread's memory by another) in a storm */
  size_t nspare;
  struct timespec oldest; /* when the oldest datagram not yet announced to JavaScript came */
  int announced;          /* JavaScript was woken (or took) since the FIFO last ran empty */
  size_t bytes;
  int stop;
  int wanted;
  int notified;
  int idle;  /* the thread's last look found the socket empty (after appending all before) */
  int waiting_idle; /* a take answered READER_LATER: wake the caller when the thread turns idle */
  int fatal; /* errno that stopped the thread (reported once the FIFO is empty), 0 if none */
  int tsfn_closed;
  int closed;        /* readerClose ran (thread joined) */
  int tsfn_finalized;
  int finalized;     /* JS handle collected */
  int refed;
  napi_threadsafe_function tsfn;
} reader_ctx;

/* Memory a node takes, as counted against maxBytes: a small node its whole allocation. */
#define RD_NODE_COST(n) (sizeof(rd_node) + ((n)->small ? (size_t)RD_SMALL : (size_t)(n)->stored))
/*
 * How long the thread waits for the next datagram of a burst before waking JavaScript: a lone
 * event waits 50 µs, a storm wakes JavaScript at its end, every 5 ms, or when the FIFO is half full.
 * While a burst lasts, JavaScript sleeps: on a small machine the sender's CPU and ours are all
 * there is, and a JavaScript thread decoding meanwhile would take CPU time from the reader
 * just when the kernel's buffer is filling (the FIFO keeps what it read for later).
 */
#define RD_LINGER_NS 50000
/* ...and a datagram never waits longer than this for its wake-up while datagrams keep coming. */
#define RD_WAKE_AFTER_NS 5000000L
/* Data room of a small node (a notification without big attributes), and how many spare
   small nodes are kept at most. */
#define RD_SMALL (512 - (int)sizeof(rd_node))
#define RD_SPARE_MAX 4096
/* Datagrams per recvmmsg at most, and the scratch vector's size at most (the subscription's
   64 KiB slots: 8 slots, 512 KiB, of which a storm of small notifications touches a page per slot). */
#define RD_VEC_MAX 16
#define RD_SCRATCH_MAX (512u * 1024u)

static void rd_free_ctx_if_done(reader_ctx *c) {
  if (!c->tsfn_finalized || !c->finalized) return;
  pthread_mutex_destroy(&c->q_lock);
  pthread_cond_destroy(&c->space);
  free(c);
}

/* Wake JavaScript if it wants it and no wake-up is pending (q_lock held). */
static void rd_notify(reader_ctx *c) {
  c->announced = 1;
  if (c->wanted && !c->notified && !c->tsfn_closed) {
    c->notified = 1;
    /* Non-blocking on an unbounded queue: never waits. Under q_lock so that tsfn_closed holds. */
    napi_call_threadsafe_function(c->tsfn, NULL, napi_tsfn_nonblocking);
  }
}

/* Link one node at the FIFO's tail (q_lock held). */
static void rd_link_locked(reader_ctx *c, rd_node *n) {
  n->next = NULL;
  if (c->tail) c->tail->next = n;
  else c->head = n;
  c->tail = n;
  c->bytes += RD_NODE_COST(n);
}

/*
 * After appending (q_lock held): wake JavaScript after an error or when the FIFO is half full
 * (else at idle). Returns whether the FIFO is full or the reader stopping: then the thread waits.
 */
static int rd_appended_locked(reader_ctx *c, int error) {
  c->idle = 0;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  if (c->announced) {
    c->announced = 0;
    c->oldest = now;
  }
  long waited = (now.tv_sec - c->oldest.tv_sec) * 1000000000L + (now.tv_nsec - c->oldest.tv_nsec);
  if (c->bytes >= c->max_bytes / 2 || error || waited >= RD_WAKE_AFTER_NS) rd_notify(c);
  return c->bytes >= c->max_bytes || c->stop;
}

static int rd_append(reader_ctx *c, rd_node *n) {
  pthread_mutex_lock(&c->q_lock);
  rd_link_locked(c, n);
  int full = rd_appended_locked(c, n->len < 0);
  pthread_mutex_unlock(&c->q_lock);
  return full;
}

/*
 * The k datagrams one recvmmsg read into the scratch vector: each into a spare small node or
 * a malloc'ed one, all appended in order. The lock is taken twice per vector, not twice per
 * datagram: once for the spare nodes, once to append. Returns whether the FIFO is full, or -1
 * when memory ran out (what was copied before is appended; the rest is lost, and the thread
 * stops with ENOMEM).
 */
static int rd_append_vector(reader_ctx *c, const struct mmsghdr *mm, unsigned k) {
  size_t stored[RD_VEC_MAX];
  unsigned nsmall = 0;
  for (unsigned i = 0; i < k; i++) {
    stored[i] = mm[i].msg_len < c->slot_size ? mm[i].msg_len : c->slot_size;
    if (stored[i] <= (size_t)RD_SMALL) nsmall++;
  }
  rd_node *spare = NULL;
  if (nsmall > 0) {
    pthread_mutex_lock(&c->q_lock);
    spare = c->spare;
    rd_node *last = NULL;
    for (rd_node *n = spare; n != NULL && nsmall > 0; n = n->next, nsmall--) {
      last = n;
      c->nspare--;
    }
    if (last != NULL) {
      c->spare = last->next;
      last->next = NULL;
    } else {
      spare = NULL;
    }
    pthread_mutex_unlock(&c->q_lock);
  }
  rd_node *head = NULL, *tail = NULL;
  int oom = 0;
  for (unsigned i = 0; i < k; i++) {
    rd_node *n;
    if (stored[i] <= (size_t)RD_SMALL) {
      n = spare;
      if (n != NULL) spare = n->next;
      else n = malloc(sizeof *n + RD_SMALL);
      if (n != NULL) n->small = 1;
    } else {
      n = malloc(sizeof *n + stored[i]);
      if (n != NULL) n->small = 0;
    }
    if (n == NULL) {
      oom = 1;
      break;
    }
    const struct msghdr *mh = &mm[i].msg_hdr;
    const struct sockaddr_nl *sa = mh->msg_name;
    n->len = (int32_t)mm[i].msg_len;
    n->stored = (int32_t)stored[i];
    n->truncated = (int16_t)((mh->msg_flags & MSG_TRUNC) != 0 || mm[i].msg_len > c->slot_size);
    n->pid = sa->nl_pid;
    n->groups = sa->nl_groups;
    memcpy(n->data, c->scratch + (size_t)i * c->slot_size, stored[i]);
    n->next = NULL;
    if (tail) tail->next = n;
    else head = n;
    tail = n;
  }
  while (spare != NULL) { /* only after a failed malloc: more spares than used */
    rd_node *next = spare->next;
    free(spare);
    spare = next;
  }
  int full = 0;
  if (head != NULL) {
    pthread_mutex_lock(&c->q_lock);
    for (rd_node *n = head; n != NULL;) {
      rd_node *next = n->next;
      rd_link_locked(c, n);
      n = next;
    }
    full = rd_appended_locked(c, 0);
    pthread_mutex_unlock(&c->q_lock);
  }
  return oom ? -1 : full;
}

static rd_node *rd_error_node(int err) {
  rd_node *n = calloc(1, sizeof *n);
  if (n) n->len = -err;
  return n;
}

static void *rd_thread(void *arg) {
  reader_ctx *c = arg;
  int fatal = 0;
  int lingering = 0;
  int full = 0;
  int drained = 0; /* the last recvmmsg found the socket empty (or an error pending): poll next */
  const struct timespec linger = {.tv_sec = 0, .tv_nsec = RD_LINGER_NS};
  struct sockaddr_nl names[RD_VEC_MAX];
  struct iovec iov[RD_VEC_MAX];
  struct mmsghdr mm[RD_VEC_MAX];
  const unsigned vlen = c->vlen;
  for (unsigned i = 0; i < vlen; i++) nl_msghdr(&mm[i].msg_hdr, &names[i], &iov[i], c->scratch + (size_t)i * c->slot_size, c->slot_size);
  for (;;) {
    if (full) {
      /* Full: JavaScript must drain before anything more is read. */
      pthread_mutex_lock(&c->q_lock);
      rd_notify(c);
      while (!c->stop && c->bytes >= c->max_bytes) pthread_cond_wait(&c->space, &c->q_lock);
      int stop = c->stop;
      pthread_mutex_unlock(&c->q_lock);
      if (stop) break;
      full = 0;
    }
    if (drained) {
      /* After a datagram, a short linger for the next one before waking JavaScript (one
         wake-up per burst); then wait for readability (or a pending error: POLLERR) or readerClose. */
      struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = c->efd, .events = POLLIN}};
      int rc = ppoll(p, 2, lingering ? &linger : NULL, NULL);
      if (rc < 0) {
        if (errno == EINTR) continue;
        fatal = errno;
        break;
      }
      if (rc == 0) {
        /* The socket stayed empty: everything read is in the FIFO; wake whoever waits for
           it, and wait without a timeout (poll, not a read, comes next). */
        lingering = 0;
        pthread_mutex_lock(&c->q_lock);
        c->idle = 1;
        if (c->head != NULL || c->waiting_idle) rd_notify(c);
        pthread_mutex_unlock(&c->q_lock);
        continue;
      }
      if (p[1].revents) break; /* readerClose */
      if (p[0].revents & POLLNVAL) {
        fatal = EBADF;
        break;
      }
      drained = 0;
    }
    /* recvmmsg first: in a storm that is the only system call, for up to vlen datagrams;
       ppoll only once the socket is empty. The kernel overwrites each slot's name length and
       flags: set them again. */
    for (unsigned i = 0; i < vlen; i++) {
      mm[i].msg_hdr.msg_namelen = sizeof names[i];
      mm[i].msg_hdr.msg_flags = 0;
    }
    int k;
    do k = recvmmsg(c->fd, mm, vlen, MSG_DONTWAIT | MSG_TRUNC, NULL);
    while (k < 0 && errno == EINTR);
    int err = k < 0 ? errno : 0;
    if (k < 0 && (err == EAGAIN || err == EWOULDBLOCK)) {
      drained = 1;
      continue;
    }
    lingering = 1;
    if (k < 0) {
      rd_node *n = rd_error_node(err);
      full = n == NULL ? -1 : rd_append(c, n);
    } else {
      full = rd_append_vector(c, mm, (unsigned)k);
      drained = (unsigned)k < vlen;
    }
    if (full < 0) {
      fatal = ENOMEM; /* the datagram is lost: report it as an error, never silently */
      break;
    }
    if (k < 0 && err != ENOBUFS) {
      fatal = err;
      break;
    }
  }
  if (fatal) {
    /* Stop reading; readerTake reports the errno after the FIFO's datagrams. */
    pthread_mutex_lock(&c->q_lock);
    c->fatal = fatal;
    rd_notify(c);
    pthread_mutex_unlock(&c->q_lock);
  }
  return NULL;
}

/* Stop and join the thread, free the FIFO, release the thread-safe function. Idempotent. */
static void rd_close(reader_ctx *c) {
  if (c->closed) return;
  c->closed = 1;
  napi_remove_env_cleanup_hook(c->env, (void (*)(void *))rd_close, c);
  if (c->thread_started) {
    pthread_mutex_lock(&c->q_lock);
    c->stop = 1;
    pthread_cond_broadcast(&c->space);
    pthread_mutex_unlock(&c->q_lock);
    uint64_t one = 1;
    ssize_t w;
    do w = write(c->efd, &one, sizeof one);
    while (w < 0 && errno == EINTR);
    pthread_join(c->thread, NULL);
  }
  close(c->efd);
  pthread_mutex_lock(&c->q_lock);
  for (rd_node *n = c->head; n;) {
    rd_node *next = n->next;
    free(n);
    n = next;
  }
  c->head = c->tail = NULL;
  c->bytes = 0;
  for (rd_node *n = c->spare; n;) {
    rd_node *next = n->next;
    free(n);
    n = next;
  }
  c->spare = NULL;
  c->nspare = 0;
  c->tsfn_closed = 1;
  pthread_mutex_unlock(&c->q_lock);
  free(c->scratch);
  c->scratch = NULL;
  napi_release_threadsafe_function(c->tsfn, napi_tsfn_release);
}

static void rd_call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)data;
  reader_ctx *c = context;
  if (env == NULL || js_cb == NULL) return;
  pthread_mutex_lock(&c->q_lock);
  c->notified = 0;
  int skip = c->closed || !c->wanted;
  pthread_mutex_unlock(&c->q_lock);
  if (skip) return;
  napi_value recv, result;
  napi_get_undefined(env, &recv);
  if (napi_call_function(env, recv, js_cb, 0, NULL, &result) == napi_pending_exception) {
    napi_value exc;
    if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) napi_fatal_exception(env, exc);
  }
}

static void rd_tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  reader_ctx *c = data;
  c->tsfn_finalized = 1;
  rd_free_ctx_if_done(c);
}

static void rd_handle_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  reader_ctx *c = data;
  rd_close(c);
  c->finalized = 1;
  rd_free_ctx_if_done(c);
}

static reader_ctx *get_reader(napi_env env, napi_value v) {
  void *data = NULL;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_external || napi_get_value_external(env, v, &data) != napi_ok || data == NULL) {
    throw_type(env, "expected a reader handle");
    return NULL;
  }
  return data;
}

/* readerOpen(fd, slotSize, maxBytes, callback) -> handle; the thread runs from here on. */
static napi_value js_reader_open(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  uint32_t slot_size, max_bytes;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd, "fd") || !get_u32(env, argv[1], &slot_size, "slotSize") ||
      !get_u32(env, argv[2], &max_bytes, "maxBytes"))
    return NULL;
  if (slot_size == 0) return throw_type(env, "slotSize must be positive");
  napi_valuetype t;
  napi_typeof(env, argv[3], &t);
  if (t != napi_function) return throw_type(env, "callback must be a function");
  reader_ctx *c = calloc(1, sizeof *c);
  if (c == NULL) return throw_errno(env, "calloc", ENOMEM);
  c->env = env;
  c->announced = 1;
  c->fd = fd;
  c->slot_size = slot_size;
  c->max_bytes = max_bytes;
  /* The recvmmsg vector: as many slots as fit in RD_SCRATCH_MAX (at least one). */
  c->vlen = slot_size >= RD_SCRATCH_MAX ? 1 : RD_SCRATCH_MAX / slot_size;
  if (c->vlen > RD_VEC_MAX) c->vlen = RD_VEC_MAX;
  c->scratch = malloc((size_t)c->vlen * slot_size);
  c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (c->scratch == NULL || c->efd < 0) {
    int e = c->scratch == NULL ? ENOMEM : errno;
    if (c->efd >= 0) close(c->efd);
    free(c->scratch);
    free(c);
    return throw_errno(env, "eventfd", e);
  }
  pthread_mutex_init(&c->q_lock, NULL);
  pthread_cond_init(&c->space, NULL);
  napi_value name;
  napi_create_string_utf8(env, "netlink_shim.reader", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[3], NULL, name, 0, 1, c, rd_tsfn_finalize, c, rd_call_js, &c->tsfn) != napi_ok) {
    close(c->efd);
    free(c->scratch);
    pthread_mutex_destroy(&c->q_lock);
    pthread_cond_destroy(&c->space);
    free(c);
    return throw_type(env, "netlink shim: could not create the reader's thread-safe function");
  }
  /* Not wanted yet: it must not keep the event loop alive until readerWant(h, true). */
  napi_unref_threadsafe_function(env, c->tsfn);
  napi_value external;
  if (napi_create_external(env, c, rd_handle_finalize, NULL, &external) != napi_ok) {
    c->finalized = 1; /* no handle: rd_close + the tsfn finalizer free it */
    rd_close(c);
    return throw_type(env, "netlink shim: could not create the reader handle");
  }
  napi_add_env_cleanup_hook(env, (void (*)(void *))rd_close, c);
  /* Signals stay with the other threads (Node's own handlers run there). */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&c->thread, NULL, rd_thread, c);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    rd_close(c);
    return throw_errno(env, "pthread_create", rc);
  }
  c->thread_started = 1;
  pthread_setname_np(c->thread, "nlx-reader"); /* for top -H and /proc/PID/task/TID/comm */
  return external;
}

/* readerWant(handle, on): wake-ups wanted (and the event loop kept alive) or not. */
static napi_value js_reader_want(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 2, argv)) return NULL;
  reader_ctx *c = get_reader(env, argv[0]);
  if (c == NULL) return NULL;
  bool on = false;
  if (napi_get_value_bool(env, argv[1], &on) != napi_ok) return throw_type(env, "on must be a boolean");
  if (c->closed) return NULL;
  if (on != (c->refed != 0)) {
    if (on) napi_ref_threadsafe_function(env, c->tsfn);
    else napi_unref_threadsafe_function(env, c->tsfn);
    c->refed = on;
  }
  pthread_mutex_lock(&c->q_lock);
  c->wanted = on;
  /* Level-triggered, like poll: something already waiting wakes the caller once more. */
  if (on && (c->head != NULL || c->fatal)) rd_notify(c);
  pthread_mutex_unlock(&c->q_lock);
  return NULL;
}

/* Hand on FIFO nodes into `bytes` (q_lock held). Returns the errno node's errno if one stopped it. */
static int rd_take_queued(reader_ctx *c, uint8_t *bytes, size_t len, int32_t *meta, size_t max, size_t *count, size_t *at) {
  while (*count < max && c->head != NULL) {
    rd_node *n = c->head;
    int status = 0;
    if (n->len < 0) {
      status = -n->len;
    } else {
      if (len - *at < (size_t)n->stored || len - *at < 1) return 0; /* no room: the caller comes back */
      int32_t *m = meta + 2 + BATCH_STRIDE * (*count)++;
      memcpy(bytes + *at, n->data, (size_t)n->stored);
      m[0] = (int32_t)*at;
      m[1] = n->len;
      m[2] = n->truncated;
      m[3] = (int32_t)n->pid;
      m[4] = (int32_t)n->groups;
      *at += ((size_t)n->stored + 7) & ~(size_t)7;
      if (*at > len) *at = len;
    }
    c->head = n->next;
    if (c->head == NULL) c->tail = NULL;
    int was_full = c->bytes >= c->max_bytes;
    c->bytes -= RD_NODE_COST(n);
    if (was_full && c->bytes < c->max_bytes) pthread_cond_signal(&c->space);
    if (n->small && c->nspare < RD_SPARE_MAX) {
      n->next = c->spare;
      c->spare = n;
      c->nspare++;
    } else {
      free(n);
    }
    if (status != 0) return status;
  }
  return 0;
}

/*
 * readerTake(handle, into, slotSize, meta) -> count: recvBatch's contract (see js_recv_batch)
 * over the FIFO, plus meta[0] = READER_LATER (-1) when the FIFO is empty but the thread has
 * not yet found the socket empty. The FIFO's datagrams were read with the reader's slotSize.
 */
#define READER_LATER (-1)

static napi_value js_reader_take(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *data;
  size_t len;
  uint32_t slot_size;
  if (!get_args(env, info, 4, argv)) return NULL;
  reader_ctx *c = get_reader(env, argv[0]);
  if (c == NULL) return NULL;
  if (!get_bytes(env, argv[1], &data, &len) || !get_u32(env, argv[2], &slot_size, "slotSize")) return NULL;
  if (slot_size == 0 || slot_size > len) return throw_type(env, "slotSize must be from 1 to the buffer's length");
  int32_t *meta;
  size_t max;
  if (!get_batch_meta(env, argv[3], &meta, &max)) return NULL;
  if (c->closed) return throw_errno(env, "recvmsg", EBADF);
  size_t count = 0, at = 0;
  pthread_mutex_lock(&c->q_lock);
  int status = rd_take_queued(c, data, len, meta, max, &count, &at);
  c->waiting_idle = 0;
  c->announced = 1;
  if (status == 0 && c->head == NULL && count < max) {
    /* Ran empty: the caller now waits for a wake-up (more datagrams, or the thread idle). */
    c->notified = 0;
    status = c->fatal != 0 ? c->fatal : c->idle ? EAGAIN : READER_LATER;
    c->waiting_idle = status == READER_LATER;
  }
  pthread_mutex_unlock(&c->q_lock);
  meta[0] = status;
  meta[1] = (int32_t)count;
  return make_int(env, (int64_t)count);
}

/* readerClose(handle): stop and join the thread; the fd stays open (the caller closes it). */
static napi_value js_reader_close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  reader_ctx *c = get_reader(env, argv[0]);
  if (c == NULL) return NULL;
  rd_close(c);
  return NULL;
}

/* ---- module ------------------------------------------------------------------------------- */

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"bind", NULL, js_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getsockname", NULL, js_getsockname, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setsockoptInt", NULL, js_setsockopt_int, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getsockoptInt", NULL, js_getsockopt_int, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendAsync", NULL, js_send_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recv", NULL, js_recv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recvAsync", NULL, js_recv_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recvBatch", NULL, js_recv_batch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"waitReadable", NULL, js_wait_readable, NULL, NULL, NULL, napi_enumerable, NULL},
      {"peekLength", NULL, js_peek_length, NULL, NULL, NULL, napi_enumerable, NULL},
      {"poll", NULL, js_poll, NULL, NULL, NULL, napi_enumerable, NULL},
      {"startPoll", NULL, js_start_poll, NULL, NULL, NULL, napi_enumerable, NULL},
      {"stopPoll", NULL, js_stop_poll, NULL, NULL, NULL, napi_enumerable, NULL},
      {"closePoll", NULL, js_close_poll, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"readerOpen", NULL, js_reader_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"readerTake", NULL, js_reader_take, NULL, NULL, NULL, napi_enumerable, NULL},
      {"readerWant", NULL, js_reader_want, NULL, NULL, NULL, napi_enumerable, NULL},
      {"readerClose", NULL, js_reader_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  napi_value yes;
  if (napi_get_boolean(env, true, &yes) != napi_ok || napi_set_named_property(env, exports, "orderedSends", yes) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
