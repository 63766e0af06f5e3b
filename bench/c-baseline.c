/*
 * c-baseline: the near-limit C baseline of `npm run bench` (bench/run.mjs compiles it with
 * `cc -O2` into a temporary directory; it is not part of the package).
 *
 * Every subcommand enters the network namespace /run/netns/NS first and refuses to run if
 * that fails, so it can never touch the host's own tables. Times are measured inside the
 * process with CLOCK_MONOTONIC around the operation only (socket setup and setns excluded,
 * building the requests included), together with the CPU time (user + system, getrusage) of
 * the same region, and printed as one JSON line on stdout.
 *
 *   c-baseline install NS N   NEWPOLICY x N (NLM_F_ACK on every message), sent in 64 KiB
 *                             batches with one sendmsg each; every ACK is read before the
 *                             next batch is sent.
 *   c-baseline dump NS        GETPOLICY dump into a 64 KiB buffer; walks every message, the
 *                             xfrm_userpolicy_info header and every attribute (templates too).
 *   c-baseline delete NS N    DELPOLICY (by selector + dir) x N, 64 KiB batches as install.
 *   c-baseline install1 NS N  install with NLM_F_ACK on the last message of each batch only
 *   c-baseline delete1 NS N   (and every error), as netlink-xfrm's batches do: the same kernel
 *                             work minus one ACK per request. Read until that last ACK.
 *   c-baseline flush NS       FLUSHPOLICY (main type), with ACK.
 *   c-baseline count NS       GETSPDINFO: number of policies (in + out + fwd, main + socket).
 *   c-baseline listen NS RCVBUF EXPECTED QUIET_MS
 *                             the C listener of bench/events.mjs: joins XFRMNLGRP_POLICY with
 *                             SO_RCVBUF = RCVBUF (SO_RCVBUFFORCE if capped, as netlink-xfrm
 *                             does), prints {"ready":…} and then receives: every message is
 *                             walked and its policy's selector and index read (NEWPOLICY: the
 *                             xfrm_userpolicy_info; DELPOLICY: its XFRMA_POLICY attribute, else
 *                             the xfrm_userpolicy_id); ENOBUFS counts an overrun. Stops after
 *                             EXPECTED policy messages, or QUIET_MS without one (30 s before
 *                             the first); prints counts, first→last message time and CPU time.
 *   c-baseline exec -- CMD…   run CMD with stdout on /dev/null; print its wall time and status
 *                             and CPU time (wait4 rusage: user + system, kernel work included);
 *                             used to time `ip` (its process start-up is inside the measurement).
 *
 * The policy set (identical in bench/run.mjs and bench/nlx-worker.mjs):
 *   i in [0, N), N <= 131072, selector src 198.18.0.0 + i /32, dst 198.18.0.0 + (131071 - i) /32
 *   (the RFC 2544 benchmarking range 198.18.0.0/15), family AF_INET, dir out, action allow,
 *   priority 0, lifetimes XFRM_INF; one template: ESP tunnel 192.0.2.1 -> 192.0.2.2,
 *   reqid 0, spi 0, any algorithm (~0), share any, required (iproute2's defaults).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif
#ifndef SO_SNDBUFFORCE
#define SO_SNDBUFFORCE 32
#endif

#define BATCH_BYTES (64 * 1024)
#define RECV_BYTES (64 * 1024)
#define MAX_N 131072u
#define BASE_ADDR 0xC6120000u /* 198.18.0.0 */

static uint32_t seq_no = 1;
/* NLM_F_ACK on every request (1), or only on the last of each batch (0). */
static int ack_every = 1;
static uint8_t rbuf[RECV_BYTES] __attribute__((aligned(8)));
static uint8_t sbuf[BATCH_BYTES] __attribute__((aligned(8)));

static void die(const char *what) {
  fprintf(stderr, "c-baseline: %s: %s\n", what, strerror(errno));
  exit(2);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time (user + system) of this process, in ms. */
static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void enter_netns(const char *ns) {
  char path[512];
  if (!ns || !*ns || strchr(ns, '/')) {
    fprintf(stderr, "c-baseline: refusing netns name '%s'\n", ns ? ns : "");
    exit(2);
  }
  snprintf(path, sizeof path, "/run/netns/%s", ns);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path);
  if (setns(fd, CLONE_NEWNET) < 0) die("setns");
  close(fd);
}

