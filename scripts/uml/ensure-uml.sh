#!/usr/bin/env bash
# Make sure Debian's user-mode-linux kernel (and the tools the guest and the
# fixture capture need) are installed. Quiet and idempotent when everything is
# present; installs with apt-get when running as root; otherwise reports what
# is missing and exits 1.
set -euo pipefail

UML_BIN=${UML_BIN:-/usr/bin/linux.uml}
UML_MODULES_ROOT=${UML_MODULES_ROOT:-/usr/lib/uml/modules}

missing_pkgs=()
have_modules() {
  local d
  for d in "$UML_MODULES_ROOT"/*/; do
    [ -d "$d/kernel" ] && return 0
  done
  return 1
}
[ -x "$UML_BIN" ] && have_modules || missing_pkgs+=(user-mode-linux)
command -v modprobe >/dev/null 2>&1 || [ -x /usr/sbin/modprobe ] || [ -x /sbin/modprobe ] || missing_pkgs+=(kmod)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing_pkgs+=(iproute2)
command -v ping >/dev/null 2>&1 || [ -x /usr/bin/ping ] || [ -x /bin/ping ] || missing_pkgs+=(iputils-ping)
command -v strace >/dev/null 2>&1 || missing_pkgs+=(strace)

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-uml: missing packages: ${missing_pkgs[*]} (not root: cannot install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-uml: apt-get install ${missing_pkgs[*]} failed" >&2
  exit 1
fi

if [ ! -x "$UML_BIN" ] || ! have_modules; then
  echo "ensure-uml: $UML_BIN or $UML_MODULES_ROOT/<version> still missing after install" >&2
  exit 1
fi
