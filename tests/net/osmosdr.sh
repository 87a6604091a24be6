#!/bin/sh
# GNU Radio's osmosdr source (gr-osmosdr) reads Ferrite serving the demo
# dongle over rtl_tcp: the demo station at 100.0 MHz must show up 500 kHz
# above a 99.5 MHz centre the client asked for.
#   osmosdr.sh FERRITE osmosdr-client.py
# Exit 77 (skipped) without /usr/bin/python3, numpy or gr-osmosdr.
set -u
ferrite=$1
client=$2
[ -x /usr/bin/python3 ] || { echo "no /usr/bin/python3: skipped" >&2; exit 77; }
/usr/bin/python3 -c 'import numpy, osmosdr' 2>/dev/null \
  || { echo "gr-osmosdr is not installed (Debian: gr-osmosdr): skipped" >&2; exit 77; }

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PULSE_SERVER=unix:/nonexistent "$ferrite" --headless --source demo --realtime \
  --serve-rtl-tcp "127.0.0.1:$port" -o "$dir/local.wav" 2>"$dir/stderr" &
pid=$!
i=0
while ! /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port)).close()" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "ferrite never listened" >&2; exit 1; }
  sleep 0.1
done
# That probe was a client too: give the server a moment to see it gone.
sleep 0.2
/usr/bin/python3 "$client" "$port" 99.5e6 100e6 2>"$dir/client-stderr"
rc=$?
[ $rc -eq 0 ] || cat "$dir/client-stderr" >&2
kill -TERM "$pid"
wait "$pid"
frc=$?
if [ -s "$dir/stderr" ]; then echo "ferrite said:" >&2; cat "$dir/stderr" >&2; fi
[ $frc -eq 0 ] || { echo "ferrite exited with $frc" >&2; exit 1; }
exit $rc
