#!/usr/bin/env bash
# Regenerate i18n/mrp_job_order.pot from the add-on as Odoo 19 installs it,
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
export CONF VENV_KEY ODOO_KEY PY CACHE REPO ADDON_DIR ODOO_BIN ODOO_TREE

DB=${I18N_DB:-jo_i18n}
POT="$REPO/i18n/mrp_job_order.pot"
PO="$REPO/i18n/it.po"
MERGE=
[ "${1:-}" = "--merge" ] && MERGE=1

echo "[i18n] fresh database $DB (add-on installed, no demo data)"
"$PY" "$REPO/runtime/manage.py" fresh "$DB" --without-demo >/dev/null

# Odoo 19 exports through its `i18n export` sub-command (the server's
# --i18n-export option is gone). Without --languages it writes the template
# (empty msgstr); the format comes from the extension of --output, .pot
# included. The sub-command has no --logfile: its log goes to a file here.
tmp=$(mktemp --suffix=.pot)
trap 'rm -f "$tmp"' EXIT
mkdir -p "$REPO/.build/logs"
log="$REPO/.build/logs/export-pot-$DB.log"
if ! "$PY" "$ODOO_BIN" i18n export -c "$CONF" -d "$DB" --output "$tmp" mrp_job_order \
        >"$log" 2>&1 || grep -q Traceback "$log"; then
    echo "[i18n] ERROR: the export failed; see $log" >&2
    exit 1
fi
if [ ! -s "$tmp" ]; then
    echo "[i18n] ERROR: Odoo wrote no .pot; see $log" >&2
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
print(f'[i18n] {len(pot)} msgids in the template')
try:
    po = polib.pofile(sys.argv[2])
except OSError:
    sys.exit(0)
done = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete and 'fuzzy' not in e.flags}
missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in done]
if missing:
    print(f'[i18n] it.po lacks {len(missing)} of them (or has them fuzzy):')
    for msgid in missing:
        print(f'    {msgid[:100]!r}')
else:
    print('[i18n] it.po translates every one of them')
EOF
