"""Real Odoo servers and a real browser for the end-to-end tests.

Not a test module: imported by the tests that need an HTTP server (the web
client, XML-RPC).  The server is a separate ``odoo-bin`` process on a free
port, serving the test database, exactly as ``make run`` serves the demo one.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import odoo

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_BIN = os.path.join(REPO, 'runtime', 'odoo-bin')
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run',
                 '--disable-quic']


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class OdooServer(object):
    """``with OdooServer(db) as server: server.url`` — a running Odoo."""

    def __init__(self, db=None, workers=0, log_path=None):
        self.db = db or odoo.tools.config['db_name']
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.workers = workers
        self.log_path = log_path or os.path.join(REPO, '.build', 'logs', 'server-%d.log' % self.port)
        self.process = None

    def __enter__(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        cmd = [sys.executable, ODOO_BIN, '-c', odoo.tools.config.rcfile, '-d', self.db,
               '--db-filter', '^%s$' % self.db, '--http-port', str(self.port),
               '--workers', str(self.workers), '--max-cron-threads', '0',
               '--logfile', self.log_path]
        if self.workers:
            # workers need a free longpolling port too
            cmd += ['--longpolling-port', str(free_port())]
        env = dict(os.environ, ODOO_PRELOAD_ADDONS='no', NODE_PATH='/usr/share/nodejs')
        self.process = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('Odoo exited with %s; see %s' % (self.process.returncode, self.log_path))
            try:
                # a long timeout: one request at a time while a fresh database
                # compiles its assets
                with urllib.request.urlopen(self.url + '/web/login', timeout=60) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError('Odoo did not answer within 90 s; see %s' % self.log_path)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_errors(self):
        with open(self.log_path) as handle:
            return [line for line in handle if ' ERROR ' in line or 'Traceback' in line]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