static int open_xfrm(const char *ns) {
  enter_netns(ns);
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
  if (s < 0) die("socket");
  /* 64 KiB of DELPOLICY requests is ~820 messages; each ACK costs ~832 bytes of rmem. */
  int sz = 4 << 20;
  if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0) die("SO_RCVBUFFORCE");
  if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz) < 0) die("SO_SNDBUFFORCE");
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(s, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
  return s;
}

static void send_buf(int s, const void *buf, size_t len) {
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
  struct msghdr mh = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
  ssize_t n;
  do n = sendmsg(s, &mh, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) die("sendmsg");
  if ((size_t)n != len) {
    fprintf(stderr, "c-baseline: short sendmsg\n");
    exit(2);
  }
}

static ssize_t recv_one(int s) {
  ssize_t n;
  do n = recv(s, rbuf, sizeof rbuf, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) die("recv");
  return n;
}

/* Read until the NLMSG_ERROR answering `last_seq` (the batch's last request, which asked for
 * an ACK); the kernel answers in order, so every error of the batch came before it. Returns
 * the number of errors. */
static unsigned read_until(int s, uint32_t last_seq, int *first_err) {
  unsigned errors = 0;
  for (;;) {
    ssize_t n = recv_one(s);
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      const struct nlmsgerr *e = NLMSG_DATA(h);
      if (e->error != 0 && errors++ == 0 && first_err) *first_err = -e->error;
      if (h->nlmsg_seq == last_seq) return errors;
    }
  }
}

/* Read ACKs until `expected` NLMSG_ERROR messages arrived; returns the number of errors. */
static unsigned read_acks(int s, unsigned expected, int *first_err) {
  unsigned got = 0, errors = 0;
  while (got < expected) {
    ssize_t n = recv_one(s);
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      const struct nlmsgerr *e = NLMSG_DATA(h);
      got++;
      if (e->error != 0) {
        if (errors++ == 0 && first_err) *first_err = -e->error;
      }
    }
  }
  return errors;
}

static void fill_selector(struct xfrm_selector *sel, uint32_t i) {
  memset(sel, 0, sizeof *sel);
  sel->saddr.a4 = htonl(BASE_ADDR + i);
  sel->daddr.a4 = htonl(BASE_ADDR + (MAX_N - 1 - i));
  sel->family = AF_INET;
  sel->prefixlen_d = 32;
  sel->prefixlen_s = 32;
}

/* Appends the NEWPOLICY request for policy i at sbuf+off; returns its aligned length. */
static size_t put_newpolicy(size_t off, uint32_t i) {
  const size_t tmpl_attr = NLA_HDRLEN + sizeof(struct xfrm_user_tmpl);
  const size_t len = NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_info)) + NLA_ALIGN(tmpl_attr);
  uint8_t *p = sbuf + off;
  memset(p, 0, NLMSG_ALIGN(len));
  struct nlmsghdr *h = (struct nlmsghdr *)p;
  h->nlmsg_len = len;
  h->nlmsg_type = XFRM_MSG_NEWPOLICY;
  h->nlmsg_flags = ack_every ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST;
  h->nlmsg_seq = seq_no++;
  struct xfrm_userpolicy_info *pi = NLMSG_DATA(h);
  fill_selector(&pi->sel, i);
  pi->lft.soft_byte_limit = XFRM_INF;
  pi->lft.hard_byte_limit = XFRM_INF;
  pi->lft.soft_packet_limit = XFRM_INF;
  pi->lft.hard_packet_limit = XFRM_INF;
  pi->dir = XFRM_POLICY_OUT;
  pi->action = XFRM_POLICY_ALLOW;
  pi->share = XFRM_SHARE_ANY;
  struct nlattr *a = (struct nlattr *)(p + NLMSG_LENGTH(NLMSG_ALIGN(sizeof *pi)));
  a->nla_len = tmpl_attr;
  a->nla_type = XFRMA_TMPL;
  struct xfrm_user_tmpl *t = (struct xfrm_user_tmpl *)((uint8_t *)a + NLA_HDRLEN);
  t->id.daddr.a4 = htonl(0xC0000202u); /* 192.0.2.2 */
  t->id.proto = IPPROTO_ESP;
  t->family = AF_INET;
  t->saddr.a4 = htonl(0xC0000201u); /* 192.0.2.1 */
  t->mode = XFRM_MODE_TUNNEL;
  t->share = XFRM_SHARE_ANY;
  t->aalgos = t->ealgos = t->calgos = ~0u;
  return NLMSG_ALIGN(len);
}

