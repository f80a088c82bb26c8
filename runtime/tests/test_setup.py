"""Bad environments get clear words, not a traceback."""
import os
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANAGE = os.path.join(os.path.dirname(HERE), 'manage.py')


def test_port_taken_is_said_plainly():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(('0.0.0.0', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, MANAGE, 'serve', 'any_db', '--port', str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True, timeout=60)
    assert result.returncode == 2
    assert 'port %d is already taken' % port in result.stderr
    assert 'Traceback' not in result.stderr


def test_missing_environment_is_said_plainly():
    env = {k: v for k, v in os.environ.items() if k not in ('CONF', 'ODOO_KEY')}
    result = subprocess.run([sys.executable, MANAGE, 'fresh', 'any_db'], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 2
    assert 'run through the Makefile' in result.stderr
    assert 'Traceback' not in result.stderr


def test_half_built_virtualenv_is_rebuilt(tmp_path):
    # a venv folder without its completion mark is what an interrupted
    # set-up leaves; the set-up must say so and start over (here it stops
    # right after, at venv creation, because PYTHON is not a real Python)
    cache = tmp_path / 'cache'
    key_probe = subprocess.run(
        ['bash', '-c', 'cd "%s/.." && { cat runtime/requirements.txt; python3 -c '
                       '"import sys; print(sys.version)"; } | sha256sum | cut -c1-12'
         % os.path.dirname(HERE)], stdout=subprocess.PIPE, universal_newlines=True)
    half = cache / ('venv-' + key_probe.stdout.strip())
    (half / 'bin').mkdir(parents=True)
    fake_python = tmp_path / 'python3'
    fake_python.write_text('#!/bin/sh\n'
                           'case "$*" in *"-m venv"*) echo "no venv here" >&2; exit 1;; esac\n'
                           'exec python3 "$@"\n')
    fake_python.chmod(0o755)
    env = dict(os.environ, MRP_JOB_ORDER_CACHE=str(cache), PYTHON=str(fake_python))
    result = subprocess.run(['bash', os.path.join(os.path.dirname(HERE), 'setup.sh')], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=300)
    assert 'is half-built' in result.stderr
    assert 'rebuilding it' in result.stderr
    assert not (half / 'bin').exists()
