#!/bin/sh
# Builds the fuzz targets with clang (libFuzzer, ASan, UBSan) and runs each
# for at least RUNS executions (default 1000000) from its committed seed
# corpus; new inputs it finds go to a scratch copy, not the repository.
#   tests/fuzz/run.sh [RUNS]
# Prints each target's "Done N runs" line; exit status non-zero on a crash.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
runs=${1:-1000000}
targets="rtltcp rigctl wav sigmf"

command -v clang >/dev/null || { echo "run.sh: clang is needed (Debian: clang)" >&2; exit 77; }
if [ ! -f "$build/build.ninja" ]; then
  # clang 14 with glibc 2.36 has no CMPLXF (src/dsp uses it): the same as a
  # compound literal.
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dgui_tests=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    "-Dc_args=['-fsanitize=fuzzer-no-link', '-DCMPLXF(x,y)=((float _Complex){(x),(y)})']" \
    >/dev/null
fi
for t in $targets; do
  meson compile -C "$build" "tests/fuzz/fuzz-$t" >/dev/null
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for t in $targets; do
  mkdir -p "$scratch/$t"
  cp "$src/tests/fuzz/corpus/$t"/* "$scratch/$t/"
  log="$scratch/$t.log"
  if "$build/tests/fuzz/fuzz-$t" -runs="$runs" -max_len=65536 -timeout=10 \
       -rss_limit_mb=2048 "$scratch/$t" >"$log" 2>&1; then
    printf '%-7s %s\n' "$t" "$(grep -E '^Done [0-9]+ runs' "$log")"
  else
    status=1
    printf '%-7s CRASHED:\n' "$t"
    tail -n 40 "$log"
  fi
done
exit $status
