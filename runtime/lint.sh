#!/usr/bin/env bash
# One code check of .pre-commit-config.yaml, on the files pre-commit gives:
#   runtime/lint.sh CHECK FILE...
# MRP_JOB_ORDER_LINT=check (what `runtime/do.sh lint` sets) reports and
# changes nothing; =fix (the default, as OCA's hooks behave in a git hook)
# applies what can be fixed automatically, then reports the rest.
# Every finding is printed as "path:line: [tool/check] message", so that
# `runtime/do.sh lint` can count them per tool and check.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$REPO/.build/env.sh" ] || "$REPO/runtime/setup.sh"
# shellcheck disable=SC1091
. "$REPO/.build/env.sh"
[ -n "${TOOLS:-}" ] || { echo "runtime/lint.sh: no tools' venv (the set-up said why)" >&2; exit 1; }
check=$1; shift
mode=${MRP_JOB_ORDER_LINT:-fix}
fix() { [ "$mode" = fix ]; }
# status of a finding-printing pipeline: 1 when it printed anything (reads
# all of it: stopping at the first line would cut tee's copy short)
found() { [ "$(grep -c .)" = 0 ]; }
# a tool that crashed: its traceback, and a finding that fails the hook
no_traceback() {
    awk '/^Traceback/ {crash=1} crash {print > "/dev/stderr"} !crash {print}
         END {if (crash) print "-:0: [lint/crash] the tool crashed (traceback above)"}'
}
# ruff's cache outside the checkout
export RUFF_CACHE_DIR="$CACHE/ruff-cache"

