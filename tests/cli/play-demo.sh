#!/bin/sh
# Ferrite plays the demo dongle's 100.0 MHz station through PortAudio into a
# private PulseAudio null sink; what the sink's monitor records holds the
# station's 1 kHz tone: at 1000 Hz, SINAD >= 40 dB in every 0.25 s, and
# neither a dropout nor a click (measure-tone checks all three). A run in
# which ferrite itself counted a dropout (a busy machine) is run again.
#
#   play-demo.sh FERRITE MEASURE_TONE AUDIO_SERVER_SH
set -u
ferrite=$1 measure=$2 server=$3

env_lines=$("$server" start) || exit $?    # 77: no pulseaudio here, skip
eval "$env_lines"
trap '"$server" stop' EXIT
# Not the person's remembered audio device: a private config folder.
XDG_CONFIG_HOME=$AUDIO_SERVER_DIR/config
export XDG_CONFIG_HOME

log=$AUDIO_SERVER_DIR/ferrite.log
attempt=1
while :; do
  cap=$AUDIO_SERVER_DIR/capture-$attempt.wav
  parec -d "$AUDIO_MONITOR" --rate=48000 --channels=1 --format=s16le --file-format=wav "$cap" &
  rec=$!
  sleep 0.3
  "$ferrite" --headless --source demo --freq 100M --mode wfm --seconds 4 --stats 2> "$log"
  rc=$?
  sleep 0.3
  kill -INT $rec
  wait $rec
  if [ $rc -ne 0 ]; then
    echo "ferrite exited with $rc:"; cat "$log"; exit 1
  fi
  if grep -q "No audio output device" "$log"; then
    echo "ferrite found no audio device:"; cat "$log"; exit 1
  fi
  "$measure" "$cap" 1000 40 && exit 0
  # A dropout ferrite counted (the ring ran short, the device ran dry or
  # stalled, the source dropped blocks) is a machine too busy for real time
  # at that moment: once more, up to three runs. One it did not count fails.
  stats=$(grep 'ferrite: stats: audio on' "$log" | tail -n 1)
  echo "run $attempt: $stats"
  if echo "$stats" | grep -q ' 0 underruns, 0 xruns, 0 overruns, 0 discarded; [0-9]* blocks, 0 dropped'; then
    echo "a dropout ferrite did not count"; exit 1
  fi
  if [ $attempt -ge 3 ]; then
    echo "dropouts in three runs in a row"; exit 1
  fi
  attempt=$((attempt + 1))
done
