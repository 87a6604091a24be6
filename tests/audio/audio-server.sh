#!/bin/sh
# audio-server.sh - a private PulseAudio server with a null sink for Ferrite's
# audio tests: nothing of the user's session is touched or used.
#
#   eval "$(audio-server.sh start)"   start one; prints the variables to export
#   audio-server.sh stop [DIR]        stop it (frozen or not), delete its directory
#   audio-server.sh restart [DIR]     start it again after a kill, in the same
#                                     directory and on the same socket
#   audio-server.sh run CMD [ARG...]  start one, run CMD with its variables,
#                                     stop it; exits with CMD's code
#   audio-server.sh scope CMD [ARG...]
#                                     run CMD, then stop every server CMD
#                                     started (through start) and was not able
#                                     to stop itself: a test that crashed or
#                                     was killed by a timeout leaves nothing
#
# stop and restart use $AUDIO_SERVER_DIR unless DIR is given. start exits 77 (a skip for
# meson) when pulseaudio is not installed.
#
# Exported by start:
#   AUDIO_SERVER_DIR   private directory in /tmp (socket, logs, state)
#   AUDIO_SERVER_PID   the daemon, for tests that kill or freeze it
#   PULSE_SERVER, PULSE_CLIENTCONFIG, XDG_RUNTIME_DIR   what clients need
#   ALSA_CONFIG_PATH   an ALSA configuration with two devices, default and
#                      pulse, both the pulse plugin, so PortAudio (ALSA host
#                      API) reaches this server and never the machine's own
#                      sound cards or sound server (a desktop's PipeWire, say)
#   AUDIO_SINK         the null sink, already the default sink
#   AUDIO_MONITOR      its monitor source, to record what was played
#
# The pulse plugin (libasound2-plugins) finds the server through PULSE_SERVER.
# Needs pulseaudio, pulseaudio-utils (pactl, parec), libasound2-plugins.
set -eu

sink=ferrite_test
idle_exit=${AUDIO_SERVER_IDLE_EXIT:-60}

# A killed daemon can stay a zombie until PID 1 reaps it: a zombie is gone.
is_alive() {
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$state" ] && [ "$state" != Z ]
}

start() {
    if ! command -v pulseaudio >/dev/null 2>&1; then
        echo "audio-server.sh: pulseaudio is not installed" >&2
        exit 77
    fi
    # /tmp, not the build tree: a unix socket path must stay under 108 bytes.
    # Under scope, inside its directory, which is in /tmp too.
    dir=$(mktemp -d "${AUDIO_SERVER_SCOPE:-/tmp}/fer-pulse.XXXXXX")
    printf 'autospawn = no\n' > "$dir/client.conf"
    # Two devices, as on a desktop with PulseAudio: "pulse" and "default".
    printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\npcm.pulse { type pulse }\nctl.pulse { type pulse }\n' \
        > "$dir/asound.conf"
    run_daemon "$dir"
}

