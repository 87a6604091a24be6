#!/bin/sh
# gui-session.sh - run COMMAND in a desktop session of its own: a private
# Xvfb, a private session D-Bus (the accessibility bus starts on it when
# first asked for) and private XDG folders; everything is stopped after.
#
#   gui-session.sh [-s WxHxD] [-t] [--] COMMAND [ARGS...]
#
#   -s  screen size and depth (1280x800x24)
#   -t  COMMAND speaks TAP: a skip is "1..0 # SKIP why" and status 0
#
# Status: COMMAND's, or 77 (skip) when Xvfb, xauth or dbus-daemon is missing
# or does not start. COMMAND sees DISPLAY, XAUTHORITY,
# DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR and XDG_{CONFIG,DATA,CACHE}_HOME
# in a scratch folder (GUI_SESSION_DIR), GDK_BACKEND=x11,
# GSETTINGS_BACKEND=memory, and no NO_AT_BRIDGE.
set -eu

size=1280x800x24
tap=0
while [ $# -gt 0 ]; do
  case $1 in
    -s) size=$2; shift 2 ;;
    -t) tap=1; shift ;;
    --) shift; break ;;
    -*) echo "gui-session.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: gui-session.sh [-s WxHxD] [-t] [--] COMMAND..." >&2; exit 2; }

skip() {
  echo "gui-session.sh: $*: skipped" >&2
  if [ $tap = 1 ]; then echo "1..0 # SKIP $*"; exit 0; fi
  exit 77
}
for tool in Xvfb xauth dbus-daemon; do
  command -v $tool >/dev/null 2>&1 || skip "no $tool"
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/ferrite-session.XXXXXX")
xvfb=
bus=

stop() {
  status=$?
  trap - EXIT INT TERM
  # Services the bus started (the accessibility bus and registry) leave the
  # process tree: they are found by the folder named in their environment.
  others=
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" = $$ ] && continue
    if tr '\0' '\n' 2>/dev/null < "$p/environ" | grep -qxF "GUI_SESSION_DIR=$dir"; then
      others="$others $pid"
    fi
  done
  for pid in $others $bus $xvfb; do kill "$pid" 2>/dev/null || true; done
  sleep 0.2
  for pid in $others $bus $xvfb; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
  exit $status
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The X server picks a free display and writes its number on fd 3 once it
# listens; the cookie has no display number, so it fits whichever it picks.
export XAUTHORITY="$dir/xauthority"
: > "$XAUTHORITY"
# an nlist line: family ffff (any), no address, no display number,
# "MIT-MAGIC-COOKIE-1" (18 bytes, in hex), a 16-byte random cookie
cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf 'ffff 0000  0000  0012 4d49542d4d414749432d434f4f4b49452d31 0010 %s\n' "$cookie" \
  | xauth -q -f "$XAUTHORITY" nmerge -
Xvfb -displayfd 3 -screen 0 "$size" -nolisten tcp -noreset -auth "$XAUTHORITY" \
  3> "$dir/display" > "$dir/xvfb.log" 2>&1 &
xvfb=$!
n=0
until [ -s "$dir/display" ]; do
  kill -0 $xvfb 2>/dev/null && [ $n -lt 100 ] || { cat "$dir/xvfb.log" >&2; skip "Xvfb did not start"; }
  n=$((n + 1)); sleep 0.1
done
export DISPLAY=":$(head -n 1 "$dir/display")"
export GUI_SESSION_XVFB_PID=$xvfb

export GUI_SESSION_DIR="$dir"
export XDG_RUNTIME_DIR="$dir/runtime" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" \
  XDG_CACHE_HOME="$dir/cache"
mkdir -m 700 "$XDG_RUNTIME_DIR"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
export GDK_BACKEND=x11 GSETTINGS_BACKEND=memory MESA_SHADER_CACHE_DIR="$dir/cache/mesa"
unset WAYLAND_DISPLAY NO_AT_BRIDGE GTK_A11Y AT_SPI_BUS_ADDRESS DBUS_SESSION_BUS_PID \
  DBUS_STARTER_ADDRESS DBUS_STARTER_BUS_TYPE 2>/dev/null || true

dbus-daemon --session --nofork --nopidfile --address="unix:path=$dir/bus" \
  --print-address=4 4> "$dir/bus-address" > "$dir/dbus.log" 2>&1 &
bus=$!
n=0
until [ -s "$dir/bus-address" ]; do
  kill -0 $bus 2>/dev/null && [ $n -lt 100 ] || { cat "$dir/dbus.log" >&2; skip "dbus-daemon did not start"; }
  n=$((n + 1)); sleep 0.1
done
export DBUS_SESSION_BUS_ADDRESS="$(head -n 1 "$dir/bus-address")"

set +e
"$@"
status=$?
set -e
exit $status
