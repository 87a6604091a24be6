#!/usr/bin/env bash
# dev.sh - set up, build, run and test Ferrite.
#
#   ./dev.sh run [FERRITE ARGS...]   install what is missing, build, start Ferrite
#   ./dev.sh test [MESON TEST ARGS]  install what is missing, build, run every test
#   ./dev.sh build                   install what is missing and build
#   ./dev.sh asan | tsan             run the tests under Address/UB or Thread Sanitizer
#                                    (separate build folders build-asan, build-tsan;
#                                    tsan covers everything but the window tests)
#
# On Debian/Ubuntu missing packages are installed with apt-get (through sudo
# when not root). On macOS it prints the Homebrew line to run first.
set -euo pipefail
cd "$(dirname "$0")"

# Build and runtime dependencies, and what the tests drive (X server, sound server).
DEBIAN_PACKAGES=(
  gcc libc6-dev pkg-config meson ninja-build
  libglib2.0-dev libgtk-4-dev libusb-1.0-0-dev libfftw3-dev portaudio19-dev
  libgl1-mesa-dri fonts-dejavu-core
  xvfb xauth dbus dbus-x11 xdotool
  pulseaudio-utils libasound2-plugins
  gettext appstream desktop-file-utils libjson-glib-dev ruby
  at-spi2-core python3-gi gir1.2-atspi-2.0 imagemagick
  umockdev libumockdev-dev rtl-sdr libhamlib-utils gr-osmosdr
)
# The audio tests play into a private PulseAudio server. On a desktop where
# PipeWire provides the sound server, installing pulseaudio would replace it:
# there the audio tests skip instead.
PULSE_PACKAGE=pulseaudio
BREW_PACKAGES="meson ninja pkgconf gtk4 glib libusb fftw portaudio"

log() { printf 'dev.sh: %s\n' "$*" >&2; }

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

install_debian() {
  local missing=() wanted=("${DEBIAN_PACKAGES[@]}")
  installed pipewire-pulse || wanted+=("$PULSE_PACKAGE")
  for p in "${wanted[@]}"; do
    installed "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "not root and no sudo: install ${missing[*]} yourself"; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_deps() {
  case "$(uname -s)" in
    Darwin)
      if ! command -v meson >/dev/null || ! pkg-config --exists gtk4 libusb-1.0 fftw3f portaudio-2.0 2>/dev/null; then
        log "install the dependencies with Homebrew first:"
        echo "  brew install $BREW_PACKAGES"
        exit 1
      fi ;;
    Linux)
      if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
        install_debian
      else
        log "not a Debian/Ubuntu system: install meson, ninja, pkg-config, GTK 4, libusb-1.0, FFTW3 (float) and PortAudio with your package manager"
      fi ;;
  esac
}

# configure BUILDDIR [MESON OPTIONS...]
configure() {
  local dir=$1; shift
  local opts=("$@")
  # CI treats warnings as errors; a person's newer compiler need not.
  if [ -n "${CI:-}" ]; then opts+=(-Dwerror=true); fi
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "${opts[@]}"
  elif [ ${#opts[@]} -gt 0 ]; then
    meson configure "$dir" "${opts[@]}" >/dev/null
  fi
  meson compile -C "$dir"
}

run_tests() {
  local dir=$1; shift
  # Tests that open a window get a private X server.
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    meson test -C "$dir" --print-errorlogs "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    install_deps
    configure build
    exec build/src/ferrite "$@" ;;
  build)
    install_deps
    configure build ;;
  test)
    install_deps
    configure build
    run_tests build "$@" ;;
  asan)
    install_deps
    configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:fast_unwind_on_malloc=0" \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      run_tests build-asan "$@" ;;
  tsan)
    install_deps
    configure build-tsan -Db_sanitize=thread -Db_lundef=false
    # The threaded pipeline (source, DSP thread, audio) is what must be clean.
    # The window tests are left out: GTK's and GLib's own threads (uninstrumented
    # libraries, futex-based GMutex) give reports about their internals.
    # FER_TEST_SLOW: tests whose figures need real-time speed (a paced dongle
    # drops what a slow receiver cannot take) check only that it runs.
    FER_TEST_SLOW=1 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      run_tests build-tsan --no-suite ui "$@" ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
