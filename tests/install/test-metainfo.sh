#!/bin/sh
# The built AppStream file is what software centres show: it must validate
# offline with no errors or warnings, match the app id and version, offer
# Ferrite for exactly the dongles the udev rule opens, point at a screenshot
# that exists, and carry the German translation.
#
#   test-metainfo.sh BUILT.metainfo.xml APP_ID VERSION SOURCE_ROOT
set -u
meta=$1 app_id=$2 version=$3 src=$4

command -v appstreamcli >/dev/null || { echo "appstreamcli missing (appstream)"; exit 77; }

fail=0
check() {
  what=$1; shift
  if "$@"; then :; else echo "FAIL: $what"; fail=1; fi
}

out=$(appstreamcli validate --no-net --no-color "$meta" 2>&1)
rc=$?
check "appstreamcli validate passes" [ $rc -eq 0 ]
check "no errors or warnings" sh -c '! printf "%s\n" "$1" | grep -qE "^[EW]:"' sh "$out"
[ $fail -eq 0 ] || echo "$out"

check "component id is the app id" grep -q "<id>$app_id</id>" "$meta"
check "launchable is the desktop file" grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$meta"
check "a release for version $version" grep -q "<release version=\"$version\"" "$meta"
check "an OARS content rating" grep -q '<content_rating type="oars-1\.[01]"' "$meta"
check "a description" grep -q '<description>' "$meta"
check "German summary merged" grep -q '<summary xml:lang="de">' "$meta"
check "German description merged" grep -q '<p xml:lang="de">' "$meta"

# Screenshots: the URL names a file of this repository.
shots=$(sed -n 's|.*<image>https://raw.githubusercontent.com/[^/]*/[^/]*/[^/]*/\(.*\)</image>.*|\1|p' "$meta")
check "at least one screenshot" [ -n "$shots" ]
for s in $shots; do
  check "screenshot $s exists" [ -f "$src/$s" ]
done

# The dongles: every VID:PID of the udev rule as a modalias, and no others.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sed -n 's/.*idVendor}=="\([0-9a-fA-F]\{4\}\)", ATTRS{idProduct}=="\([0-9a-fA-F]\{4\}\)".*/\1:\2/p' \
  "$src/data/60-ferrite-rtlsdr.rules" | tr 'a-f' 'A-F' | sort -u > "$tmp/rules"
sed -n 's|.*<modalias>usb:v\([0-9A-F]\{4\}\)p\([0-9A-F]\{4\}\)d\*</modalias>.*|\1:\2|p' "$meta" \
  | sort -u > "$tmp/meta"
n_rules=$(wc -l < "$tmp/rules")
check "the udev rule lists dongles ($n_rules)" [ "$n_rules" -ge 40 ]
if ! diff -u "$tmp/rules" "$tmp/meta"; then
  echo "FAIL: <provides> modaliases differ from 60-ferrite-rtlsdr.rules (- rules, + metainfo)"
  fail=1
fi
# Every modalias line is of the one accepted form (upper-case hex, any revision).
bad=$(grep '<modalias>' "$meta" | grep -vc '<modalias>usb:v[0-9A-F]\{4\}p[0-9A-F]\{4\}d\*</modalias>')
check "modaliases well-formed" [ "$bad" -eq 0 ]
exit $fail
