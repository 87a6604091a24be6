#!/bin/sh
# The Homebrew formula is valid Ruby, declares the build tools and libraries
# Ferrite needs, and its `test do` block runs the binary (--version and a
# short headless demo run).
#
#   test-homebrew.sh FORMULA.rb
set -u
rb=$1
command -v ruby >/dev/null || { echo "ruby missing"; exit 77; }

fail=0
out=$(ruby -wc "$rb" 2>&1)
[ "$out" = "Syntax OK" ] || { echo "$out"; echo "FAIL: ruby -wc $rb"; fail=1; }

for dep in meson ninja pkgconf; do
  grep -Eq "^  depends_on \"$dep\" => :build\$" "$rb" || { echo "FAIL: build dependency $dep"; fail=1; }
done
for dep in gtk4 libusb fftw portaudio glib; do
  grep -Eq "^  depends_on \"$dep\"\$" "$rb" || { echo "FAIL: dependency $dep"; fail=1; }
done
testblock=$(sed -n '/^  test do$/,/^  end$/p' "$rb")
echo "$testblock" | grep -q 'ferrite --version' || { echo "FAIL: test do does not run --version"; fail=1; }
echo "$testblock" | grep -q '"--headless", "--source", "demo"' \
  || { echo "FAIL: test do does not run the headless demo"; fail=1; }
grep -q 'std_meson_args' "$rb" || { echo "FAIL: not built with meson's standard arguments"; fail=1; }
exit $fail
