#!/bin/sh
# The command line's audio options through a private PulseAudio server, and
# the process living through the server's death and return:
#   --list-audio-devices      lists pulse and default, the default marked
#   --audio-device INDEX      plays on it, says so, and remembers its name
#   --audio-device NAME       a missing one: the default plays, with a notice,
#                             and the remembered choice stays
#   --stats                   latency, drift and dropouts each second
#   kill -9 of the server while playing: "Audio lost", the process runs on;
#   the server back: "Audio is back"; exit 0 at the end
#   no server: --list-audio-devices says there is no device
#
#   cli-audio.sh FERRITE AUDIO_SERVER_SH
set -u
ferrite=$1 server=$2

env_lines=$("$server" start) || exit $?    # 77: no pulseaudio here, skip
eval "$env_lines"
trap '"$server" stop' EXIT
XDG_CONFIG_HOME=$AUDIO_SERVER_DIR/config
export XDG_CONFIG_HOME
log=$AUDIO_SERVER_DIR/ferrite.log
choice=$XDG_CONFIG_HOME/ferrite/audio.ini

fail() {
  echo "FAIL: $*"
  [ -f "$log" ] && { echo "--- ferrite's stderr:"; grep -v '^ALSA lib\|^Cannot connect\|^jack\|^Jack\|^Expression' "$log"; }
  exit 1
}

# --- the list -----------------------------------------------------------------
list=$("$ferrite" --list-audio-devices 2>"$log") || fail "--list-audio-devices exited with $?"
echo "$list"
echo "$list" | grep -q '^ *[0-9]\+  pulse (ALSA' || fail "pulse is not listed"
echo "$list" | grep -q '^ *[0-9]\+  default (ALSA.*\[default\]' || fail "default is not marked"
pulse_index=$(echo "$list" | sed -n 's/^ *\([0-9]\+\)  pulse (.*/\1/p')

# --- a device by index: played, remembered by name; --stats --------------------
"$ferrite" --headless --source demo --seconds 2 --audio-device "$pulse_index" --stats \
  2>"$log" || fail "ferrite --audio-device $pulse_index exited with $?"
grep -q 'Playing on “pulse”' "$log" || fail "it did not say it plays on pulse"
grep -q '^device=pulse$' "$choice" || fail "the choice was not remembered: $(cat "$choice" 2>&1)"
stats=$(grep 'ferrite: stats: audio on "pulse": latency' "$log" | head -n 1)
[ -n "$stats" ] || fail "no --stats line"
echo "$stats"
latency=$(echo "$stats" | sed -n 's/.*latency \([0-9]\+\) ms.*/\1/p')
[ "$latency" -gt 0 ] && [ "$latency" -lt 150 ] || fail "latency $latency ms"
"$ferrite" --list-audio-devices 2>/dev/null | grep -q 'pulse (.*\[chosen\]' \
  || fail "the list does not mark the chosen device"

# --- a missing device: the default, a notice, the choice kept ------------------
"$ferrite" --headless --source demo --seconds 1 --audio-device "Headset that is unplugged" \
  2>"$log" || fail "ferrite with a missing device exited with $?"
grep -q '“Headset that is unplugged” is not there; playing on “default” instead' "$log" \
  || fail "no notice about the missing device"
grep -q '^device=pulse$' "$choice" || fail "the missing device replaced the choice"

# --- the server killed while playing, then back --------------------------------
"$ferrite" --headless --source demo --seconds 7 2>"$log" &
pid=$!
sleep 1.5
kill -9 "$AUDIO_SERVER_PID"
sleep 1.5
kill -0 "$pid" 2>/dev/null || fail "ferrite died with the server"
env_lines=$("$server" restart "$AUDIO_SERVER_DIR") || fail "the server did not restart"
eval "$env_lines"
wait "$pid"
rc=$?
[ $rc -eq 0 ] || fail "ferrite exited with $rc after the server came back"
grep -q 'Audio lost' "$log" || fail "it did not say audio was lost"
grep -q 'Audio is back: playing on “pulse”' "$log" || fail "audio did not come back"
grep -v '^ALSA lib\|^Cannot connect\|^jack\|^Jack\|^Expression' "$log"

# --- no server at all ----------------------------------------------------------
kill -9 "$AUDIO_SERVER_PID"
out=$("$ferrite" --list-audio-devices 2>/dev/null)
[ "$out" = "No audio output device found" ] || fail "with no server: $out"
echo "PASS"
