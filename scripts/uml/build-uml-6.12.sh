#!/usr/bin/env bash
# Build a monolithic user-mode-linux 6.12 kernel (everything the guest tests
# need built in, no modules) from Debian's linux-source-6.12 package, and cache
# the binary OUTSIDE the repository:
#
#   $NLX_UML_CACHE/linux-uml-<linux-source-6.12 package version>
#   (default NLX_UML_CACHE=~/.cache/netlink-xfrm)
#
# The kernel tests (test/kernel/esp.test.ts) pick the cached binary up and run
# the guest suite on it as well as on Debian's packaged UML 6.1.
#
#   sudo bash scripts/uml/build-uml-6.12.sh [-f]
#
#   -f   rebuild even if the cached binary exists
#
# Idempotent: with a cached binary for the installed package version it only
# prints its path. Needs root only to apt-get install what is missing
# (linux-source-6.12 flex bison bc); the build itself runs in
# $NLX_UML_CACHE/uml-build (about 4 minutes on 2 cores, ~1.5 GB).
# Prints the path of the binary as its last line of stdout.
set -euo pipefail

CACHE=${NLX_UML_CACHE:-$HOME/.cache/netlink-xfrm}
BUILD_ROOT=$CACHE/uml-build
PKG=linux-source-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FORCE=
while getopts 'fh' opt; do
  case $opt in
    f) FORCE=1 ;;
    *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

log() { echo "build-uml-6.12: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(uname -m)" = x86_64 ] || die "UML builds here only for x86_64 hosts (this is $(uname -m))"

# --- 1. packages (only what is missing; apt-get update once, only if needed)
missing=()
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in "$PKG" flex bison bc; do pkg_installed "$p" || missing+=("$p"); done
for t in make gcc xz tar; do command -v "$t" >/dev/null 2>&1 || die "'$t' not found (apt-get install build-essential xz-utils)"; done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root: sudo bash $0)"
  export DEBIAN_FRONTEND=noninteractive
  log "installing ${missing[*]}"
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
    log "apt-get install failed; running apt-get update once and retrying"
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
fi
[ -f "$TARBALL" ] || die "$TARBALL missing although $PKG is installed"

# --- 2. cache key: the exact package version (e.g. 6.12.117-1~deb12u1)
PKG_VERSION=$(dpkg-query -W -f='${Version}' "$PKG")
[ -n "$PKG_VERSION" ] || die "cannot read the version of $PKG"
OUT=$CACHE/linux-uml-$PKG_VERSION
if [ -z "$FORCE" ] && [ -x "$OUT" ]; then
  log "cached: $OUT"
  echo "$OUT"
  exit 0
fi
mkdir -p "$CACHE"

