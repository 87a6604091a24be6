#!/bin/sh
# a11y-test.sh UI_DEMO [UI_DEMO OPTIONS...] -- [a11y-walk.py OPTIONS...]
#
# Inside gui-session.sh: starts the window (ui-demo) with the accessibility
# bridge on, waits until it has drawn, and walks its tree over AT-SPI with
# a11y-walk.py (which fails on an unnamed control, and checks what the
# options ask). Skips (77) without python3-gi and AT-SPI's introspection data.
set -u
here=$(dirname "$0")
demo=$1; shift
demo_args=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do demo_args="$demo_args $1"; shift; done
[ $# -gt 0 ] && shift

/usr/bin/python3 -c 'import gi; gi.require_version("Atspi", "2.0"); from gi.repository import Atspi' \
  2>/dev/null || { echo "a11y-test: needs /usr/bin/python3 with gi and Atspi 2.0 (python3-gi, gir1.2-atspi-2.0, at-spi2-core)" >&2; exit 77; }
command -v xdotool >/dev/null || { echo "a11y-test: needs xdotool" >&2; exit 77; }

out="$GUI_SESSION_DIR/demo.out"
# shellcheck disable=SC2086 # the options are words
"$demo" $demo_args > "$out" 2> "$GUI_SESSION_DIR/demo.err" &
pid=$!
n=0
until grep -q '^READY' "$out" 2>/dev/null; do
  if ! kill -0 $pid 2>/dev/null || [ $n -ge 200 ]; then
    echo "a11y-test: the window did not come up" >&2
    cat "$GUI_SESSION_DIR/demo.err" >&2
    kill $pid 2>/dev/null
    exit 1
  fi
  n=$((n + 1)); sleep 0.1
done
# the pointer over the window gives it the keyboard (there is no window manager)
xdotool mousemove 640 700

/usr/bin/python3 "$here/a11y-walk.py" --pid $pid "$@"
status=$?
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exit $status
