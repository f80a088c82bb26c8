"""Database chores for the Makefile: template databases, fresh databases with
the add-on installed, and serving Odoo.

Runs on the project's virtual environment but does not import Odoo: every
Odoo step is a separate ``odoo-bin`` process, as an operator would run it.
Environment (from .build/env.sh): CONF, ODOO_BIN, ODOO_KEY, CACHE.
"""

import argparse
import ast
import fcntl
import hashlib
import logging
import os
import shutil
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.path.join(REPO, ".build")
LOGS = os.path.join(BUILD, "logs")
MODULE = "mrp_job_order"

# progress, on stdout as the lines of their own they always were: for the
# Makefile's user, and for bench/run.py, which imports this module (so the
# handler is set here, not in main)
_logger = logging.getLogger("mrp_job_order.manage")
if not _logger.handlers:
    _handler = logging.StreamHandler(sys.stdout)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False


class SetupError(Exception):
    """A problem of the environment, reported in words, not a traceback."""


def env(name):
    value = os.environ.get(name)
    if not value:
        raise SetupError(
            "%s is not set: run through the Makefile (make run / make test)" % name
        )
    return value


def _config_value(key):
    with open(env("CONF")) as handle:
        for line in handle:
            if line.split("=", 1)[0].strip() == key:
                return line.split("=", 1)[1].strip()
    return None


def psql(sql, db="postgres"):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-Atc", sql]
    host = _config_value("db_host")
    if host and host != "False":
        cmd[1:1] = ["-h", host]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise SetupError("PostgreSQL refused %r: %s" % (sql, result.stderr.strip()))
    return result.stdout.strip()


def db_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % name) == "1"


def filestore(name):
    return os.path.join(env("CACHE"), "data", "filestore", name)


def drop_db(name):
    if db_exists(name):
        psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = '%s' AND pid <> pg_backend_pid()" % name
        )
        psql('DROP DATABASE "%s"' % name)
    shutil.rmtree(filestore(name), ignore_errors=True)


def copy_db(source, target):
    drop_db(target)
    psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    if os.path.isdir(filestore(source)):
        shutil.copytree(filestore(source), filestore(target))


def manifest():
    with open(os.path.join(REPO, "__manifest__.py")) as handle:
        return ast.literal_eval(handle.read())


def odoo(db, args, log_name):
    """Run odoo-bin --stop-after-init; the log goes to .build/logs."""
    os.makedirs(LOGS, exist_ok=True)
    log_path = os.path.join(LOGS, log_name)
    cmd = [
        sys.executable,
        env("ODOO_BIN"),
        "server",
        "-c",
        env("CONF"),
        "-d",
        db,
        "--stop-after-init",
        "--logfile",
        log_path,
    ] + list(args)
    if os.path.exists(log_path):
        os.remove(log_path)
    if subprocess.call(cmd):
        raise SetupError("Odoo failed on database %s; see %s" % (db, log_path))
    with open(log_path) as handle:
        if "Traceback" in handle.read():
            raise SetupError(
                "Odoo logged a traceback on database %s; see %s" % (db, log_path)
            )
    return log_path


