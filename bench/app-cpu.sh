#!/bin/sh
# app-cpu.sh - CPU cost of the whole app: the window on the demo dongle at
# 2.4 MS/s with the waterfall running, under a private Xvfb.
#
#   bench/app-cpu.sh [BUILD_DIR] [SECONDS] [RENDERER]
#
# Prints e.g. "app: 23.5 % of one core over 10 s (cairo renderer, 1280x800)".
# Warms up 3 s first; reads utime+stime of all the app's threads from /proc.
set -eu
build=${1:-build}
seconds=${2:-10}
renderer=${3:-cairo}
bin="$build/src/ferrite"
[ -x "$bin" ] || { echo "app-cpu: build first ($bin missing)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "app-cpu: needs xvfb-run (apt-get install xvfb xauth)" >&2; exit 1; }

if [ -z "${APP_CPU_INNER:-}" ]; then
  APP_CPU_INNER=1 exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi

tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# No sound server here: the app runs silently, which is also what it costs
# then. The demo dongle paces itself at 2.4 MS/s.
GSK_RENDERER=$renderer GSETTINGS_BACKEND=memory "$bin" --source demo --freq 100M --rate 2.4M \
  >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 3
kill -0 $pid 2>/dev/null || { echo "app-cpu: ferrite exited early" >&2; exit 1; }
t0=$(cpu_ticks $pid)
sleep "$seconds"
t1=$(cpu_ticks $pid)
awk -v a="$t0" -v b="$t1" -v tck="$tck" -v s="$seconds" -v r="$renderer" \
  'BEGIN { printf "app: %.1f %% of one core over %d s (%s renderer, 1280x800, demo dongle 2.4 MS/s)\n", (b - a) / tck / s * 100, s, r }'
