/*
 * Layout oracle: the C compiler's own answer to "how big is this struct, where is this
 * member, what is this constant", for <linux/xfrm.h> and the netlink core.
 *
 * This file is the fixed driver. What to print is a list of macro calls in
 * "layout_oracle_body.h", which test/helpers/layout.ts generates at test time from the
 * *system* headers of the machine running the test (so structs, members and enum constants
 * that an older <linux/xfrm.h> lacks are simply not listed, and the program always
 * compiles). Without a generated body (plain `cc native/layout_oracle.c`) it falls back to
 * the netlink core structs, which every uapi header set has.
 *
 *   ORACLE_STRUCT(type, "name", id)                       sizeof / alignof
 *   ORACLE_MEMBER(type, member, "name", "ctype", id)      offsetof / sizeof of a member
 *   ORACLE_FLEX(type, member, "name", "ctype", id)        offsetof of a flexible array member
 *   ORACLE_CONST(NAME)                                    value of an integer constant
 *
 * Two build modes:
 *   default           a program; main() prints one tab-separated record per line:
 *                       ABI  <LP64|ILP32>  <sizeof(long)>
 *                       S    <name>  <sizeof>  <alignof>
 *                       M    <name>  <member>  <offset>  <size|flex>  <ctype>
 *                       K    <NAME>  <value as long long>  <value as unsigned long long>
 *   -DORACLE_DATA     no libc, no main(): every number becomes a `const unsigned int
 *                     oracle_<id>_<what>` object, so `cc -m32 -S` yields them in the
 *                     assembly even where no 32-bit libc is installed (constants skipped).
 *   -DORACLE_HEADERS_ONLY   only the #includes (used with `cc -E -dD` to list what the
 *                     headers define).
 *
 * Build: cc -std=gnu11 -I<dir with layout_oracle_body.h> native/layout_oracle.c
 */
#ifndef ORACLE_DATA
#include <stdio.h>
#include <sys/socket.h>
#include <netinet/in.h>
#endif
#include <stddef.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>
#include <linux/ipsec.h>
#include <linux/udp.h>

#ifndef ORACLE_HEADERS_ONLY

#ifdef ORACLE_DATA

#define ORACLE_STRUCT(T, name, id)                                 \
  const unsigned int oracle_##id##_sizeof = sizeof(T);             \
  const unsigned int oracle_##id##_alignof = _Alignof(T);
#define ORACLE_MEMBER(T, m, name, ctype, id)                       \
  const unsigned int oracle_##id##_offset = offsetof(T, m);        \
  const unsigned int oracle_##id##_size = sizeof(((T *)0)->m);
#define ORACLE_FLEX(T, m, name, ctype, id)                         \
  const unsigned int oracle_##id##_offset = offsetof(T, m);
#define ORACLE_CONST(x)
const unsigned int oracle_abi_long = sizeof(long);
#if defined(__has_include)
#if __has_include("layout_oracle_body.h")
#include "layout_oracle_body.h"
#define ORACLE_HAVE_BODY 1
#endif
#endif
#ifndef ORACLE_HAVE_BODY
ORACLE_STRUCT(struct nlmsghdr, "nlmsghdr", nlmsghdr)
#endif

#else /* !ORACLE_DATA */

#define ORACLE_STRUCT(T, name, id)                                           \
  printf("S\t%s\t%zu\t%zu\n", name, sizeof(T), (size_t)_Alignof(T));
#define ORACLE_MEMBER(T, m, name, ctype, id)                                 \
  printf("M\t%s\t%s\t%zu\t%zu\t%s\n", name, #m, offsetof(T, m),              \
         sizeof(((T *)0)->m), ctype);
#define ORACLE_FLEX(T, m, name, ctype, id)                                   \
  printf("M\t%s\t%s\t%zu\tflex\t%s\n", name, #m, offsetof(T, m), ctype);
#define ORACLE_CONST(x)                                                      \
  printf("K\t%s\t%lld\t%llu\n", #x, (long long)(x), (unsigned long long)(x));

int main(void) {
  printf("ABI\t%s\t%zu\n", sizeof(long) == 8 ? "LP64" : "ILP32", sizeof(long));
#if defined(__has_include)
#if __has_include("layout_oracle_body.h")
#include "layout_oracle_body.h"
#define ORACLE_HAVE_BODY 1
#endif
#endif
#ifndef ORACLE_HAVE_BODY
  /* Fallback body: the netlink core, present in every uapi header set. */
  ORACLE_STRUCT(struct nlmsghdr, "nlmsghdr", nlmsghdr)
  ORACLE_MEMBER(struct nlmsghdr, nlmsg_len, "nlmsghdr", "__u32", nlmsghdr_len)
  ORACLE_MEMBER(struct nlmsghdr, nlmsg_type, "nlmsghdr", "__u16", nlmsghdr_type)
  ORACLE_MEMBER(struct nlmsghdr, nlmsg_flags, "nlmsghdr", "__u16", nlmsghdr_flags)
  ORACLE_MEMBER(struct nlmsghdr, nlmsg_seq, "nlmsghdr", "__u32", nlmsghdr_seq)
  ORACLE_MEMBER(struct nlmsghdr, nlmsg_pid, "nlmsghdr", "__u32", nlmsghdr_pid)
  ORACLE_STRUCT(struct nlattr, "nlattr", nlattr)
  ORACLE_MEMBER(struct nlattr, nla_len, "nlattr", "__u16", nlattr_len)
  ORACLE_MEMBER(struct nlattr, nla_type, "nlattr", "__u16", nlattr_type)
  ORACLE_STRUCT(struct nlmsgerr, "nlmsgerr", nlmsgerr)
  ORACLE_MEMBER(struct nlmsgerr, error, "nlmsgerr", "int", nlmsgerr_error)
  ORACLE_MEMBER(struct nlmsgerr, msg, "nlmsgerr", "struct nlmsghdr", nlmsgerr_msg)
  ORACLE_STRUCT(struct sockaddr_nl, "sockaddr_nl", sockaddr_nl)
  ORACLE_CONST(NETLINK_XFRM)
  ORACLE_CONST(NLMSG_HDRLEN)
#endif
  return 0;
}

#endif /* ORACLE_DATA */
#endif /* ORACLE_HEADERS_ONLY */
