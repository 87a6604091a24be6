#!/bin/sh
# ui-bench.sh - frames per second and CPU of the window, under Xvfb.
#
#   bench/ui/ui-bench.sh [BUILD_DIR] [SECONDS] [RENDERER...]
#
# The whole app (tests/ui/ui-demo: Ferrite's window on the demo dongle at
# 2.4 MS/s) in a 1920x1080 window with a 65536-point FFT, wide FM stereo,
# the waterfall running at 60 spectrum frames a second (UI_BENCH_FRAME_RATE
# to change it; the app's default is 30), in a private Xvfb
# (tests/ui/gui-session.sh). After 3 s of warm-up it averages over SECONDS
# (10) what the app reports once a second: frames drawn per second (the
# frame clock's ticks), the CPU of its GTK main thread and of the whole
# process (all threads: DSP, device, GTK), in % of one core; and the X
# server's CPU. RENDERER: cairo (the default here) and/or gl (llvmpipe
# under Xvfb: on the CPU, unlike a real GPU). Prints one line each:
#
#   cairo: 60.0 fps, GTK thread 11.2 %, process 24.5 %, Xvfb 6.1 % of one core
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
seconds=${2:-10}
[ $# -gt 2 ] && shift 2 || set --
renderers=${*:-cairo}
demo="$build/tests/ui/ui-demo"
[ -x "$demo" ] || { echo "ui-bench: build first ($demo is missing)" >&2; exit 1; }

if [ -z "${UI_BENCH_INNER:-}" ]; then
  UI_BENCH_INNER=1 exec "$top/tests/ui/gui-session.sh" -s 1920x1080x24 -- "$0" "$build" "$seconds" $renderers
fi

tck=$(getconf CLK_TCK)
frame_rate=${UI_BENCH_FRAME_RATE:-60}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

for renderer in $renderers; do
  out="$GUI_SESSION_DIR/ui-bench-$renderer.out"
  GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=$renderer "$demo" --fps --size=1920x1080 \
    --fft-size=65536 --mode=wfm-stereo --frame-rate="$frame_rate" > "$out" 2>/dev/null &
  pid=$!
  n=0
  until grep -q '^READY' "$out" 2>/dev/null; do
    kill -0 $pid 2>/dev/null && [ $n -lt 100 ] || { echo "ui-bench: the window did not come up" >&2; exit 1; }
    n=$((n + 1)); sleep 0.1
  done
  sleep 3
  skip=$(wc -l < "$out")
  x0=$(ticks "$GUI_SESSION_XVFB_PID")
  sleep "$seconds"
  x1=$(ticks "$GUI_SESSION_XVFB_PID")
  kill $pid
  wait $pid 2>/dev/null || true
  tail -n +"$((skip + 1))" "$out" | awk -v r="$renderer" -v fr="$frame_rate" -v x0="$x0" -v x1="$x1" -v tck="$tck" -v s="$seconds" '
    /^FPS/ { fps += $2; nf++ }
    /^CPU/ { main += $2; all += $3; nc++ }
    END {
      if (nf == 0 || nc == 0) { print r ": no figures"; exit 1 }
      printf "%s, %d spectrum frames/s: %.1f fps, GTK thread %.1f %%, process %.1f %%, Xvfb %.1f %% of one core\n",
             r, fr, fps / nf, main / nc, all / nc, (x1 - x0) / tck / s * 100
    }'
done
