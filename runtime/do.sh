#!/usr/bin/env bash
# The Makefile's targets: set up what is missing, then act.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
"$REPO/runtime/setup.sh"
# shellcheck disable=SC1091
. "$REPO/.build/env.sh"
export CONF VENV_KEY ODOO_KEY PY CACHE REPO ADDON_DIR ODOO_BIN ODOO_TREE

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
        # paths given (runtime/do.sh test tests/test_costs.py -x) replace the full set
        # (relative paths go through the addons-path link, so that pytest-odoo
        # names modules odoo.addons.mrp_job_order.* whatever this folder is called)
        args=()
        paths=0
        for a in "$@"; do
            if [ "${a#-}" = "$a" ] && [ -e "$REPO/${a%%::*}" ]; then
                a="$ADDON_DIR/$a"; paths=1
            elif [ "${a#/}" != "$a" ] && [ -e "${a%%::*}" ]; then
                paths=1
            fi
            args+=("$a")
        done
        if [ $paths = 1 ]; then
            exec "${PYTEST[@]}" "${args[@]}"
        fi
        exec "${PYTEST[@]}" "$ADDON_DIR/runtime/tests" "$ADDON_DIR/planning/tests" "$ADDON_DIR/tests" ${args[@]+"${args[@]}"}
        ;;
    core-tests)
        # Odoo 19's own suites as the regression check of this runtime, run by
        # Odoo's runner while the modules install (at-install tests before
        # the modules that auto-install later, as Odoo's CI runs them).
        status=0
        "$PY" "$REPO/runtime/manage.py" core-tests mrp_job_order_core_mrp mrp,stock_account || status=$?
        "$PY" "$REPO/runtime/manage.py" core-tests mrp_job_order_core_sale_mrp sale_mrp || status=$?
        exit $status
        ;;
    bench)
        shift
        exec "$PY" "$REPO/bench/run.py" "$@"
        ;;
    bench-background)
        shift
        exec "$PY" "$REPO/bench/background.py" "$@"
        ;;
    lint)
        # The code checks of .pre-commit-config.yaml over every file git
        # knows, reporting only; `lint --fix` applies the automatic fixes
        # first. Ends with the number of findings per tool/check.
        shift
        [ -n "${TOOLS:-}" ] || { echo "[lint] no tools' venv (the set-up said why)" >&2; exit 1; }
        mode=check
        if [ "${1:-}" = --fix ]; then mode=fix; shift; fi
        mkdir -p "$REPO/.build/logs"
        log="$REPO/.build/logs/lint.log"
        status=0
        (cd "$REPO" && MRP_JOB_ORDER_LINT=$mode PRE_COMMIT_HOME="$CACHE/pre-commit" \
            "$TOOLS/bin/pre-commit" run --all-files --color=never "$@") 2>&1 \
            | tee "$log" || status=$?
        echo "[lint] findings per tool/check ($mode):"
        grep -oE '\[[a-z0-9_-]+/[A-Za-z0-9_-]+\]' "$log" | sort | uniq -c | sort -rn || true
        count=$(grep -cE '\[[a-z0-9_-]+/[A-Za-z0-9_-]+\]' "$log" || true)
        echo "[lint] $count findings in all"
        # non-zero with any finding (make test's runtime/tests/test_lint.py
        # relies on it), and when pre-commit failed without one (a hook that
        # crashed, or fixed files: --fix)
        if [ "$count" != 0 ] && [ "$status" = 0 ]; then status=1; fi
        exit "$status"
        ;;
    readme)
        # the app page and the README's user part, from readme/*.md
        exec "$PY" "$REPO/runtime/gen_readme.py"
        ;;
    setup)
        ;;
    *)
        echo "usage: runtime/do.sh run|test|core-tests|bench|bench-background|lint [--fix]|readme|setup" >&2
        exit 2
        ;;
esac
