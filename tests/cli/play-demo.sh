#!/bin/sh
# Ferrite plays the demo dongle's 100.0 MHz station through PortAudio into a
# private PulseAudio null sink; what the sink's monitor records holds the
# station's 1 kHz tone, clean and without dropouts.
#
#   play-demo.sh FERRITE MEASURE_TONE AUDIO_SERVER_SH
set -u
ferrite=$1 measure=$2 server=$3

env_lines=$("$server" start) || exit $?    # 77: no pulseaudio here, skip
eval "$env_lines"
trap '"$server" stop' EXIT

cap=$AUDIO_SERVER_DIR/capture.wav
parec -d "$AUDIO_MONITOR" --rate=48000 --channels=1 --format=s16le --file-format=wav "$cap" &
rec=$!
sleep 0.3
"$ferrite" --headless --source demo --freq 100M --mode wfm --seconds 4 \
  2> "$AUDIO_SERVER_DIR/ferrite.log"
rc=$?
sleep 0.3
kill -INT $rec
wait $rec
if [ $rc -ne 0 ]; then
  echo "ferrite exited with $rc:"; cat "$AUDIO_SERVER_DIR/ferrite.log"; exit 1
fi
if grep -q "No audio output device" "$AUDIO_SERVER_DIR/ferrite.log"; then
  echo "ferrite found no audio device:"; cat "$AUDIO_SERVER_DIR/ferrite.log"; exit 1
fi
"$measure" "$cap" 1000 40
