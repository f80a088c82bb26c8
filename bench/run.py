"""``make bench``: job order generation against Odoo's own paths and OCA's
mrp_multi_level, on the same seeded data, each contender on its own copy of
one template database, each in a process of its own.

    make bench                          # the default run (about 15 min)
    make bench ARGS='--lines 1000'      # or: runtime/do.sh bench --lines 1000
    runtime/do.sh bench --only ours     # ours | odoo | replenish | oca | flow | engine
    runtime/do.sh bench --lines 1000,10000,50000 --data-lines 50000   # larger sizes
    runtime/do.sh bench --only ours --lines 10000 --modes multi --no-transfer \
        --profile generate-multi-10000  # cProfile + queries statement by statement

Contenders: ours (generation, then confirm + transfer of every job order),
Odoo's MTO + Manufacture routes (sales orders confirmed again, a sample),
Odoo's Replenishment report (manual reordering rules, then Order), OCA
mrp_multi_level 19.0 (bench-only addons path), a 100-line multi job order's
transfer + backflush against 100 manufacturing orders, and the engine alone.

Figures: seconds, milliseconds and SQL queries per demand line (queries of
the working cursor), peak resident memory of the contender's process, and
the ratio of each contender's per-line time to ours.  The template database
(data generated once, see datagen.py) is named after the data parameters and
kept; it is brought up to date with the add-on's code (``-u``) when that
changed.  Environment (runtime/do.sh exports it): CONF, ODOO_BIN, ADDON_DIR, CACHE,
PY.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "runtime"))

from console import report_logger  # noqa: E402  (bench/console.py)

MODULE = "mrp_job_order"
OCA_MODULES = ("stock_warehouse_calendar", "mrp_warehouse_calendar", "mrp_multi_level")
# 19.0 releases only (20.0 ones are on PyPI too); --no-deps: they require a
# package named odoo that pip cannot find
OCA_WHEELS = (
    ("odoo-addon-mrp_multi_level", "19.0.*"),
    ("odoo-addon-mrp_warehouse_calendar", "19.0.*"),
    ("odoo-addon-stock_warehouse_calendar", "19.0.*"),
)
RESULT_MARK = "BENCH-RESULT "
# every database of the bench is named after this (template and copies)
DB_PREFIX = "mrp_job_order_bench"
# the bench's progress and report, on stdout as they come
REPORT = report_logger("bench")


# == worker: runs inside Odoo =====================================================
def worker(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("task")
    parser.add_argument("--conf", default=os.environ.get("CONF"))
    parser.add_argument("--args", default="{}")
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    task_args = json.loads(args.args)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.conf, "--log-level", "warn"], setup_logging=True)
    import contenders

    registry = Registry(args.db)
    baseline = contenders.peak_mb()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        meter = contenders.Meter(env, args.profile)
        if args.task == "datagen":
            import datagen

            info = datagen.generate(env, commit=cr.commit, **task_args)
        elif args.task == "generation":
            info = contenders.generation(env, meter, **task_args)
        elif args.task == "odoo":
            info = contenders.odoo_mto(env, meter, **task_args)
        elif args.task == "replenish":
            info = contenders.odoo_replenishment(env, meter, **task_args)
        elif args.task == "oca":
            info = contenders.oca_multi_level(env, meter, **task_args)
        elif args.task == "flow":
            info = contenders.multi_flow(env, meter, **task_args)
        elif args.task == "productions":
            info = contenders.mrp_productions(env, meter, **task_args)
        else:
            raise SystemExit("unknown task %s" % args.task)
        # the measured work ends committed before the result is reported
        # (bench only, on the contender's own copy of the database)
        cr.commit()  # pylint: disable=invalid-commit
    # the worker's result: a line the parent reads from stdout, not a log
    print(  # pylint: disable=print-used
        RESULT_MARK
        + json.dumps(
            {
                "info": info,
                "phases": meter.phases,
                "baseline_mb": baseline,
                "peak_mb": contenders.peak_mb(),
            }
        )
    )


# == orchestration ==================================================================
def env(name):
    value = os.environ.get(name)
    if not value:
        raise SystemExit(
            "%s is not set: run through `make bench` (runtime/do.sh bench)" % name
        )
    return value


def manage():
    import manage as module

    return module


def log(message):
    REPORT.info("[bench %s] %s", time.strftime("%H:%M:%S"), message)


def addon_hash():
    """Hash of what an update of the add-on would change in a database."""
    digest = hashlib.sha256()
    for folder in (
        "models",
        "wizards",
        "views",
        "security",
        "data",
        "reports",
        "planning",
    ):
        root = os.path.join(REPO, folder)
        for dirpath, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                if name.endswith((".py", ".xml", ".csv")):
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        digest.update(name.encode() + handle.read())
    with open(os.path.join(REPO, "__manifest__.py"), "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:12]


def odoo_bin(db, conf, args, log_name):
    logs = os.path.join(REPO, ".build", "logs")
    os.makedirs(logs, exist_ok=True)
    path = os.path.join(logs, log_name)
    cmd = [
        sys.executable,
        env("ODOO_BIN"),
        "server",
        "-c",
        conf,
        "-d",
        db,
        "--stop-after-init",
        "--logfile",
        path,
    ] + list(args)
    if os.path.exists(path):
        os.remove(path)
    if subprocess.call(cmd):
        raise SystemExit("Odoo failed on %s; see %s" % (db, path))
    with open(path) as handle:
        if "Traceback" in handle.read():
            raise SystemExit("Odoo logged a traceback on %s; see %s" % (db, path))


def run_worker(db, task, task_args, conf=None, profile=None):
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "worker",
        db,
        task,
        "--conf",
        conf or env("CONF"),
        "--args",
        json.dumps(task_args),
    ]
    if profile:
        cmd += ["--profile", profile]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, universal_newlines=True)
    result = None
    for line in process.stdout:
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK) :])
        else:
            sys.stdout.write("    " + line)
            sys.stdout.flush()
    if process.wait() or result is None:
        raise RuntimeError("%s on %s failed (exit %s)" % (task, db, process.returncode))
    return result


def set_param(db, key, value):
    manage().psql(
        "DELETE FROM ir_config_parameter WHERE key = '%s'; "
        "INSERT INTO ir_config_parameter (key, value) VALUES ('%s', '%s')"
        % (key, key, value),
        db,
    )


def get_param(db, key):
    return manage().psql(
        "SELECT value FROM ir_config_parameter WHERE key = '%s'" % key, db
    )


def template(args):
    """The data, generated once into a database with the add-on installed."""
    m = manage()
    name = DB_PREFIX + "_tpl_s%d_p%d_c%d_l%d" % (
        args.seed,
        args.products,
        args.customers,
        args.data_lines,
    )
    code = addon_hash()
    if m.db_exists(name) and not args.rebuild:
        if get_param(name, "jo_bench.addon_hash") != code:
            log("add-on code changed: updating %s in the template" % MODULE)
            odoo_bin(name, env("CONF"), ["-u", MODULE], "jo_bench_update.log")
            set_param(name, "jo_bench.addon_hash", code)
        return name
    building = name + "_building"
    log("building template %s (data generated once)" % name)
    m.drop_db(name)
    m.copy_db(m.template(demo=True), building)
    odoo_bin(building, env("CONF"), ["-i", MODULE], "jo_bench_install.log")
    began = time.time()
    run_worker(
        building,
        "datagen",
        {
            "seed": args.seed,
            "products": args.products,
            "customers": args.customers,
            "lines": args.data_lines,
        },
    )
    log("data generated in %.0f s" % (time.time() - began))
    set_param(building, "jo_bench.addon_hash", code)
    m.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (building, name))
    if os.path.isdir(m.filestore(building)):
        os.rename(m.filestore(building), m.filestore(name))
    return name


def oca_conf():
    """A bench-only Odoo configuration whose addons path also holds OCA's
    mrp_multi_level and its dependencies (downloaded once from PyPI)."""
    folder = os.path.join(env("CACHE"), "bench-oca")
    addons = os.path.join(folder, "ext", "odoo", "addons")
    if not all(os.path.isdir(os.path.join(addons, m)) for m in OCA_MODULES):
        os.makedirs(folder, exist_ok=True)
        for package, version in OCA_WHEELS:
            spec = f"{package}=={version}"
            subprocess.check_call(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "-q",
                    "-d",
                    folder,
                    spec,
                ]
            )
        import zipfile

        for name in os.listdir(folder):
            if name.endswith(".whl"):
                with zipfile.ZipFile(os.path.join(folder, name)) as wheel:
                    wheel.extractall(os.path.join(folder, "ext"))
    conf = os.path.join(env("CACHE"), "bench-oca", "odoo-bench.conf")
    lines = []
    with open(env("CONF")) as handle:
        for line in handle:
            if line.split("=", 1)[0].strip() == "addons_path":
                line = "%s,%s\n" % (line.rstrip("\n"), addons)
            lines.append(line)
    with open(conf, "w") as handle:
        handle.writelines(lines)
    return conf


def override_conf(addon_dir):
    """A bench-only configuration whose addons path takes mrp_job_order
    from ``addon_dir`` (a folder holding a folder mrp_job_order)."""
    parent = os.path.abspath(addon_dir)
    if os.path.basename(parent) == MODULE:
        parent = os.path.dirname(parent)
    linked = os.path.dirname(env("ADDON_DIR"))
    conf = os.path.join(env("CACHE"), "bench-override", "odoo-override.conf")
    os.makedirs(os.path.dirname(conf), exist_ok=True)
    lines = []
    with open(env("CONF")) as handle:
        for line in handle:
            if line.split("=", 1)[0].strip() == "addons_path":
                paths = [p.strip() for p in line.split("=", 1)[1].split(",")]
                line = "addons_path = %s\n" % ",".join(
                    parent if p == linked else p for p in paths
                )
            lines.append(line)
    with open(conf, "w") as handle:
        handle.writelines(lines)
    return conf


class Contender:
    def __init__(
        self, name, task, task_args, db_template, conf=None, install=None, note=""
    ):
        self.name, self.task, self.task_args = name, task, task_args
        self.db_template, self.conf, self.install, self.note = (
            db_template,
            conf,
            install,
            note,
        )


def run_contender(contender, profile_name=None):
    m = manage()
    db = "%s_run_%d" % (DB_PREFIX, os.getpid())  # two benches may run at once
    m.copy_db(contender.db_template, db)
    try:
        if contender.install:
            began = time.time()
            odoo_bin(
                db,
                contender.conf,
                ["-i", ",".join(contender.install)],
                "jo_bench_oca_install.log",
            )
            log(
                "installed %s in %.0f s (not timed)"
                % (", ".join(contender.install), time.time() - began)
            )
        profile = None
        if profile_name:
            profile = os.path.join(REPO, ".build", "bench-profile-" + profile_name)
        return run_worker(
            db, contender.task, contender.task_args, contender.conf, profile
        )
    finally:
        m.drop_db(db)


def engine_figures(lines, repeat):
    import random

    import bench_engine as be

    from planning import Params, plan

    rnd = random.Random(1)
    products, boms = be.catalogue(rnd)
    todo = be.demands(rnd, lines)
    stock, open_supply = be.supply(rnd, products)
    consumers = [
        (
            rnd.randint(1, be.FINISHED),
            rnd.choice(be.WAREHOUSES),
            be.START + datetime.timedelta(days=rnd.randint(0, 89)),
            float(rnd.randint(1, 20)),
        )
        for _ in range(lines // 10)
    ]
    rows = []
    for label, params in (
        ("mono", Params("mono")),
        ("multi", Params("multi", "partner")),
    ):
        best = None
        for _n in range(repeat):
            began = time.perf_counter()
            plan(
                todo,
                products,
                boms,
                params,
                stock=stock,
                open_supply=open_supply,
                forecast_consumers=consumers,
            )
            elapsed = time.perf_counter() - began
            best = elapsed if best is None else min(best, elapsed)
        rows.append((label, best))
    return rows


def reuse_references(ours_ms, tpl, flow_lines):
    """Ours' figures (ms per line) are the references of the ratios. Kept per
    template database and add-on code in .build/bench-references.json, so
    that ``--only odoo`` or ``--only oca`` run on their own still show their
    ratio to the last ours measured on the same data and code. Fills the
    references this run did not measure; returns the dates of the runs they
    come from (text), or None."""
    path = os.path.join(REPO, ".build", "bench-references.json")
    try:
        with open(path) as handle:
            saved = json.load(handle)
    except (OSError, ValueError):
        saved = {}
    key = "%s@%s" % (tpl, addon_hash())
    flow_key = "flow-%d" % flow_lines
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    mine = {
        "%s,%s" % (mode, n): [ms, now]
        for (mode, n), ms in ours_ms.items()
        if mode != "flow"
    }
    if ("flow", "flow") in ours_ms:
        mine[flow_key] = [ours_ms[("flow", "flow")], now]
    refs = saved.get(key, {})
    dates = set()
    for name, (ms, date) in refs.items():
        if name in mine:
            continue
        if name.startswith("flow-"):
            if name != flow_key:
                continue
            ref = ("flow", "flow")
        else:
            mode, n = name.split(",")
            ref = (mode, int(n))
        ours_ms[ref] = ms
        dates.add(date)
    if mine:
        refs.update(mine)
        saved[key] = refs
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            json.dump(saved, handle, indent=1, sort_keys=True)
    return ", ".join(sorted(dates)) or None


# == table ==========================================================================
def fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return "{:,.{}f}".format(value, digits)


def build_rows(results):
    """results: [(name, contender note, worker result or error, reference)]"""
    rows = []
    for name, note, result, reference in results:
        if isinstance(result, str):
            rows.append([name, "-", "-", "-", "-", "-", "-", result])
            continue
        phases = list(result["phases"])
        if name.startswith("Odoo Replenishment") and len(phases) > 1:
            # the report and the ordering together are the path a user takes
            phases.append(
                {
                    "label": "total",
                    "units": phases[0]["units"],
                    "seconds": sum(p["seconds"] for p in phases),
                    "queries": sum(p["queries"] for p in phases),
                    "peak_mb": max(p.get("peak_mb", 0) for p in phases),
                }
            )
        for phase in phases:
            units = phase["units"] or 1
            ms = 1000.0 * phase["seconds"] / units
            rows.append(
                {
                    "name": "%s: %s" % (name, phase["label"]),
                    "units": phase["units"],
                    "seconds": phase["seconds"],
                    "ms": ms,
                    "queries": phase["queries"] / float(units),
                    "peak": phase.get("peak_mb", result["peak_mb"]),
                    "ref": reference,
                    "note": note,
                }
            )
    return rows


def render(rows, ours_ms):
    header = (
        "| contender | demand lines | s | ms/line | queries/line | peak MB | "
        "ms/line ÷ ours | note |"
    )
    out = [header, "|" + "---|" * 8]
    for row in rows:
        if isinstance(row, list):
            out.append("| " + " | ".join(row) + " |")
            continue
        ratio = "-"
        if row["ref"]:
            parts = []
            for label, key in (
                ("mono", ("mono", row["ref"])),
                ("multi", ("multi", row["ref"])),
                ("flow", ("flow", row["ref"])),
            ):
                if ours_ms.get(key):
                    parts.append("%.1f× %s" % (row["ms"] / ours_ms[key], label))
            ratio = ", ".join(parts) or "-"
        out.append(
            "| %s | %s | %s | %s | %s | %s | %s | %s |"
            % (
                row["name"],
                fmt(row["units"], 0),
                fmt(row["seconds"], 2),
                fmt(row["ms"], 2),
                fmt(row["queries"], 2),
                fmt(row["peak"], 0),
                ratio,
                row["note"],
            )
        )
    return "\n".join(out)


def machine():
    try:
        uname = subprocess.check_output(
            ["uname", "-a"], universal_newlines=True
        ).strip()
    except (OSError, subprocess.CalledProcessError):
        uname = " ".join(platform.uname())
    return "%s cores; `%s`; Python %s" % (
        os.cpu_count(),
        uname,
        platform.python_version(),
    )


def _run_contenders(contenders, profile, total):
    """Each contender run (the one of key ``profile`` profiled): [(name,
    note, result or error text, reference)], progress logged."""
    results = []
    for key, contender, reference in contenders:
        if isinstance(contender, str):
            results.append((key, "", contender, None))
            continue
        log("%s ..." % contender.name)
        try:
            result = run_contender(contender, key if profile == key else None)
        except Exception as error:
            log("%s failed: %s" % (contender.name, error))
            results.append(
                (contender.name, contender.note, "failed: %s" % error, reference)
            )
            continue
        for phase in result["phases"]:
            log(
                "  %s: %.2f s, %d queries, %s units, peak %.0f MB"
                % (
                    phase["label"],
                    phase["seconds"],
                    phase["queries"],
                    phase["units"],
                    result["peak_mb"],
                )
            )
        log("  %s" % json.dumps(result["info"]))
        note = contender.note
        if key == "odoo" and result["phases"][0]["units"]:
            phase = result["phases"][0]
            whole = phase["seconds"] / phase["units"] * total / 60.0
            note += "; all %d lines would take about %.0f min at this speed" % (
                total,
                whole,
            )
        results.append((contender.name, note, result, reference))
    return results


def _our_references(results, flow_lines):
    """Ours in ms per unit: (mode, N) -> generation only, and
    ("flow", "flow") -> the whole flow."""
    ours_ms = {}
    for name, _note, result, _ref in results:
        if isinstance(result, str):
            continue
        for mode in ("mono", "multi"):
            if name.startswith("ours %s N=" % mode):
                phase = result["phases"][0]
                ours_ms[(mode, int(name.split("=")[1]))] = (
                    1000.0 * phase["seconds"] / (phase["units"] or 1)
                )
        if name.startswith("ours %d-line" % flow_lines):
            ours_ms[("flow", "flow")] = (
                1000.0
                * sum(p["seconds"] for p in result["phases"])
                / (result["phases"][0]["units"] or 1)
            )
    return ours_ms


def main(argv):
    if argv and argv[0] == "worker":
        return worker(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines",
        default="1000,10000",
        help="sales order lines planned per run, comma-separated",
    )
    parser.add_argument(
        "--data-lines",
        type=int,
        help="sales order lines in the generated data (default: the largest "
        "of --lines)",
    )
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--odoo-sample",
        type=int,
        default=50,
        help="order lines confirmed through Odoo's own MTO path",
    )
    parser.add_argument("--flow-lines", type=int, default=100)
    parser.add_argument("--engine-lines", type=int, default=100000)
    parser.add_argument("--only", default="ours,odoo,replenish,oca,flow,engine")
    parser.add_argument(
        "--modes", default="mono,multi", help="generation modes measured"
    )
    parser.add_argument(
        "--no-transfer",
        action="store_true",
        help="generation only (by default each generation is followed by "
        "the confirmation and transfer of every job order it made)",
    )
    parser.add_argument(
        "--profile",
        help="cProfile the contender of this key "
        "(e.g. generate-mono-10000), output in .build/",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="regenerate the template"
    )
    parser.add_argument(
        "--addon-dir",
        help="measure the add-on in this folder (named "
        "mrp_job_order) instead of this checkout, e.g. an "
        "older version for before/after figures",
    )
    parser.add_argument("--out", default=os.path.join(REPO, ".build", "bench-last.md"))
    args = parser.parse_args(argv)
    args.lines = sorted(int(n) for n in args.lines.split(","))
    args.data_lines = max([args.data_lines or 0] + args.lines)
    only = set(args.only.split(","))
    conf = override_conf(args.addon_dir) if args.addon_dir else None
    started = time.time()
    contenders = []
    tpl = None
    if only & {"ours", "odoo", "replenish", "oca", "flow"}:
        tpl = template(args)
    total = args.data_lines
    if "ours" in only:
        for n in args.lines:
            for mode in args.modes.split(","):
                note = "grouped by customer" if mode == "multi" else ""
                if not args.no_transfer:
                    note = ", ".join(
                        filter(
                            None, [note, "then confirm + transfer of every job order"]
                        )
                    )
                contenders.append(
                    (
                        "generate-%s-%d" % (mode, n),
                        Contender(
                            "ours %s N=%d" % (mode, n),
                            "generation",
                            {
                                "lines": n,
                                "mode": mode,
                                "total": total,
                                "transfer": not args.no_transfer,
                            },
                            tpl,
                            conf=conf,
                            note=note,
                        ),
                        None,
                    )
                )
    # 100,000 demand lines through queue_job need an Odoo server with workers
    # and the job runner rather than a worker process: bench/background.py
    # (runtime/do.sh bench-background)
    if "odoo" in only:
        contenders.append(
            (
                "odoo",
                Contender(
                    "Odoo MTO+Manufacture",
                    "odoo",
                    {"lines": args.odoo_sample},
                    tpl,
                    note="sample of %d lines (the first orders); ratio to ours at N=%d"
                    % (args.odoo_sample, args.lines[0]),
                ),
                args.lines[0],
            )
        )
    if "replenish" in only:
        contenders.append(
            (
                "replenish",
                Contender(
                    "Odoo Replenishment report",
                    "replenish",
                    {},
                    tpl,
                    note="all %d lines of the data (the report sees all the demand); "
                    "manufacture route; ratio to ours at N=%d" % (total, total),
                ),
                total,
            )
        )
    if "oca" in only:
        try:
            # OCA's configuration for this contender only: the ones after
            # it keep the add-on's (or --addon-dir's)
            conf_oca = oca_conf()
            contenders.append(
                (
                    "oca",
                    Contender(
                        "OCA mrp_multi_level",
                        "oca",
                        {"lines": total},
                        tpl,
                        conf=conf_oca,
                        install=OCA_MODULES,
                        note="all %d lines of the data; ratio to ours at N=%d"
                        % (total, total),
                    ),
                    total,
                )
            )
        except Exception as error:  # reported in the table
            contenders.append(("oca", "could not install: %s" % error, None))
    if "flow" in only:
        contenders.append(
            (
                "flow",
                Contender(
                    "ours %d-line multi job order" % args.flow_lines,
                    "flow",
                    {"lines": args.flow_lines},
                    tpl,
                    conf=conf,
                    note="transfer, then backflush of everything",
                ),
                None,
            )
        )
        contenders.append(
            (
                "productions",
                Contender(
                    "Odoo %d manufacturing orders" % args.flow_lines,
                    "productions",
                    {"lines": args.flow_lines},
                    tpl,
                    note="same products and quantities: reserve, produce, mark done; "
                    "ratio to ours transfer + backflush",
                ),
                "flow",
            )
        )
    results = _run_contenders(contenders, args.profile, total)
    rows = build_rows(results)
    ours_ms = _our_references(results, args.flow_lines)
    # (not with --addon-dir: another add-on's figures are no references)
    borrowed = None
    if tpl and not args.addon_dir:
        borrowed = reuse_references(ours_ms, tpl, args.flow_lines)
    table = render(rows, ours_ms)
    if borrowed:
        table += (
            "\n\nRatios to ours not measured in this run use ours from the run(s) "
            "of %s (same data, same add-on code)." % borrowed
        )
    engine_lines = []
    if "engine" in only:
        log("engine alone, %d demand lines ..." % args.engine_lines)
        for label, best in engine_figures(args.engine_lines, 2):
            engine_lines.append(
                "| engine alone (planning.plan) %s | %s | %.2f | %.4f | 0 | - | - "
                "| bench/bench_engine.py data, best of 2 |"
                % (
                    label,
                    fmt(args.engine_lines, 0),
                    best,
                    1000.0 * best / args.engine_lines,
                )
            )
        table += "\n" + "\n".join(engine_lines)
    text = "%s\n\nRun of %s on %s (%.0f s in all).\n" % (
        table,
        datetime.date.today().isoformat(),
        machine(),
        time.time() - started,
    )
    REPORT.info("")
    REPORT.info(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as handle:
        handle.write(text)
    REPORT.info("(also written to %s)", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