static size_t put_delpolicy(size_t off, uint32_t i) {
  const size_t len = NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_id));
  uint8_t *p = sbuf + off;
  memset(p, 0, NLMSG_ALIGN(len));
  struct nlmsghdr *h = (struct nlmsghdr *)p;
  h->nlmsg_len = len;
  h->nlmsg_type = XFRM_MSG_DELPOLICY;
  h->nlmsg_flags = ack_every ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST;
  h->nlmsg_seq = seq_no++;
  struct xfrm_userpolicy_id *id = NLMSG_DATA(h);
  fill_selector(&id->sel, i);
  id->dir = XFRM_POLICY_OUT;
  return NLMSG_ALIGN(len);
}

/* Send N requests built by `put` in 64 KiB batches, reading every ACK after each batch. */
static void batched(const char *op, const char *ns, uint32_t n, size_t (*put)(size_t, uint32_t), size_t max_msg) {
  int s = open_xfrm(ns);
  unsigned errors = 0, sends = 0;
  int first_err = 0;
  double c0 = cpu_ms(), t0 = now_ms();
  uint32_t i = 0;
  while (i < n) {
    size_t off = 0, last = 0;
    unsigned in_batch = 0;
    while (i < n && off + max_msg <= BATCH_BYTES) {
      last = off;
      off += put(off, i++);
      in_batch++;
    }
    struct nlmsghdr *lh = (struct nlmsghdr *)(sbuf + last);
    if (!ack_every) lh->nlmsg_flags |= NLM_F_ACK;
    send_buf(s, sbuf, off);
    sends++;
    errors += ack_every ? read_acks(s, in_batch, &first_err) : read_until(s, lh->nlmsg_seq, &first_err);
  }
  double ms = now_ms() - t0, cpu = cpu_ms() - c0;
  printf("{\"op\":\"%s\",\"n\":%u,\"ms\":%.3f,\"cpu_ms\":%.3f,\"errors\":%u,\"first_errno\":%d,\"sendmsg\":%u}\n", op, n, ms,
         cpu, errors, first_err, sends);
  close(s);
}

static void dump(const char *ns) {
  int s = open_xfrm(ns);
  struct {
    struct nlmsghdr h;
  } req = {.h = {.nlmsg_len = NLMSG_LENGTH(0),
                 .nlmsg_type = XFRM_MSG_GETPOLICY,
                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
                 .nlmsg_seq = seq_no++}};
  unsigned count = 0, tmpls = 0, attrs = 0, datagrams = 0;
  uint64_t sum = 0;
  int err = 0;
  double c0 = cpu_ms(), t0 = now_ms();
  send_buf(s, &req, req.h.nlmsg_len);
  for (int done = 0; !done;) {
    ssize_t n = recv_one(s);
    datagrams++;
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        err = *(int *)NLMSG_DATA(h);
        done = 1;
        break;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        done = 1;
        break;
      }
      if (h->nlmsg_type != XFRM_MSG_NEWPOLICY) continue;
      const struct xfrm_userpolicy_info *pi = NLMSG_DATA(h);
      count++;
      sum += pi->sel.saddr.a4 ^ pi->sel.daddr.a4 ^ pi->sel.prefixlen_d ^ pi->index ^ pi->dir ^ pi->priority ^
             pi->lft.hard_byte_limit ^ pi->curlft.add_time;
      const struct nlattr *a = (const struct nlattr *)((const uint8_t *)pi + NLMSG_ALIGN(sizeof *pi));
      int rem = (int)h->nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(sizeof *pi));
      while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
        attrs++;
        if ((a->nla_type & NLA_TYPE_MASK) == XFRMA_TMPL) {
          const struct xfrm_user_tmpl *t = (const void *)((const uint8_t *)a + NLA_HDRLEN);
          size_t k = (a->nla_len - NLA_HDRLEN) / sizeof *t;
          for (size_t j = 0; j < k; j++, tmpls++) sum += t[j].id.daddr.a4 ^ t[j].saddr.a4 ^ t[j].id.proto ^ t[j].mode ^ t[j].aalgos;
        } else {
          sum += a->nla_len;
        }
        rem -= NLA_ALIGN(a->nla_len);
        a = (const struct nlattr *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
      }
    }
  }
  double ms = now_ms() - t0, cpu = cpu_ms() - c0;
  printf("{\"op\":\"dump\",\"count\":%u,\"ms\":%.3f,\"cpu_ms\":%.3f,\"errno\":%d,\"templates\":%u,\"attrs\":%u,\"datagrams\":%u,\"checksum\":%llu}\n",
         count, ms, cpu, -err, tmpls, attrs, datagrams, (unsigned long long)sum);
  close(s);
}

