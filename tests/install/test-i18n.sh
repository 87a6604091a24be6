#!/bin/sh
# Translations: po/POTFILES.in names every file with translatable strings,
# de.po translates every string the sources hold now (no untranslated or
# fuzzy entry, valid formats), and the built binary speaks German when the
# person's language is German.
#
#   test-i18n.sh SOURCE_ROOT BUILD_ROOT FERRITE
set -u
src=$1 build=$2 ferrite=$3

case $ferrite in /*) ;; *) ferrite=$PWD/$ferrite ;; esac

for tool in xgettext msgmerge msgfmt msgattrib; do
  command -v $tool >/dev/null || { echo "$tool missing (gettext)"; exit 77; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. POTFILES.in lists every file that marks strings for translation, and
#    every file it lists exists.
grep -v '^#' "$src/po/POTFILES.in" | grep . | sort > "$tmp/listed"
while read -r f; do
  [ -f "$src/$f" ] || { echo "FAIL: po/POTFILES.in lists $f, which does not exist"; fail=1; }
done < "$tmp/listed"
(cd "$src" && grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext) ?\("|translatable="yes"' \
   src data/ui 2>/dev/null) | sort > "$tmp/marked"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "FAIL: files with translatable strings missing from po/POTFILES.in:"
  echo "$missing"
  fail=1
fi

# 2. de.po itself: valid, complete.
if ! msgfmt --check --statistics -o /dev/null "$src/po/de.po" 2> "$tmp/stats"; then
  cat "$tmp/stats"; echo "FAIL: msgfmt --check po/de.po"; fail=1
fi
if grep -qE 'untranslated|fuzzy' "$tmp/stats"; then
  cat "$tmp/stats"; echo "FAIL: po/de.po has untranslated or fuzzy messages"; fail=1
fi

# 3. de.po against the strings of the sources as they are now: the template
#    is extracted afresh, so a new or changed string shows up here.
(cd "$src" && xgettext --from-code=UTF-8 --package-name=Ferrite \
   --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
   --keyword=g_dngettext:2,3 --flag=N_:1:pass-c-format \
   --flag=g_set_error:4:c-format --flag=g_strdup_printf:1:c-format \
   -f po/POTFILES.in -o "$tmp/ferrite.pot") || { echo "FAIL: xgettext"; exit 1; }
n_msgids=$(grep -c '^msgid ' "$tmp/ferrite.pot")
[ "$n_msgids" -gt 50 ] || { echo "FAIL: only $n_msgids messages extracted"; fail=1; }
msgmerge --quiet --no-fuzzy-matching "$src/po/de.po" "$tmp/ferrite.pot" -o "$tmp/de.po"
msgfmt --check --statistics -o /dev/null "$tmp/de.po" 2> "$tmp/stats2" \
  || { cat "$tmp/stats2"; echo "FAIL: msgfmt --check of de.po merged with the sources"; fail=1; }
if grep -qE 'untranslated|fuzzy' "$tmp/stats2"; then
  cat "$tmp/stats2"
  echo "FAIL: strings of the sources without a German translation:"
  msgattrib --untranslated --no-obsolete "$tmp/de.po" | grep -A3 '^msgid' | grep -v '^msgid ""$'
  fail=1
fi

# 4. The binary follows the person's language. (GNU gettext ignores
#    LANGUAGE in the plain C locale, so pick a UTF-8 one that exists.)
loc=
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8 de_DE.UTF-8 de_DE.utf8; do
  if locale -a 2>/dev/null | grep -qx "$l"; then loc=$l; break; fi
done
if [ -z "$loc" ]; then
  echo "no UTF-8 locale to run the binary in: skipping the run"
  exit $fail
fi
LC_ALL=$loc LANGUAGE=de FERRITE_LOCALEDIR="$build/po" "$ferrite" --help > "$tmp/help" 2>&1
grep -q 'Empfänger für RTL-SDR-Sticks' "$tmp/help" \
  || { echo "FAIL: LANGUAGE=de ferrite --help is not German:"; cat "$tmp/help"; fail=1; }
grep -q 'Run without a window' "$tmp/help" \
  && { echo "FAIL: English option text in the German --help"; fail=1; }
LC_ALL=$loc LANGUAGE=de FERRITE_LOCALEDIR="$build/po" "$ferrite" --headless --ppm 5000 \
  > /dev/null 2> "$tmp/err"
grep -q 'außerhalb des Bereichs' "$tmp/err" \
  || { echo "FAIL: error message not German:"; cat "$tmp/err"; fail=1; }
# ... and stays English otherwise.
LC_ALL=$loc LANGUAGE=en FERRITE_LOCALEDIR="$build/po" "$ferrite" --help > "$tmp/help-en" 2>&1
grep -q 'Run without a window' "$tmp/help-en" \
  || { echo "FAIL: LANGUAGE=en ferrite --help is not English"; fail=1; }
exit $fail
