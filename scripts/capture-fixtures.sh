#!/usr/bin/env bash
# Recapture every golden fixture from scratch (`npm run fixtures`).
#
#   scripts/capture-fixtures.sh [--host-only | --uml-only] [--keep-raw]
#
# * host kernel: scripts/fixtures/scenarios.sh … host, every group in a fresh
#   network namespace (unshare -n): the host's own XFRM tables are never touched;
#   → fixtures/linux-<major.minor of uname -r>/
# * Debian's user-mode-linux 6.1 guest (scripts/uml/run.sh): the same groups plus
#   everything that needs ESP/AH/IPComp → fixtures/linux-<guest major.minor>/
# Each command is run under strace; scripts/fixtures/strace2fixture.py turns the
# datagrams into normalised fixture files, scripts/fixtures/table.py rebuilds
# the table in fixtures/README.md.
#
# Needs root (network namespaces, strace of ip). A kernel directory is replaced
# only when its capture met every expectation; otherwise the new files stay in
# a staging directory (printed) and the script exits 1. FIXTURES_FORCE=1
# replaces anyway.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD

DO_HOST=1 DO_UML=1 KEEP_RAW=
for a in "$@"; do
  case $a in
    --host-only) DO_UML= ;;
    --uml-only) DO_HOST= ;;
    --keep-raw) KEEP_RAW=1 ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "capture-fixtures: needs root (network namespaces, strace)" >&2
  exit 1
fi
for t in strace ip python3 unshare; do
  command -v "$t" >/dev/null || { echo "capture-fixtures: $t missing (apt-get install strace iproute2 python3 util-linux)" >&2; exit 1; }
done
if [ -n "$DO_UML" ]; then scripts/uml/ensure-uml.sh; fi

IPROUTE2=$(ip -V | sed -n 's/.*iproute2-\([^ ,]*\).*/\1/p')
BYTEORDER=$(python3 -c 'import sys; print(sys.byteorder + "-endian")')
STAGE=$(mktemp -d /tmp/nlx-fixtures.XXXXXX)
cleanup() { [ -n "$KEEP_RAW" ] || [ -n "${KEEP_STAGE:-}" ] || rm -rf "$STAGE"; }
trap cleanup EXIT
ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
T_ALL=$(ms)
FAILED=

short_version() { sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$1"; }

# install_dir STAGED_DIR KERNEL_SHORT OK
install_dir() {
  local staged=$1 short=$2 ok=$3 dest=fixtures/linux-$2
  if [ "$ok" = 1 ] || [ -n "${FIXTURES_FORCE:-}" ]; then
    # Replace every .hex; keep files derived from them by tests (e.g.
    # <name>.expected.json) unless their .hex is gone.
    mkdir -p "$dest"
    find "$dest" -maxdepth 1 -name '*.hex' -delete
    cp "$staged"/*.hex "$dest"/
    local f base
    for f in "$dest"/*; do
      case $f in *.hex) continue ;; esac
      base=${f##*/}
      base=${base%%.expected.*}
      if [ "$base" != "${f##*/}" ] && [ ! -e "$dest/$base.hex" ]; then
        echo "capture-fixtures: removing $f (its fixture no longer exists)"
        rm -f "$f"
      fi
    done
    echo "capture-fixtures: $(find "$dest" -name '*.hex' | wc -l) files in $dest"
  else
    echo "capture-fixtures: expectations failed; $dest left unchanged, new files in $staged" >&2
    KEEP_STAGE=1
    FAILED=1
  fi
}

if [ -n "$DO_HOST" ]; then
  T0=$(ms)
  KREL=$(uname -r)
  KSHORT=$(short_version "$KREL")
  ok=1
  bash scripts/fixtures/scenarios.sh "$STAGE/host-raw" host || ok=0
  T1=$(ms)
  python3 scripts/fixtures/strace2fixture.py "$STAGE/host-raw" "$STAGE/linux-$KSHORT" \
    --kernel-label "$KREL (host), $(uname -m), $BYTEORDER" --iproute2 "$IPROUTE2" || ok=0
  install_dir "$STAGE/linux-$KSHORT" "$KSHORT" "$ok"
  echo "capture-fixtures: host $KREL: scenarios $(( T1 - T0 )) ms, conversion $(( $(ms) - T1 )) ms"
fi

if [ -n "$DO_UML" ]; then
  T0=$(ms)
  ok=1
  mkdir -p "$STAGE/uml"
  scripts/uml/run.sh -t 900 "$STAGE/uml" bash scripts/fixtures/scenarios.sh "$STAGE/uml/raw" uml || ok=0
  T1=$(ms)
  if [ -s "$STAGE/uml/raw/kernel" ]; then
    GREL=$(sed -n 1p "$STAGE/uml/raw/kernel")
    GARCH=$(sed -n 2p "$STAGE/uml/raw/kernel")
    GSHORT=$(short_version "$GREL")
    UMLPKG=$(dpkg-query -W -f '${Version}' user-mode-linux 2>/dev/null || echo '?')
    python3 scripts/fixtures/strace2fixture.py "$STAGE/uml/raw" "$STAGE/linux-$GSHORT" \
      --kernel-label "$GREL (user-mode-linux guest, Debian package user-mode-linux $UMLPKG), $GARCH, $BYTEORDER" \
      --iproute2 "$IPROUTE2" || ok=0
    install_dir "$STAGE/linux-$GSHORT" "$GSHORT" "$ok"
    echo "capture-fixtures: UML $GREL: guest run $(( T1 - T0 )) ms (boot included; $(grep -o 'elapsed_ms=[0-9]*' "$STAGE/uml/result" || true)), conversion $(( $(ms) - T1 )) ms"
  else
    echo "capture-fixtures: the UML guest produced no capture (see $STAGE/uml/console.log)" >&2
    KEEP_STAGE=1
    FAILED=1
  fi
fi

python3 scripts/fixtures/table.py fixtures/README.md fixtures || FAILED=1
echo "capture-fixtures: total $(( $(ms) - T_ALL )) ms"
[ -n "$KEEP_RAW" ] && echo "capture-fixtures: raw captures kept in $STAGE"
[ -z "$FAILED" ]
