#!/bin/sh
# PID 1 of the user-mode-linux guest started by scripts/uml/run.sh.
#
# The guest's root file system is the host's / (hostfs): whatever the guest
# writes lands on the host, as root. Rules kept here:
#   * /dev (guest devtmpfs), /dev/pts, /dev/shm and /run are file systems the
#     guest mounts itself; /run being private is what keeps `ip netns add`
#     (/run/netns/<name>) off the host;
#   * directories are only ever created on those guest file systems or below
#     $NLX_WORK; a mount that fails stops the guest instead of falling back to
#     the host's tree;
#   * the command's output, exit status and logs go to $NLX_WORK only.
#
# Modules: loaded from /usr/lib/uml/modules/$(uname -r) when the kernel is
# modular and that tree exists; skipped for a monolithic kernel.
#
# Input (an unknown `KEY=value` on the kernel command line becomes init's
# environment): NLX_WORK, the host-side work directory holding guest.sh.
# Output in $NLX_WORK: stdout, stderr, status, timing, init.log.
#
# Every exec costs 20-60 ms under UML, so this script keeps them few: one
# `mount -a` for all file systems, one `modprobe -a` for all modules.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
W=${NLX_WORK:-}

halt_now() {
  sync
  # `poweroff -f` (systemctl on Debian) calls reboot(2) directly when systemd
  # is not running; sysrq 'o' is the fallback. linux.uml then exits 0.
  poweroff -f 2>/dev/null
  echo o >/proc/sysrq-trigger 2>/dev/null
  sleep 30
}

if [ -z "$W" ] || [ ! -f "$W/guest.sh" ]; then
  echo "nlx-init: NLX_WORK missing or without guest.sh: '$W'" >&2
  mount -t proc proc /proc 2>/dev/null
  halt_now
fi

exec </dev/null >>"$W/init.log" 2>&1
fail() { echo "nlx-init: $*"; halt_now; }
mark() { read -r _tu _ </proc/uptime; echo "nlx-init: $* at uptime ${_tu}s"; }

mount -t proc -o nosuid,nodev,noexec proc /proc || fail "cannot mount /proc"
read -r KVER </proc/sys/kernel/osrelease
MODSRC=/usr/lib/uml/modules/$KVER
MODROOT=/run/nlx/modroot
# Modules are loaded only when the kernel supports them (/proc/modules exists)
# AND a module tree for exactly this release is installed. A monolithic kernel
# (CONFIG_MODULES=n, e.g. the 6.12 from scripts/uml/build-uml-6.12.sh) has
# everything built in and no /proc/modules; its release (uname -r) matches no
# packaged tree either.
if [ ! -e /proc/modules ]; then
  LOAD_MODULES=
  echo "nlx-init: kernel $KVER is monolithic (no /proc/modules): no modules to load"
elif [ ! -d "$MODSRC" ]; then
  LOAD_MODULES=
  echo "nlx-init: WARNING: modular kernel $KVER but no module tree at $MODSRC: continuing with built-in drivers only"
else
  LOAD_MODULES=1
fi

# In order; `X-mount.mkdir` only ever creates directories inside the guest's
# own devtmpfs and tmpfs. devtmpfs is normally mounted by the kernel already
# (CONFIG_DEVTMPFS_MOUNT) and then skipped by `mount -a`.
{
  echo "devtmpfs /dev devtmpfs mode=0755,nosuid 0 0"
  echo "sysfs /sys sysfs nosuid,nodev,noexec 0 0"
  echo "devpts /dev/pts devpts newinstance,ptmxmode=0666,mode=0620,X-mount.mkdir 0 0"
  echo "tmpfs /dev/shm tmpfs nosuid,nodev,X-mount.mkdir 0 0"
  echo "tmpfs /run tmpfs nosuid,nodev,mode=0755 0 0"
  [ -n "$LOAD_MODULES" ] && echo "$MODSRC $MODROOT/lib/modules/$KVER none bind,X-mount.mkdir 0 0"
} >"$W/fstab"
mount -a -T "$W/fstab" || fail "mount -a -T $W/fstab failed"
# Refuse to continue unless /run and /dev really are the guest's own.
RUN_OK= DEV_OK=
while read -r _src _dst _type _rest; do
  [ "$_dst" = /run ] && [ "$_type" = tmpfs ] && RUN_OK=1
  [ "$_dst" = /dev ] && [ "$_type" = devtmpfs ] && DEV_OK=1
done </proc/mounts
[ -n "$RUN_OK" ] && [ -n "$DEV_OK" ] || fail "/run or /dev is not the guest's own (see /proc/mounts)"
mkdir /run/netns /run/lock
# /dev/fd and friends: devtmpfs does not create them
ln -s /proc/self/fd /dev/fd 2>/dev/null
ln -s fd/0 /dev/stdin 2>/dev/null
ln -s fd/1 /dev/stdout 2>/dev/null
ln -s fd/2 /dev/stderr 2>/dev/null
mark "mounts done"

# Modules come from a module root on the private /run (`modprobe -d`): the
# host may have no /lib/modules at all and must not get one. A wrapper is
# installed as kernel.modprobe so the kernel's own requests (crypto templates,
# xfrm modes, ...) load from the same tree. The crypto API first asks for
# "crypto-<instance>" and "crypto-<instance>-all" when it builds an instance
# such as rfc4106(gcm(aes)); no module is ever named after a whole instance
# (the aliases are crypto-gcm, crypto-rfc4106, ...), and each exec costs
# ~70 ms here, so names with a parenthesis are refused without running
# modprobe. Template and plain algorithm names still autoload.
if [ -n "$LOAD_MODULES" ]; then
MODPROBE=$(command -v modprobe) || fail "no modprobe (apt-get install kmod)"
printf '#!/bin/sh\ncase "$*" in *"("*) exit 1 ;; esac\nexec %s -d %s "$@"\n' \
  "$MODPROBE" "$MODROOT" >/run/nlx/modprobe
chmod 0755 /run/nlx/modprobe
echo /run/nlx/modprobe >/proc/sys/kernel/modprobe

# One modprobe call for everything (a loop of modprobes costs seconds here).
# Names this kernel does not ship produce a warning in init.log and are
# skipped; XFRM interfaces (xfrm_interface) are not built in Debian's UML 6.1.
modprobe -d "$MODROOT" -a \
  xfrm_user xfrm_algo xfrm_ipcomp esp4 esp6 ah4 ah6 ipcomp ipcomp6 \
  xfrm4_tunnel xfrm6_tunnel tunnel4 tunnel6 xfrm_interface veth dummy nlmon \
  authenc authencesn gcm ghash_generic ccm ctr cbc ecb seqiv echainiv \
  chacha20poly1305 chacha_generic poly1305_generic hmac sha512_generic \
  des_generic xcbc cmac deflate rmd160 blowfish_generic cast5_generic \
  serpent_generic twofish_generic camellia_generic drbg jitterentropy_rng \
  || echo "nlx-init: modprobe -a reported an error (see above)"
mark "modprobe done"
fi

ip link set lo up
mkdir -p "$W/tmp" "$W/home"
mark "ready"

read -r T0 _ </proc/uptime
/bin/sh "$W/guest.sh" >"$W/stdout" 2>"$W/stderr" </dev/null
STATUS=$?
read -r T1 _ </proc/uptime
echo "command_start_uptime=$T0 command_end_uptime=$T1" >"$W/timing"
echo "$STATUS" >"$W/status.tmp" && mv "$W/status.tmp" "$W/status"
halt_now
