#!/bin/sh
# `meson install` into a temporary DESTDIR puts every file in its standard
# place under the prefix, and the installed binary runs on its own: it
# prints its version, demodulates the demo's 1 kHz station into a WAV file
# and speaks German from the installed catalogue.
#
#   test-install.sh MESON BUILD_ROOT PREFIX MEASURE_TONE APP_ID VERSION
set -u
meson=$1 build=$2 prefix=$3 measure=$4 app_id=$5 version=$6

# meson passes built programs relative to the build folder
case $measure in /*) ;; *) measure=$PWD/$measure ;; esac

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
dest=$work/destdir
fail=0

if ! "$meson" install -C "$build" --no-rebuild --quiet --destdir "$dest" > "$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "FAIL: meson install"; exit 1
fi
root=$dest$prefix

# Everything lands under the prefix.
outside=$(cd "$dest" && find . -type f | grep -v "^.$prefix/")
[ -z "$outside" ] || { echo "FAIL: installed outside $prefix:"; echo "$outside"; fail=1; }

expect() { [ -f "$root/$1" ] || { echo "FAIL: not installed: $prefix/$1"; fail=1; }; }
expect bin/ferrite
expect share/applications/$app_id.desktop
expect share/metainfo/$app_id.metainfo.xml
expect share/icons/hicolor/scalable/apps/$app_id.svg
expect share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
expect share/glib-2.0/schemas/$app_id.gschema.xml
expect share/locale/de/LC_MESSAGES/ferrite.mo
expect share/man/man1/ferrite.1
if [ "$(uname -s)" = Linux ]; then
  expect lib/udev/rules.d/60-ferrite-rtlsdr.rules
  expect lib/modprobe.d/ferrite-blacklist-dvb.conf
  grep -q 'TAG+="uaccess"' "$root/lib/udev/rules.d/60-ferrite-rtlsdr.rules" \
    || { echo "FAIL: udev rule without uaccess"; fail=1; }
  grep -qx 'blacklist dvb_usb_rtl28xxu' "$root/lib/modprobe.d/ferrite-blacklist-dvb.conf" \
    || { echo "FAIL: modprobe snippet does not blacklist dvb_usb_rtl28xxu"; fail=1; }
fi
[ -x "$root/bin/ferrite" ] || { echo "FAIL: bin/ferrite not executable"; fail=1; }
# The installed binary stands alone: nothing from the build folder.
if command -v ldd >/dev/null && ldd "$root/bin/ferrite" | grep -q "$build"; then
  echo "FAIL: installed binary links libraries in the build folder"; fail=1
fi

# The installed schema compiles where the system compiler would put it.
if command -v glib-compile-schemas >/dev/null; then
  glib-compile-schemas --strict "$root/share/glib-2.0/schemas" \
    || { echo "FAIL: installed schema does not compile"; fail=1; }
fi
[ $fail -eq 0 ] || exit 1

# Run it, as installed, with nothing of the build folder around.
cd "$work" || exit 1
unset FERRITE_LOCALEDIR GSETTINGS_SCHEMA_DIR LD_LIBRARY_PATH DISPLAY WAYLAND_DISPLAY
out=$("$root/bin/ferrite" --version) || { echo "FAIL: ferrite --version exited $?"; exit 1; }
[ "$out" = "ferrite $version" ] || { echo "FAIL: --version printed '$out'"; fail=1; }

"$root/bin/ferrite" --headless --source demo --seconds 1 -o "$work/x.wav" 2> "$work/run.log"
rc=$?
if [ $rc -ne 0 ]; then
  cat "$work/run.log"; echo "FAIL: headless demo run exited $rc"; exit 1
fi
size=$(wc -c < "$work/x.wav")
# 1 s of 48 kHz 16-bit mono after a 44-byte header
if [ "$size" -lt 91244 ] || [ "$size" -gt 100844 ]; then
  echo "FAIL: x.wav holds $size bytes, not about one second of audio"; fail=1
fi
"$measure" "$work/x.wav" 1000 30 > "$work/measure.log" 2>&1 \
  || { cat "$work/measure.log"; echo "FAIL: no clean 1 kHz tone in x.wav"; fail=1; }

# The installed catalogue, found through the installed path layout.
loc=
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8 de_DE.UTF-8 de_DE.utf8; do
  if locale -a 2>/dev/null | grep -qx "$l"; then loc=$l; break; fi
done
if [ -n "$loc" ]; then
  LC_ALL=$loc LANGUAGE=de FERRITE_LOCALEDIR="$root/share/locale" "$root/bin/ferrite" --help \
    | grep -q 'Empfänger für RTL-SDR-Sticks' \
    || { echo "FAIL: the installed catalogue does not give German"; fail=1; }
fi
exit $fail