case $check in
    ruff)
        if fix; then "$TOOLS/bin/ruff" check --fix --quiet "$@" >/dev/null; fi
        "$TOOLS/bin/ruff" check --output-format=concise --quiet "$@" \
            | sed -E 's#^([^:]+):([0-9]+):[0-9]+: ([A-Z]+[0-9]+) (\[\*\] )?#\1:\2: [ruff/\3] #' \
            | tee /dev/stderr | found
        ;;
    ruff-format)
        if fix; then "$TOOLS/bin/ruff" format --quiet "$@"; exit $?; fi
        { "$TOOLS/bin/ruff" format --check --output-format=concise "$@" 2>&1 || true; } \
            | sed -nE 's#^([^:]+):([0-9]+):[0-9]+: unformatted: .*$#\1:\2: [ruff-format/unformatted] would be reformatted#p' \
            | tee /dev/stderr | found
        ;;
    pylint)
        # OCA's mandatory checks; nothing to fix automatically. pylint's
        # status is bit-coded: 2 to 16, messages (the findings printed); 1
        # (fatal) and 32 (usage error), a run that did not check: a crash.
        # (grep alone in the pipeline would fail a clean run: no line.)
        out=$("$TOOLS/bin/pylint" --rcfile="$REPO/.pylintrc-mandatory" \
            --msg-template='{path}:{line}: [pylint/{symbol}] {msg}' "$@" 2>&1)
        rc=$?
        if (( rc & 33 )); then
            printf '%s\n' "$out" >&2
            echo "-:0: [lint/crash] pylint ended with status $rc (its output above)"
            exit 1
        fi
        printf '%s\n' "$out" | { grep -E '^[^ ]+:[0-9]+: \[pylint/' || true; } \
            | tee /dev/stderr | found
        ;;
    oca-checks-odoo-module)
        # It looks for an add-on's manifest below the git top folder only
        # (OCA's layout: a folder per add-on), and here the add-on is the top
        # folder: it checks a copy laid out as OCA's, <tmp>/.git and
        # <tmp>/mrp_job_order/, and the fixes are copied back.
        shadow=$(mktemp -d)
        trap 'rm -rf "$shadow"' EXIT
        mkdir "$shadow/.git" "$shadow/mrp_job_order"
        (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
            | xargs -0 cp --parents -t "$shadow/mrp_job_order" 2>/dev/null)
        copies=()
        for file in "$@"; do copies+=("$shadow/mrp_job_order/$file"); done
        if fix; then
            # xml-header-wrong, which it does not fix: OCA's header, exactly
            for file in "${copies[@]}"; do
                case $file in *.xml) sed -i -E '1s#^<\?xml version="1\.0" encoding="utf-8" ?\?>$#<?xml version="1.0" encoding="UTF-8" ?>#I' "$file";; esac
            done
            (cd "$shadow" && "$TOOLS/bin/oca-checks-odoo-module" --config "$REPO/.oca_hooks.cfg" \
                --fix --no-verbose --no-exit "${copies[@]}" >/dev/null 2>&1)
            for file in "$@"; do
                cmp -s "$shadow/mrp_job_order/$file" "$file" || cp "$shadow/mrp_job_order/$file" "$file"
            done
        fi
        # its exit status says nothing (1 even with --no-exit): the findings do
        { cd "$shadow" && "$TOOLS/bin/oca-checks-odoo-module" --config "$REPO/.oca_hooks.cfg" \
            --no-exit "${copies[@]}" 2>&1 || true; } \
            | no_traceback \
            | sed -nE 's#^(mrp_job_order/)?([^ :]+):([0-9]+)?:? ?([a-z0-9-]+) (.*)$#\2:\3: [oca-checks-odoo-module/\4] \5#p' \
            | tee /dev/stderr | found
        ;;
    oca-checks-po)
        # its exit status says nothing (1 even with --no-exit): the findings do
        { "$TOOLS/bin/oca-checks-po" --disable=po-pretty-format --no-exit "$@" 2>&1 || true; } | no_traceback \
            | sed -nE 's#^([^ :]+):([0-9]+)?:? ?([a-z0-9-]+) (.*)$#\1:\2: [oca-checks-po/\3] \4#p' \
            | tee /dev/stderr | found
        ;;
    prettier)
        [ -n "${NODE_TOOLS:-}" ] || { echo "prettier: npm is missing (runtime/setup.sh installs it as root)" >&2; exit 1; }
        prettier=("$NODE_TOOLS/node_modules/.bin/prettier" --config "$REPO/.prettierrc.yml"
                  --plugin "$NODE_TOOLS/node_modules/@prettier/plugin-xml/src/plugin.js"
                  --ignore-unknown)
        if fix; then "${prettier[@]}" --write --log-level=warn "$@" >/dev/null; fi
        { "${prettier[@]}" --list-different "$@" 2>&1 || true; } \
            | sed -E -e 's#^\[error\] ([^:]+): (.*)$#\1:1: [prettier/error] \2#' \
                     -e '/\[prettier\//! s#^(.+)$#\1:1: [prettier/format] would be reformatted#' \
            | tee /dev/stderr | found
        ;;
    trailing-whitespace)
        if fix; then "$TOOLS/bin/trailing-whitespace-fixer" "$@" >/dev/null; fi
        { grep -nHE '[[:space:]]+$' "$@" || true; } | cut -d: -f1,2 \
            | sed -E 's#$#: [whitespace/trailing-whitespace] spaces at the end of the line#' \
            | tee /dev/stderr | found
        ;;
    end-of-file)
        if fix; then "$TOOLS/bin/end-of-file-fixer" "$@" >/dev/null; fi
        for file in "$@"; do
            [ -s "$file" ] || continue
            if [ -n "$(tail -c1 "$file")" ] || [ -z "$(tail -c2 "$file" | tr -d '\n')" ]; then
                echo "$file:1: [whitespace/end-of-file] not one newline at the end"
            fi
        done | tee /dev/stderr | found
        ;;
    mixed-line-ending)
        if fix; then "$TOOLS/bin/mixed-line-ending" --fix=lf "$@" >/dev/null; fi
        { grep -lI $'\r' "$@" || true; } \
            | sed -E 's#$#:1: [whitespace/mixed-line-ending] CRLF line endings#' \
            | tee /dev/stderr | found
        ;;
    check-xml|check-merge-conflict|check-case-conflict|debug-statement-hook|\
    check-executables-have-shebangs|check-symlinks)
        # checks of pre-commit-hooks that only report
        out=$("$TOOLS/bin/$check" "$@" 2>&1) && exit 0
        printf '%s\n' "$out" | grep . \
            | sed -E "s#^([^: ]+):([0-9]+)?:?[0-9]*:? ?(.*)\$#\1:\2: [pre-commit-hooks/$check] \3#" >&2
        exit 1
        ;;
    *)
        echo "runtime/lint.sh: no check named $check" >&2
        exit 2
        ;;
esac
