#!/bin/sh
# readme-screenshot.sh - makes data/screenshots/main-window.png, the README's picture.
#
#   tests/ui/readme-screenshot.sh [BUILD_DIR] [OUT.png]
#
# Not a test. The window (ui-demo: Ferrite's window on the demo dongle) runs
# in a private X server with a private PulseAudio, so it plays (no "no audio
# device" notice), tuned to the demo's FERRITE1 station in stereo with the
# Receiver panel and the band plan shown; after 14 s the waterfall has
# filled and RDS has come in. The root window is captured and reduced to
# 256 colours. Needs Xvfb, xauth, dbus-daemon, pulseaudio, ImageMagick.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
out=${2:-$top/data/screenshots/main-window.png}
demo="$build/tests/ui/ui-demo"
[ -x "$demo" ] || { echo "readme-screenshot: build first ($demo is missing)" >&2; exit 1; }
command -v import >/dev/null || { echo "readme-screenshot: needs ImageMagick (import, convert)" >&2; exit 1; }

if [ -z "${README_SCREENSHOT_INNER:-}" ]; then
  # the session first, the sound server inside it
  README_SCREENSHOT_INNER=1 exec "$here/gui-session.sh" -s 1280x800x24 -- \
    "$top/tests/audio/audio-server.sh" run "$0" "$build" "$out"
fi

export GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo
"$demo" --audio --size=1280x800 --tune=100M --mode=wfm-stereo --show-page=receiver \
  --band-plan > "$GUI_SESSION_DIR/demo.out" 2>&1 &
pid=$!
sleep 14
# the pointer out of the way: no hover readout in the picture
xdotool mousemove 1279 799 2>/dev/null || true
sleep 0.3
import -window root -depth 8 "$GUI_SESSION_DIR/shot.png"
kill $pid
wait $pid 2>/dev/null || true
convert "$GUI_SESSION_DIR/shot.png" -colors 256 "$out"
echo "readme-screenshot: wrote $out"