static void simple(const char *ns, int type, const void *body, size_t body_len, int want_reply) {
  int s = open_xfrm(ns);
  struct nlmsghdr *h = (struct nlmsghdr *)sbuf;
  memset(sbuf, 0, NLMSG_SPACE(body_len));
  h->nlmsg_len = NLMSG_LENGTH(body_len);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  h->nlmsg_seq = seq_no++;
  if (body_len) memcpy(NLMSG_DATA(h), body, body_len);
  send_buf(s, sbuf, h->nlmsg_len);
  long count = -1;
  int err = 0;
  for (int done = 0; !done;) {
    ssize_t n = recv_one(s);
    for (struct nlmsghdr *r = (struct nlmsghdr *)rbuf; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n)) {
      if (r->nlmsg_type == NLMSG_ERROR) {
        err = -((struct nlmsgerr *)NLMSG_DATA(r))->error;
        done = 1;
      } else if (want_reply && r->nlmsg_type == XFRM_MSG_NEWSPDINFO) {
        const struct nlattr *a = (const struct nlattr *)((const uint8_t *)NLMSG_DATA(r) + NLMSG_ALIGN(sizeof(uint32_t)));
        int rem = (int)r->nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(sizeof(uint32_t)));
        while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
          if ((a->nla_type & NLA_TYPE_MASK) == XFRMA_SPD_INFO) {
            const struct xfrmu_spdinfo *si = (const void *)((const uint8_t *)a + NLA_HDRLEN);
            count = (long)si->incnt + si->outcnt + si->fwdcnt + si->inscnt + si->outscnt + si->fwdscnt;
          }
          rem -= NLA_ALIGN(a->nla_len);
          a = (const struct nlattr *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
        }
      }
    }
  }
  if (want_reply)
    printf("{\"op\":\"count\",\"count\":%ld,\"errno\":%d}\n", count, err);
  else
    printf("{\"op\":\"flush\",\"errno\":%d}\n", err);
  close(s);
  if (err) exit(1);
}

static void run_exec(char **argv) {
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, 1) < 0) _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) die("wait4");
  double ms = now_ms() - t0;
  double cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("{\"op\":\"exec\",\"ms\":%.3f,\"cpu_ms\":%.3f,\"status\":%d}\n", ms, cpu, code);
}

/* Adds the selector and index of a policy to the checksum (the decode work the listeners share). */
static uint64_t touch_policy(const struct xfrm_selector *sel, uint32_t index) {
  return (uint64_t)sel->saddr.a4 ^ sel->daddr.a4 ^ sel->prefixlen_d ^ sel->prefixlen_s ^ sel->family ^ index;
}

