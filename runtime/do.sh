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
        # screenshots of the browser tests land in .build; the ones of the
        # app page are refreshed on purpose (see README)
        export MRP_JOB_ORDER_SCREENSHOTS="${MRP_JOB_ORDER_SCREENSHOTS:-$REPO/.build/screenshots}"
        exec "${PYTEST[@]}" "$ADDON_DIR/runtime/tests" "$ADDON_DIR/tests" "$@"
        ;;
    core-tests)
        # Odoo's own suites as a regression check of the compatibility layer,
        # run post-install through pytest-odoo. mrp and stock_account on a
        # database with just them (with purchase and sale around, two mrp
        # tests expect other routes); sale_mrp on a copy of the demo template.
        site=$("$PY" -c 'import os, odoo; print(os.path.dirname(odoo.__file__))')
        shift
        status=0
        echo "[core-tests] database mrp_job_order_core_mrp with mrp and stock_account"
        "$PY" "$REPO/runtime/manage.py" bare mrp_job_order_core_mrp mrp,stock_account
        "$PY" -m pytest -c "$REPO/runtime/pytest.ini" --rootdir "$site" \
            --odoo-config "$CONF" --odoo-database mrp_job_order_core_mrp \
            "$site/addons/mrp/tests" "$site/addons/stock_account/tests" "$@" || status=$?
        echo "[core-tests] database mrp_job_order_core_tests (demo template) for sale_mrp"
        "$PY" "$REPO/runtime/manage.py" copy-template mrp_job_order_core_tests
        "$PY" -m pytest -c "$REPO/runtime/pytest.ini" --rootdir "$site" \
            --odoo-config "$CONF" --odoo-database mrp_job_order_core_tests \
            "$site/addons/sale_mrp/tests" "$@" || status=$?
        exit $status
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
