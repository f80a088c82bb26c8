#!/usr/bin/env bash
# Idempotent set-up of everything `make run` / `make test` need on a Debian
# machine: system packages, PostgreSQL, Odoo 19.0's source tree, the virtual
# environment, the addons path and the Odoo configuration. Writes the
# environment to use into .build/env.sh; everything it says goes to stderr.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNTIME="$REPO/runtime"
BUILD="$REPO/.build"
CACHE="${MRP_JOB_ORDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mrp_job_order}"
PYTHON="${PYTHON:-python3}"
# The archive: ODOO_ARCHIVE, else beside the checkout (../shared/vendor), else
# where this workplace keeps it for clones made elsewhere.
if [ -z "${ODOO_ARCHIVE:-}" ]; then
    for candidate in "$REPO/../shared/vendor/odoo-19.0.tar.xz" /work/shared/vendor/odoo-19.0.tar.xz; do
        if [ -f "$candidate" ]; then ODOO_ARCHIVE=$candidate; break; fi
    done
    ODOO_ARCHIVE="${ODOO_ARCHIVE:-$REPO/../shared/vendor/odoo-19.0.tar.xz}"
fi
ODOO_SHA256=$(tr -d ' \n' < "$RUNTIME/odoo-19.0.sha256")
mkdir -p "$BUILD" "$CACHE"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=
apt_install() {
    is_root || return 1
    if [ -z "$APT_UPDATED" ]; then
        say "apt-get update"
        apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- system tools ------------------------------------------------------------
# command -> Debian package. pg_config and gcc build psycopg2; the others are
# needed by features (PDF reports, browser tests, reading PDFs back).
missing_pkgs=()
for pair in wkhtmltopdf:wkhtmltopdf chromium:chromium pdftotext:poppler-utils \
            pg_config:libpq-dev gcc:gcc; do
    cmd=${pair%%:*}; pkg=${pair##*:}
    command -v "$cmd" >/dev/null 2>&1 || missing_pkgs+=("$pkg")
done
if [ ${#missing_pkgs[@]} -gt 0 ] && ! apt_install "${missing_pkgs[@]}"; then
    die "missing ${missing_pkgs[*]} and not root: install them with
         sudo apt-get install ${missing_pkgs[*]}"
fi

# --- PostgreSQL --------------------------------------------------------------
pg_answers() { psql -h "$1" -d postgres -Atc 'select 1' >/dev/null 2>&1; }
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
    [ -n "$version" ] || die "no PostgreSQL cluster found under /etc/postgresql"
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    for _ in $(seq 30); do
        su postgres -c "psql -Atc 'select 1'" >/dev/null 2>&1 && break; sleep 1
    done
    pg_answers /var/run/postgresql || su postgres -c "createuser -s $(id -un)" >&2 || true
    pg_answers /var/run/postgresql || die "PostgreSQL did not come up; see /var/log/postgresql"
fi

# --- Odoo 19.0 source tree ---------------------------------------------------
# An existing checkout named by ODOO_SRC wins; else the archive, verified and
# unpacked once into the cache under its checksum.
is_odoo19() { grep -qE "^version_info = \(19, 0," "$1/odoo/release.py" 2>/dev/null; }
if [ -n "${ODOO_SRC:-}" ]; then
    is_odoo19 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19.0 source tree \
(no odoo/release.py with version 19.0)"
    ODOO_TREE=$(cd "$ODOO_SRC" && pwd)
    odoo_id="src:$ODOO_TREE"
else
    ODOO_TREE="$CACHE/odoo-${ODOO_SHA256:0:12}/odoo-19.0"
    odoo_id="sha256:$ODOO_SHA256"
    if ! is_odoo19 "$ODOO_TREE"; then
        [ -f "$ODOO_ARCHIVE" ] || die "no Odoo 19.0 source: set ODOO_SRC to an Odoo 19.0 \
checkout, or put the archive odoo-19.0.tar.xz at $ODOO_ARCHIVE (or set ODOO_ARCHIVE)"
        say "verifying $ODOO_ARCHIVE"
        actual=$(sha256sum "$ODOO_ARCHIVE" | cut -d' ' -f1)
        [ "$actual" = "$ODOO_SHA256" ] || die "$ODOO_ARCHIVE has sha256 $actual, \
expected $ODOO_SHA256 (runtime/odoo-19.0.sha256): not the Odoo 19.0 archive we know"
        unpack="$CACHE/odoo-${ODOO_SHA256:0:12}.unpacking"
        rm -rf "$unpack" && mkdir -p "$unpack"
        say "unpacking Odoo 19.0 into $CACHE (once)"
        tar -xJf "$ODOO_ARCHIVE" -C "$unpack"
        is_odoo19 "$unpack/odoo-19.0" || die "$ODOO_ARCHIVE holds no odoo-19.0/ tree"
        rm -rf "$CACHE/odoo-${ODOO_SHA256:0:12}"
        mv "$unpack" "$CACHE/odoo-${ODOO_SHA256:0:12}"
    fi
fi

# --- virtual environment -----------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "$PYTHON is older than 3.10; Odoo 19 needs Python 3.10 or newer"
pyver=$("$PYTHON" -c 'import sys; print(sys.version)')
key=$( { cat "$RUNTIME/requirements.txt"; echo "$pyver"; } | sha256sum | cut -c1-12)
VENV="$CACHE/venv-$key"
# Template databases depend on Odoo's code and the OCA add-ons, not on the test tools.
odoo_key=$( { echo "$odoo_id"; grep -E '^odoo-addon' "$RUNTIME/requirements.txt"; \
              echo "$pyver"; } | sha256sum | cut -c1-12)
if [ -d "$VENV" ] && [ ! -f "$VENV/.complete" ]; then
    say "virtual environment $VENV is half-built (an earlier set-up was interrupted): rebuilding it"
    rm -rf "$VENV"
fi
if [ ! -d "$VENV" ]; then
    say "creating virtual environment $VENV (about two minutes, once)"
    "$PYTHON" -m venv "$VENV" >&2
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-deps \
            -r "$RUNTIME/requirements.txt" > "$CACHE/pip-$key.log" 2>&1; then
        tail -20 "$CACHE/pip-$key.log" >&2
        die "pip could not install runtime/requirements.txt into $VENV (log: $CACHE/pip-$key.log)"
    fi
    touch "$VENV/.complete"
fi
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# Odoo is imported from its tree (pytest-odoo imports it before any conftest).
echo "$ODOO_TREE" > "$SITE/odoo_19_source.pth.tmp"
mv "$SITE/odoo_19_source.pth.tmp" "$SITE/odoo_19_source.pth"

# --- build and lint tools ---------------------------------------------------
# Their own venv (whool, ruff, pylint-odoo, pre-commit: runtime/requirements-tools.txt)
# and node_modules (prettier + XML plugin: runtime/package-lock.json), each
# keyed by its pins; `runtime/do.sh lint` and the wheel test use them. Not
# needed to run or test the add-on itself: when they cannot be installed the
# set-up says so and goes on, and the lint and the wheel test fail saying why.
tools_key=$( { cat "$RUNTIME/requirements-tools.txt"; echo "$pyver"; } | sha256sum | cut -c1-12)
TOOLS="$CACHE/tools-$tools_key"
if [ ! -f "$TOOLS/.complete" ]; then
    rm -rf "$TOOLS"
    say "creating the tools' virtual environment $TOOLS (once)"
    if "$PYTHON" -m venv "$TOOLS" >&2 && "$TOOLS/bin/python" -m pip install \
            --disable-pip-version-check --no-deps -r "$RUNTIME/requirements-tools.txt" \
            > "$CACHE/pip-tools-$tools_key.log" 2>&1; then
        touch "$TOOLS/.complete"
    else
        tail -20 "$CACHE/pip-tools-$tools_key.log" >&2
        say "WARNING: pip could not install runtime/requirements-tools.txt (log: \
$CACHE/pip-tools-$tools_key.log): no lint, no wheel test"
        rm -rf "$TOOLS"; TOOLS=
    fi
fi
command -v npm >/dev/null 2>&1 || apt_install npm || true
NODE_TOOLS=
if command -v npm >/dev/null 2>&1; then
    node_key=$( { cat "$RUNTIME/package-lock.json"; node --version; } | sha256sum | cut -c1-12)
    NODE_TOOLS="$CACHE/node-$node_key"
    if [ ! -f "$NODE_TOOLS/.complete" ]; then
        rm -rf "$NODE_TOOLS" && mkdir -p "$NODE_TOOLS"
        cp "$RUNTIME/package.json" "$RUNTIME/package-lock.json" "$NODE_TOOLS/"
        say "installing prettier into $NODE_TOOLS (once)"
        if (cd "$NODE_TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2); then
            touch "$NODE_TOOLS/.complete"
        else
            say "WARNING: npm could not install runtime/package-lock.json: no prettier in the lint"
            rm -rf "$NODE_TOOLS"; NODE_TOOLS=
        fi
    fi
else
    say "WARNING: no npm (Debian's npm, installed by root): no prettier in the lint"
fi

# --- addons path: the add-on under its technical name ------------------------
path_key=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
ADDONS="$CACHE/addons-$path_key"
mkdir -p "$ADDONS"
ln -sfn "$REPO" "$ADDONS/mrp_job_order"

# --- Odoo configuration ------------------------------------------------------
# The whole addons/ folder of the tree: Odoo's data refers to add-ons it does
# not install. The OCA wheels' folder is listed too, although it also joins
# the odoo.addons namespace, so that the path says where everything is.
CONF="$BUILD/odoo.conf"
cat > "$CONF.tmp" <<CONF
[options]
admin_passwd = admin
${DB_HOST:+db_host = $DB_HOST}
db_user = $(id -un)
addons_path = $ODOO_TREE/addons,$SITE/odoo/addons,$ADDONS
data_dir = $CACHE/data
list_db = True
http_interface = 127.0.0.1
CONF
mv "$CONF.tmp" "$CONF"

cat > "$BUILD/env.sh" <<ENV
export REPO=$REPO
export CACHE=$CACHE
export VENV=$VENV
export PY=$VENV/bin/python
export CONF=$CONF
export ODOO_TREE=$ODOO_TREE
export ODOO_BIN=$ODOO_TREE/odoo-bin
export ADDON_DIR=$ADDONS/mrp_job_order
export DB_HOST=$DB_HOST
export VENV_KEY=$key
export ODOO_KEY=$odoo_key
export ODOO_RC=$CONF
export TOOLS=$TOOLS
export NODE_TOOLS=$NODE_TOOLS
ENV
say "ready: Odoo 19.0 from $ODOO_TREE, venv $VENV"