def template(demo):
    """A database with the add-on's dependencies (not the add-on itself).

    Built once per Odoo environment and dependency list; building takes
    minutes, copying it seconds.  Created under a temporary name and renamed
    when complete, so an interrupted build is never mistaken for a template.
    """
    depends = sorted(manifest()["depends"])
    key = hashlib.sha256((env("ODOO_KEY") + ",".join(depends)).encode()).hexdigest()[
        :10
    ]
    name = "%s_tpl_%s_%s" % (MODULE, key, "demo" if demo else "nodemo")
    if db_exists(name):
        return name
    # one builder at a time: parallel `make` runs would fight over it
    with open(os.path.join(env("CACHE"), "template.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db_exists(name):
            _build_template(name, depends, demo)
    return name


def _build_template(name, depends, demo):
    building = name + "_building"
    drop_db(building)
    _logger.info("[db] building template %s (once, about two minutes)", name)
    args = ["-i", ",".join(depends)]
    if demo:
        args.append("--with-demo")
    odoo(building, args, building + ".log")
    psql('ALTER DATABASE "%s" RENAME TO "%s"' % (building, name))
    if os.path.isdir(filestore(building)):
        os.rename(filestore(building), filestore(name))


def fresh(db, demo=True):
    """Drop ``db`` and recreate it from the template with the add-on installed."""
    tpl = template(demo)
    copy_db(tpl, db)
    args = ["-i", MODULE]
    return odoo(db, args, "install-%s.log" % db)


def ensure(db):
    """Create ``db`` with demo data and the add-on if absent, else update it."""
    if (
        db_exists(db)
        and psql("SELECT state FROM ir_module_module WHERE name = '%s'" % MODULE, db)
        == "installed"
    ):
        _logger.info("[db] updating %s in %s", MODULE, db)
        odoo(db, ["-u", MODULE], "update-%s.log" % db)
    else:
        _logger.info("[db] creating %s with demo data", db)
        fresh(db, demo=True)


def core_tests(db, modules):
    """Odoo's own suites of ``modules``, run by Odoo's own runner while the
    modules install on an empty database, as Odoo's CI runs them: at-install
    tests before the modules that auto-install later (mrp_account...) exist."""
    drop_db(db)
    tags = ",".join("/" + m for m in modules.split(","))
    log_path = os.path.join(LOGS, "core-%s.log" % db)
    odoo_error = None
    try:
        odoo(
            db,
            ["-i", modules, "--test-tags", tags, "--http-port", str(free_port())],
            "core-%s.log" % db,
        )
    except SetupError as error:
        # a failing test logs a traceback: the result lines say what it was,
        # and decide below (the error is chained to the one raised then)
        odoo_error = error
    with open(log_path) as handle:
        results = [line.rstrip() for line in handle if "odoo.tests.result" in line]
    failed = [line for line in results if ": 0 failed, 0 error(s) of " not in line]
    for line in results:
        _logger.info("[core-tests] %s", line.split("odoo.tests.result: ")[-1])
    if not results or failed:
        raise SetupError(
            "Odoo's own tests of %s failed or did not run; see %s" % (modules, log_path)
        ) from odoo_error


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("0.0.0.0", port))
    except OSError:
        return False
    finally:
        sock.close()
    return True


def serve(db, port):
    if not port_free(port):
        raise SetupError(
            "port %d is already taken (another Odoo?); stop it or run "
            "make run PORT=<free port>" % port
        )
    _logger.info(
        "[run] Odoo on http://localhost:%d  (login admin / admin, Ctrl-C to stop)",
        port,
    )
    # queue_job's runner runs background generations (two at a time)
    os.environ.setdefault("ODOO_QUEUE_JOB_CHANNELS", "root:2,root.mrp_job_order:2")
    os.execv(
        sys.executable,
        [
            sys.executable,
            env("ODOO_BIN"),
            "server",
            "-c",
            env("CONF"),
            "-d",
            db,
            "--db-filter",
            "^%s$" % db,
            "--http-port",
            str(port),
            "--load",
            "base,web,queue_job",
        ],
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("fresh", help="recreate a database with the add-on")
    p.add_argument("db")
    p.add_argument("--without-demo", action="store_true")
    p = sub.add_parser(
        "ensure", help="create the database if absent, else update the add-on"
    )
    p.add_argument("db")
    p = sub.add_parser("serve", help="serve a database in the foreground")
    p.add_argument("db")
    p.add_argument("--port", type=int, default=8069)
    p = sub.add_parser("bare", help="recreate a database with only the given modules")
    p.add_argument("db")
    p.add_argument("modules")
    p = sub.add_parser(
        "core-tests", help="run Odoo's own tests of modules on a new database"
    )
    p.add_argument("db")
    p.add_argument("modules")
    p = sub.add_parser(
        "copy-template", help="recreate a database as a copy of the demo template"
    )
    p.add_argument("db")
    p = sub.add_parser("drop", help="drop a database and its filestore")
    p.add_argument("db")
    args = parser.parse_args(argv)
    try:
        if args.command == "fresh":
            # the command's result, the path of the install log, read by
            # tests/test_install.py: printed, not logged
            print(fresh(args.db, demo=not args.without_demo))  # pylint: disable=print-used
        elif args.command == "ensure":
            ensure(args.db)
        elif args.command == "serve":
            serve(args.db, args.port)
        elif args.command == "bare":
            drop_db(args.db)
            odoo(args.db, ["-i", args.modules], "bare-%s.log" % args.db)
        elif args.command == "core-tests":
            core_tests(args.db, args.modules)
        elif args.command == "copy-template":
            copy_db(template(demo=True), args.db)
        elif args.command == "drop":
            drop_db(args.db)
        else:
            parser.error("a command is required")
    except SetupError as error:
        sys.stderr.write("ERROR: %s\n" % error)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