# The daemon in $1, which holds client.conf and asound.conf; prints the
# variables to export once it answers.
run_daemon() {
    dir=$1
    # Everything the daemon writes stays in $dir. No DISPLAY and no session
    # bus, or it would launch D-Bus helpers that outlive it.
    # The null sink renders 2 s ahead while no one reads its monitor, and a new
    # stream is then heard only that late: the loopback keeps a 20 ms reader on
    # the monitor at all times.
    if ! env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS -u PULSE_SERVER \
        HOME="$dir" XDG_RUNTIME_DIR="$dir" XDG_CONFIG_HOME="$dir/config" \
        XDG_STATE_HOME="$dir/state" PULSE_STATE_PATH="$dir/state" \
        PULSE_RUNTIME_PATH="$dir/run" PULSE_CLIENTCONFIG="$dir/client.conf" \
        pulseaudio --daemonize=yes --use-pid-file=yes --system=false -n \
            --exit-idle-time="$idle_exit" --realtime=no --high-priority=no \
            --log-target="file:$dir/server.log" --log-level=info \
            -L "module-native-protocol-unix socket=$dir/native auth-anonymous=1" \
            -L "module-null-sink sink_name=$sink rate=48000 channels=2 format=s16le" \
            -L "module-null-sink sink_name=${sink}_keepalive rate=48000 channels=2" \
            -L "module-loopback source=$sink.monitor sink=${sink}_keepalive latency_msec=20 source_dont_move=1 sink_dont_move=1"
    then
        echo "audio-server.sh: pulseaudio did not start; its log:" >&2
        cat "$dir/server.log" >&2 2>/dev/null || true
        rm -rf "$dir"
        exit 1
    fi

    PULSE_SERVER="unix:$dir/native"
    PULSE_CLIENTCONFIG="$dir/client.conf"
    export PULSE_SERVER PULSE_CLIENTCONFIG
    tries=0
    until pactl set-default-sink "$sink" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 50 ]; then
            echo "audio-server.sh: the server did not answer within 5 s" >&2
            stop_server "$dir"
            exit 1
        fi
        sleep 0.1
    done
    # What was rendered ahead before the loopback came up is dropped by a
    # suspend and resume.
    pactl suspend-sink "$sink" 1
    pactl suspend-sink "$sink" 0

    echo "export AUDIO_SERVER_DIR='$dir'"
    echo "export AUDIO_SERVER_PID='$(cat "$dir/run/pid")'"
    echo "export PULSE_SERVER='$PULSE_SERVER'"
    echo "export PULSE_CLIENTCONFIG='$PULSE_CLIENTCONFIG'"
    echo "export XDG_RUNTIME_DIR='$dir'"
    echo "export ALSA_CONFIG_PATH='$dir/asound.conf'"
    echo "export AUDIO_SINK='$sink'"
    echo "export AUDIO_MONITOR='$sink.monitor'"
}

check_dir() {
    case "$1" in
        /tmp/fer-pulse.*|/tmp/fer-audio-scope.*/fer-pulse.*) ;;
        *) echo "audio-server.sh: $1 is not a server directory" >&2; exit 1 ;;
    esac
}

stop_server() {
    dir=$1
    check_dir "$dir"
    pid=$(cat "$dir/run/pid" 2>/dev/null || true)
    if is_alive "$pid"; then
        # CONT first: a test may have left it frozen, and a stopped process
        # does not act on TERM.
        kill -CONT "$pid" 2>/dev/null || true
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while is_alive "$pid" && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
        if is_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.1; fi
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start)
    start
    ;;
stop)
    stop_server "${2:-${AUDIO_SERVER_DIR:?no server directory given}}"
    ;;
restart)
    # After a kill: the same directory and socket, so clients find it again.
    dir=${2:-${AUDIO_SERVER_DIR:?no server directory given}}
    check_dir "$dir"
    pid=$(cat "$dir/run/pid" 2>/dev/null || true)
    if is_alive "$pid"; then
        echo "audio-server.sh: the server in $dir still runs" >&2
        exit 1
    fi
    rm -f "$dir/run/pid"
    run_daemon "$dir"
    ;;
run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD [ARG...]" >&2; exit 2; }
    vars=$(start)
    eval "$vars"
    trap 'stop_server "$AUDIO_SERVER_DIR"' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    rc=0
    "$@" || rc=$?
    exit $rc
    ;;
scope)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 scope CMD [ARG...]" >&2; exit 2; }
    AUDIO_SERVER_SCOPE=$(mktemp -d /tmp/fer-audio-scope.XXXXXX)
    export AUDIO_SERVER_SCOPE
    stop_all() {
        for d in "$AUDIO_SERVER_SCOPE"/fer-pulse.*; do
            [ -d "$d" ] && stop_server "$d"
        done
        rm -rf "$AUDIO_SERVER_SCOPE"
    }
    trap stop_all EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    rc=0
    "$@" || rc=$?
    exit $rc
    ;;
*)
    echo "usage: $0 start | stop [DIR] | restart [DIR] | run CMD [ARG...] | scope CMD [ARG...]" >&2
    exit 2
    ;;
esac
