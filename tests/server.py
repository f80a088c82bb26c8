"""Real Odoo servers and a real browser for the end-to-end tests.

Not a test module: imported by the tests that need an HTTP server (the web
client, XML-RPC, JSON-2).  The server is a separate ``odoo-bin server``
process on a free port of 127.0.0.1, serving the test database, exactly as
``make run`` serves the demo one.  The binary is the one of the Odoo 19 tree
the runtime set up: ``$ODOO_BIN`` (exported by ``runtime/do.sh`` and by
``.build/env.sh``).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import odoo
import odoo.tests.common

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV_SH = os.path.join(REPO, ".build", "env.sh")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
START_TIMEOUT = 120
# the first line of a log entry: date, time, pid, level
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ [A-Z]+ ")


def _from_env_sh(name):
    """A variable of .build/env.sh (``export NAME=value``), for a test run
    started without ``runtime/do.sh``."""
    if not os.path.exists(ENV_SH):
        return None
    with open(ENV_SH) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("export %s=" % name):
                return line.split("=", 1)[1].strip().strip("\"'") or None
    return None


def odoo_bin():
    path = os.environ.get("ODOO_BIN") or _from_env_sh("ODOO_BIN")
    if not path or not os.path.exists(path):
        raise RuntimeError(
            "ODOO_BIN is not set (or does not exist): run the tests through "
            "runtime/do.sh test, or `. .build/env.sh` first"
        )
    return path


def odoo_conf():
    return (
        os.environ.get("CONF")
        or odoo.tools.config.get("config")
        or _from_env_sh("CONF")
    )


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """``with OdooServer(db) as server: server.url`` — a running Odoo."""

    def __init__(self, db=None, workers=0, log_path=None, load=None, environ=None):
        # pytest-odoo's database (Odoo 19 keeps db_name as a list)
        self.db = db or odoo.tests.common.get_db_name()
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.workers = workers
        # server-wide modules (--load), e.g. 'base,web,queue_job' for the job runner
        self.load = load
        self.environ = environ or {}
        self.log_path = log_path or os.path.join(
            REPO, ".build", "logs", "server-%d.log" % self.port
        )
        self.process = None

    def command(self):
        cmd = [
            sys.executable,
            odoo_bin(),
            "server",
            "-c",
            odoo_conf(),
            "-d",
            self.db,
            "--db-filter",
            "^%s$" % self.db,
            "--http-interface=127.0.0.1",
            "--http-port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--max-cron-threads",
            "0",
            "--logfile",
            self.log_path,
        ]
        if self.workers:
            # with workers, Odoo 19 serves the bus (websocket) on a gevent port
            cmd += ["--gevent-port", str(free_port())]
        if self.load:
            cmd += ["--load", self.load]
        return cmd

    def __enter__(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        if os.path.exists(self.log_path):
            # a port reused from an earlier run: its log is not this server's
            os.remove(self.log_path)
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            env=dict(os.environ, **self.environ),
        )
        deadline = time.time() + START_TIMEOUT
        try:
            # the HTTP server first (no database involved) ...
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        "Odoo exited with %s; see %s"
                        % (self.process.returncode, self.log_path)
                    )
                if time.time() > deadline:
                    raise RuntimeError(
                        "Odoo did not answer within %d s; see %s"
                        % (START_TIMEOUT, self.log_path)
                    )
                try:
                    with urllib.request.urlopen(
                        self.url + "/web/health", timeout=5
                    ) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            # ... then one page of the database, once: it loads the registry
            # and, on a fresh database, compiles the login page's assets (a
            # long timeout, and no second request racing the first one)
            with urllib.request.urlopen(self.url + "/web/login", timeout=240) as answer:
                if answer.status != 200:
                    raise RuntimeError(
                        "/web/login answered %s; see %s"
                        % (answer.status, self.log_path)
                    )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_errors(self, offset=0):
        """ERROR/CRITICAL entries and tracebacks of the server log (after
        ``offset``, a file position), each with its continuation lines,
        except what Odoo logs at ERROR and then handles itself: a query
        that lost a race for a row (``could not serialize access``, e.g. two
        requests of one page updating the user's discuss membership, or
        compiling the same asset bundle) is retried by Odoo's
        serialization-failure loop, which the log shows next."""
        with open(self.log_path) as handle:
            handle.seek(offset)
            lines = handle.readlines()
        entries = []
        for line in lines:
            if LOG_LINE.match(line) or not entries:
                entries.append(line)
            else:
                entries[-1] += line
        retried = any("SERIALIZATION_FAILURE" in entry for entry in entries)
        return [
            entry
            for entry in entries
            if (
                " ERROR " in entry.splitlines()[0]
                or " CRITICAL " in entry.splitlines()[0]
                or "Traceback" in entry
            )
            and not (
                retried
                and "bad query" in entry
                and (
                    "could not serialize access" in entry
                    or "DELETE FROM ir_attachment" in entry
                )
            )
        ]

    def log_size(self):
        return os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0


def launch_chromium(playwright):
    """Debian's Chromium, driven by Playwright (no browser download)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
