#!/bin/sh
# The built .desktop file is what the app menu reads: it must validate, start
# the installed binary, name the icon by the app id and carry the German
# translation merged from po/.
#
#   test-desktop.sh BUILT.desktop APP_ID
set -u
desktop=$1 app_id=$2

command -v desktop-file-validate >/dev/null || { echo "desktop-file-validate missing (desktop-file-utils)"; exit 77; }

fail=0
check() { # description, then a command that must succeed
  what=$1; shift
  if "$@"; then :; else echo "FAIL: $what"; fail=1; fi
}

out=$(desktop-file-validate "$desktop" 2>&1)
rc=$?
[ -n "$out" ] && echo "$out"   # only ever hints, errors or warnings
check "desktop-file-validate passes" [ $rc -eq 0 ]
check "no errors or warnings" sh -c '! printf "%s\n" "$1" | grep -qE "error:|warning:"' sh "$out"
check "named after the app id" [ "$(basename "$desktop")" = "$app_id.desktop" ]
check "Exec runs ferrite" grep -qx 'Exec=ferrite' "$desktop"
check "Icon is the app id" grep -qx "Icon=$app_id" "$desktop"
check "German name and comment" grep -q '^Comment\[de\]=.' "$desktop"
check "German keywords" grep -q '^Keywords\[de\]=.*;$' "$desktop"
exit $fail