# --- 3. sources: unpack once per package version (a stamp records which one)
SRC=$BUILD_ROOT/linux-source-6.12
STAMP=$BUILD_ROOT/.unpacked-version
if [ ! -d "$SRC" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$PKG_VERSION" ]; then
  log "unpacking $TARBALL into $BUILD_ROOT"
  rm -rf "$BUILD_ROOT"
  mkdir -p "$BUILD_ROOT"
  tar -C "$BUILD_ROOT" -xJf "$TARBALL"
  [ -d "$SRC" ] || die "unexpected tarball layout: no $SRC"
  echo "$PKG_VERSION" >"$STAMP"
fi
cd "$SRC"

# --- 4. configuration: defconfig + fragment (everything built in) + olddefconfig
# The fragment covers what scripts/uml/init.sh loads as modules on Debian's
# UML 6.1 (xfrm_user ... jitterentropy_rng) plus XFRM interfaces.
FRAGMENT=$BUILD_ROOT/nlx.config
cat >"$FRAGMENT" <<'EOF'
CONFIG_MODULES=n
CONFIG_HOSTFS=y
CONFIG_NET_NS=y
CONFIG_UNIX=y
CONFIG_PACKET=y
CONFIG_INET=y
CONFIG_IPV6=y
CONFIG_IP_ADVANCED_ROUTER=y
CONFIG_IP_MULTIPLE_TABLES=y
CONFIG_IPV6_MULTIPLE_TABLES=y
CONFIG_IPV6_SUBTREES=y
CONFIG_XFRM=y
CONFIG_XFRM_USER=y
CONFIG_XFRM_INTERFACE=y
CONFIG_XFRM_SUB_POLICY=y
CONFIG_XFRM_MIGRATE=y
CONFIG_XFRM_STATISTICS=y
CONFIG_XFRM_AH=y
CONFIG_XFRM_ESP=y
CONFIG_XFRM_IPCOMP=y
CONFIG_XFRM_ESPINTCP=y
CONFIG_INET_AH=y
CONFIG_INET_ESP=y
CONFIG_INET_ESPINTCP=y
CONFIG_INET_IPCOMP=y
CONFIG_INET_XFRM_TUNNEL=y
CONFIG_INET_TUNNEL=y
CONFIG_INET6_AH=y
CONFIG_INET6_ESP=y
CONFIG_INET6_ESPINTCP=y
CONFIG_INET6_IPCOMP=y
CONFIG_INET6_XFRM_TUNNEL=y
CONFIG_INET6_TUNNEL=y
CONFIG_IPV6_TUNNEL=y
CONFIG_NET_KEY=y
CONFIG_NET_KEY_MIGRATE=y
CONFIG_NETDEVICES=y
CONFIG_NET_CORE=y
CONFIG_VETH=y
CONFIG_DUMMY=y
CONFIG_NLMON=y
CONFIG_DEVTMPFS=y
CONFIG_DEVTMPFS_MOUNT=y
CONFIG_TMPFS=y
CONFIG_PROC_FS=y
CONFIG_PROC_CHILDREN=y
CONFIG_SYSFS=y
CONFIG_MAGIC_SYSRQ=y
CONFIG_UML_RANDOM=y
CONFIG_NULL_CHAN=y
CONFIG_SSL=y
CONFIG_CRYPTO=y
CONFIG_CRYPTO_MANAGER=y
CONFIG_CRYPTO_AES=y
CONFIG_CRYPTO_CBC=y
CONFIG_CRYPTO_CTR=y
CONFIG_CRYPTO_ECB=y
CONFIG_CRYPTO_GCM=y
CONFIG_CRYPTO_CCM=y
CONFIG_CRYPTO_GHASH=y
CONFIG_CRYPTO_SEQIV=y
CONFIG_CRYPTO_ECHAINIV=y
CONFIG_CRYPTO_AUTHENC=y
CONFIG_CRYPTO_HMAC=y
CONFIG_CRYPTO_CMAC=y
CONFIG_CRYPTO_XCBC=y
CONFIG_CRYPTO_MD5=y
CONFIG_CRYPTO_SHA1=y
CONFIG_CRYPTO_SHA256=y
CONFIG_CRYPTO_SHA512=y
CONFIG_CRYPTO_RMD160=y
CONFIG_CRYPTO_CHACHA20=y
CONFIG_CRYPTO_POLY1305=y
CONFIG_CRYPTO_CHACHA20POLY1305=y
CONFIG_CRYPTO_DEFLATE=y
CONFIG_CRYPTO_DES=y
CONFIG_CRYPTO_BLOWFISH=y
CONFIG_CRYPTO_CAST5=y
CONFIG_CRYPTO_SERPENT=y
CONFIG_CRYPTO_TWOFISH=y
CONFIG_CRYPTO_CAMELLIA=y
CONFIG_CRYPTO_NULL=y
CONFIG_CRYPTO_DRBG_MENU=y
CONFIG_CRYPTO_DRBG_HMAC=y
CONFIG_CRYPTO_JITTERENTROPY=y
CONFIG_CRYPTO_USER=y
EOF
# Options that must be =y after olddefconfig (a dependency that silently
# drops one of them fails the build here instead of a test later).
REQUIRED=(
  HOSTFS NET_NS UNIX INET IPV6 IP_MULTIPLE_TABLES XFRM_USER XFRM_INTERFACE XFRM_SUB_POLICY
  XFRM_MIGRATE XFRM_STATISTICS INET_ESP INET6_ESP INET_ESPINTCP INET6_ESPINTCP INET_AH INET6_AH
  INET_IPCOMP INET6_IPCOMP INET_XFRM_TUNNEL INET6_XFRM_TUNNEL VETH DUMMY NLMON DEVTMPFS
  DEVTMPFS_MOUNT TMPFS PROC_CHILDREN UML_RANDOM MAGIC_SYSRQ NULL_CHAN SSL
  CRYPTO_AES CRYPTO_CBC CRYPTO_CTR CRYPTO_GCM CRYPTO_CCM CRYPTO_GHASH CRYPTO_SEQIV CRYPTO_ECHAINIV
  CRYPTO_AUTHENC CRYPTO_HMAC CRYPTO_MD5 CRYPTO_SHA1 CRYPTO_SHA256 CRYPTO_SHA512
  CRYPTO_CHACHA20POLY1305 CRYPTO_DEFLATE CRYPTO_XCBC CRYPTO_DES
)

log "configuring ($(make -s kernelversion 2>/dev/null || echo '?'), package $PKG_VERSION)"
make -s ARCH=um defconfig >&2
scripts/kconfig/merge_config.sh -m -O . .config "$FRAGMENT" >"$BUILD_ROOT/merge_config.log" 2>&1 \
  || { cat "$BUILD_ROOT/merge_config.log" >&2; die "merge_config.sh failed"; }
make -s ARCH=um olddefconfig >&2
bad=()
grep -qx '# CONFIG_MODULES is not set' .config || bad+=("MODULES (must be unset)")
for o in "${REQUIRED[@]}"; do grep -qx "CONFIG_$o=y" .config || bad+=("$o=$(grep -E "^(# )?CONFIG_$o[= ]" .config || echo absent)"); done
[ ${#bad[@]} -eq 0 ] || die "options did not stick after olddefconfig: ${bad[*]}"
log "config OK (${#REQUIRED[@]} key options =y, CONFIG_MODULES unset)"

# --- 5. build and cache
log "make ARCH=um -j$JOBS linux (a few minutes; log: $BUILD_ROOT/build.log)"
T0=$(date +%s)
if ! make ARCH=um -j"$JOBS" linux >"$BUILD_ROOT/build.log" 2>&1; then
  tail -n 40 "$BUILD_ROOT/build.log" >&2
  die "kernel build failed (full log: $BUILD_ROOT/build.log)"
fi
T1=$(date +%s)
[ -x linux ] || die "no ./linux after the build"
KREL=$(make -s ARCH=um kernelrelease 2>/dev/null || echo '?')
install -m 0755 linux "$OUT.tmp"
cp .config "$OUT.config"
mv -f "$OUT.tmp" "$OUT"
log "built kernel $KREL in $((T1 - T0)) s: $OUT ($(du -h "$OUT" | cut -f1))"
echo "$OUT"
