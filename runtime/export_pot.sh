#!/usr/bin/env bash
# Regenerate i18n/mrp_job_order.pot from the add-on as Odoo 11 installs it,
# then report what i18n/it.po still lacks.
#
#   runtime/export_pot.sh              # database jo_i18n, recreated first
#   I18N_DB=other runtime/export_pot.sh
#   runtime/export_pot.sh --merge      # also msgmerge it.po with the new .pot
#
# The database is recreated without demo data: demo records (product names,
# partners...) are sample content, not the add-on's vocabulary, and would
# otherwise be exported as translatable terms.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
"$REPO/runtime/setup.sh"
# shellcheck disable=SC1091
. "$REPO/.build/env.sh"
export CONF VENV_KEY ODOO_KEY PY CACHE REPO ADDON_DIR

DB=${I18N_DB:-jo_i18n}
POT="$REPO/i18n/mrp_job_order.pot"
PO="$REPO/i18n/it.po"
MERGE=
[ "${1:-}" = "--merge" ] && MERGE=1

echo "[i18n] fresh database $DB (add-on installed, no demo data)"
"$PY" "$REPO/runtime/manage.py" fresh "$DB" --without-demo >/dev/null

# No --language: Odoo then writes a template (.pot) with empty msgstr.
# Odoo 11 picks the format from the extension and knows .po, not .pot
tmp=$(mktemp --suffix=.po)
trap 'rm -f "$tmp"' EXIT
mkdir -p "$REPO/.build/logs"
"$PY" "$REPO/runtime/odoo-bin" -c "$CONF" -d "$DB" \
    --i18n-export="$tmp" --modules=mrp_job_order --stop-after-init \
    --logfile "$REPO/.build/logs/export-pot-$DB.log"
if [ ! -s "$tmp" ]; then
    echo "[i18n] ERROR: Odoo wrote no .pot; see .build/logs/export-pot-$DB.log" >&2
    exit 1
fi
mkdir -p "$REPO/i18n"
cp "$tmp" "$POT"
echo "[i18n] wrote $POT"

if [ -n "$MERGE" ] && [ -f "$PO" ]; then
    if command -v msgmerge >/dev/null 2>&1; then
        # new strings arrive untranslated (or fuzzy), vanished ones become obsolete
        msgmerge --quiet --update --backup=none --no-wrap "$PO" "$POT"
        echo "[i18n] merged $PO"
    else
        echo "[i18n] msgmerge missing (apt-get install gettext): it.po not merged" >&2
    fi
fi

# What the Italian translation lacks against the fresh template.
"$PY" - "$POT" "$PO" <<'EOF'
import sys
import polib

pot = polib.pofile(sys.argv[1])
print('[i18n] %d msgids in the template' % len(pot))
try:
    po = polib.pofile(sys.argv[2])
except (IOError, OSError):
    sys.exit(0)
done = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete and 'fuzzy' not in e.flags}
missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in done]
if missing:
    print('[i18n] it.po lacks %d of them (or has them fuzzy):' % len(missing))
    for msgid in missing:
        print('    %r' % msgid[:100])
else:
    print('[i18n] it.po translates every one of them')
EOF
