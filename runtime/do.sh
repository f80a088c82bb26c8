#!/usr/bin/env bash
# The Makefile's targets: set up what is missing, then act.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
"$REPO/runtime/setup.sh"
# shellcheck disable=SC1091
. "$REPO/.build/env.sh"
export CONF VENV_KEY ODOO_KEY PY CACHE REPO ADDON_DIR

DEMO_DB=mrp_job_order_demo
TEST_DB=${TEST_DB:-mrp_job_order_test}
PYTEST=("$PY" -m pytest -c "$REPO/runtime/pytest.ini" --rootdir "$ADDON_DIR"
        --odoo-config "$CONF" --odoo-database "$TEST_DB")

case "${1:-}" in
    run)
        "$PY" "$REPO/runtime/manage.py" ensure "$DEMO_DB"
        exec "$PY" "$REPO/runtime/manage.py" serve "$DEMO_DB" --port "${PORT:-8069}"
        ;;
    test)
        echo "[test] fresh database $TEST_DB"
        "$PY" "$REPO/runtime/manage.py" fresh "$TEST_DB" >/dev/null
        # Paths through the addons-path link, so pytest-odoo names the test
        # modules odoo.addons.mrp_job_order.tests.* whatever this folder is called.
        shift
        exec "${PYTEST[@]}" "$ADDON_DIR/runtime/tests" "$ADDON_DIR/tests" "$@"
        ;;
    core-tests)
        # Odoo's own suites as a regression check of the compatibility layer.
        # Run post-install through pytest-odoo on a copy of the demo template
        # (which has exactly mrp, stock_account and sale_mrp installed): the
        # install-time runner breaks mrp's tests once sale is installed (README).
        db=mrp_job_order_core_tests
        "$PY" "$REPO/runtime/manage.py" copy-template "$db"
        site=$("$PY" -c 'import os, odoo; print(os.path.dirname(odoo.__file__))')
        shift
        exec "$PY" -m pytest -c "$REPO/runtime/pytest.ini" --rootdir "$site" \
            --odoo-config "$CONF" --odoo-database "$db" \
            "$site/addons/mrp/tests" "$site/addons/stock_account/tests" "$site/addons/sale_mrp/tests" "$@"
        ;;
    bench)
        shift
        exec "$PY" "$REPO/bench/run.py" "$@"
        ;;
    setup)
        ;;
    *)
        echo "usage: runtime/do.sh run|test|core-tests|bench|setup" >&2
        exit 2
        ;;
esac