static void listen_policies(const char *ns, int rcvbuf, uint32_t expected, int quiet_ms) {
  enter_netns(ns);
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
  if (s < 0) die("socket");
  int got = 0;
  socklen_t gl = sizeof got;
  if (setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0) die("SO_RCVBUF");
  if (getsockopt(s, SOL_SOCKET, SO_RCVBUF, &got, &gl) < 0) die("getsockopt SO_RCVBUF");
  if (got < rcvbuf && setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0) die("SO_RCVBUFFORCE");
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(s, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
  int group = XFRMNLGRP_POLICY;
  if (setsockopt(s, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) die("NETLINK_ADD_MEMBERSHIP");
  socklen_t al = sizeof local;
  if (getsockname(s, (struct sockaddr *)&local, &al) < 0) die("getsockname");
  gl = sizeof got;
  if (getsockopt(s, SOL_SOCKET, SO_RCVBUF, &got, &gl) < 0) die("getsockopt SO_RCVBUF");
  printf("{\"ready\":true,\"portid\":%u,\"rcvbuf\":%d}\n", local.nl_pid, got);
  fflush(stdout);

  unsigned newp = 0, delp = 0, other = 0, overruns = 0, datagrams = 0;
  uint64_t sum = 0;
  double first = 0, last = 0, c0 = cpu_ms();
  struct timeval tv = {.tv_sec = 30};
  if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) die("SO_RCVTIMEO");
  while (newp + delp < expected) {
    ssize_t n = recv(s, rbuf, sizeof rbuf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        overruns++;
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) break; /* quiet: the storm is over */
      die("recv");
    }
    if (datagrams++ == 0) {
      first = now_ms();
      tv.tv_sec = quiet_ms / 1000;
      tv.tv_usec = (quiet_ms % 1000) * 1000;
      if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) die("SO_RCVTIMEO");
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == XFRM_MSG_NEWPOLICY && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_info))) {
        const struct xfrm_userpolicy_info *pi = NLMSG_DATA(h);
        sum += touch_policy(&pi->sel, pi->index);
        newp++;
      } else if (h->nlmsg_type == XFRM_MSG_DELPOLICY && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_id))) {
        const struct xfrm_userpolicy_id *id = NLMSG_DATA(h);
        const struct xfrm_userpolicy_info *pi = NULL;
        const struct nlattr *a = (const struct nlattr *)((const uint8_t *)id + NLMSG_ALIGN(sizeof *id));
        int rem = (int)h->nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(sizeof *id));
        while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
          if ((a->nla_type & NLA_TYPE_MASK) == XFRMA_POLICY && a->nla_len >= NLA_HDRLEN + sizeof *pi)
            pi = (const void *)((const uint8_t *)a + NLA_HDRLEN);
          rem -= NLA_ALIGN(a->nla_len);
          a = (const struct nlattr *)((const uint8_t *)a + NLA_ALIGN(a->nla_len));
        }
        sum += pi ? touch_policy(&pi->sel, pi->index) : touch_policy(&id->sel, id->index);
        delp++;
      } else {
        other++;
      }
    }
    last = now_ms();
  }
  double cpu = cpu_ms() - c0;
  printf("{\"op\":\"listen\",\"newpolicy\":%u,\"delpolicy\":%u,\"other\":%u,\"overruns\":%u,\"datagrams\":%u,"
         "\"ms\":%.3f,\"cpu_ms\":%.3f,\"rcvbuf\":%d,\"checksum\":%llu}\n",
         newp, delp, other, overruns, datagrams, last - first, cpu, got, (unsigned long long)sum);
  close(s);
}

static uint32_t parse_n(const char *s) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*end || v == 0 || v > MAX_N) {
    fprintf(stderr, "c-baseline: N must be 1..%u\n", MAX_N);
    exit(2);
  }
  return (uint32_t)v;
}

int main(int argc, char **argv) {
  const size_t newpolicy_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_info)) +
                                           NLA_ALIGN(NLA_HDRLEN + sizeof(struct xfrm_user_tmpl)));
  const size_t delpolicy_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct xfrm_userpolicy_id)));
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 4 && !strcmp(argv[1], "install")) batched("install", argv[2], parse_n(argv[3]), put_newpolicy, newpolicy_len);
  else if (argc >= 4 && !strcmp(argv[1], "delete")) batched("delete", argv[2], parse_n(argv[3]), put_delpolicy, delpolicy_len);
  else if (argc >= 4 && !strcmp(argv[1], "install1")) {
    ack_every = 0;
    batched("install", argv[2], parse_n(argv[3]), put_newpolicy, newpolicy_len);
  } else if (argc >= 4 && !strcmp(argv[1], "delete1")) {
    ack_every = 0;
    batched("delete", argv[2], parse_n(argv[3]), put_delpolicy, delpolicy_len);
  }
  else if (argc >= 3 && !strcmp(argv[1], "dump")) dump(argv[2]);
  else if (argc >= 3 && !strcmp(argv[1], "flush")) simple(argv[2], XFRM_MSG_FLUSHPOLICY, NULL, 0, 0);
  else if (argc >= 3 && !strcmp(argv[1], "count")) {
    uint32_t flags = 0;
    simple(argv[2], XFRM_MSG_GETSPDINFO, &flags, sizeof flags, 1);
  } else if (argc >= 6 && !strcmp(argv[1], "listen")) {
    int rcvbuf = atoi(argv[3]), quiet = atoi(argv[5]);
    unsigned long expected = strtoul(argv[4], NULL, 10);
    if (rcvbuf <= 0 || quiet <= 0 || expected == 0 || expected > 4 * MAX_N) {
      fprintf(stderr, "c-baseline: listen NS RCVBUF EXPECTED QUIET_MS (positive numbers)\n");
      return 2;
    }
    listen_policies(argv[2], rcvbuf, (uint32_t)expected, quiet);
  } else if (argc >= 4 && !strcmp(argv[1], "exec") && !strcmp(argv[2], "--")) run_exec(argv + 3);
  else {
    fprintf(stderr, "usage: c-baseline install|delete|install1|delete1 NS N | dump|flush|count NS | listen NS RCVBUF EXPECTED QUIET_MS | exec -- CMD...\n");
    return 2;
  }
  return 0;
}
