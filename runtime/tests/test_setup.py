"""Bad environments get clear words, not a traceback."""

import os
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANAGE = os.path.join(os.path.dirname(HERE), "manage.py")


def test_port_taken_is_said_plainly():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, MANAGE, "serve", "any_db", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "port %d is already taken" % port in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_environment_is_said_plainly():
    env = {k: v for k, v in os.environ.items() if k not in ("CONF", "ODOO_KEY")}
    result = subprocess.run(
        [sys.executable, MANAGE, "fresh", "any_db"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "run through the Makefile" in result.stderr
    assert "Traceback" not in result.stderr


def test_half_built_virtualenv_is_rebuilt(tmp_path):
    # a venv folder without its completion mark is what an interrupted
    # set-up leaves; the set-up must say so and start over (here it stops
    # right after, at venv creation, because PYTHON is not a real Python)
    cache = tmp_path / "cache"
    key_probe = subprocess.run(
        [
            "bash",
            "-c",
            'cd "%s/.." && { cat runtime/requirements.txt; python3 -c '
            '"import sys; print(sys.version)"; } | sha256sum | cut -c1-12'
            % os.path.dirname(HERE),
        ],
        capture_output=True,
        text=True,
    )
    half = cache / ("venv-" + key_probe.stdout.strip())
    (half / "bin").mkdir(parents=True)
    fake_python = tmp_path / "python3"
    fake_python.write_text(
        "#!/bin/sh\n"
        'case "$*" in *"-m venv"*) echo "no venv here" >&2; exit 1;; esac\n'
        'exec python3 "$@"\n'
    )
    fake_python.chmod(0o755)
    # ODOO_SRC: the tree already unpacked, so that the empty cache does not
    # unpack the archive again only to fail at the venv
    env = dict(
        os.environ,
        MRP_JOB_ORDER_CACHE=str(cache),
        PYTHON=str(fake_python),
        ODOO_SRC=os.environ["ODOO_TREE"],
    )
    result = subprocess.run(
        ["bash", os.path.join(os.path.dirname(HERE), "setup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "is half-built" in result.stderr
    assert "rebuilding it" in result.stderr
    assert not (half / "bin").exists()


def _setup(tmp_path, **extra):
    env = dict(os.environ, MRP_JOB_ORDER_CACHE=str(tmp_path / "cache"), **extra)
    env.pop("ODOO_SRC", None)
    env.update(extra)
    return subprocess.run(
        ["bash", os.path.join(os.path.dirname(HERE), "setup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_archive_with_another_checksum_is_refused(tmp_path):
    bogus = tmp_path / "odoo-19.0.tar.xz"
    bogus.write_bytes(b"not odoo")
    result = _setup(tmp_path, ODOO_ARCHIVE=str(bogus))
    assert result.returncode == 1
    assert "not the Odoo 19.0 archive we know" in result.stderr
    assert not (tmp_path / "cache" / "venv").exists()


def test_no_odoo_anywhere_says_where_to_put_it(tmp_path):
    result = _setup(tmp_path, ODOO_ARCHIVE=str(tmp_path / "nowhere.tar.xz"))
    assert result.returncode == 1
    assert "set ODOO_SRC to an Odoo 19.0 checkout" in result.stderr


def test_odoo_src_of_another_version_is_refused(tmp_path):
    tree = tmp_path / "odoo-11"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text(
        'version_info = (11, 0, 0, FINAL, 0, "")\n'
    )
    result = _setup(tmp_path, ODOO_SRC=str(tree))
    assert result.returncode == 1
    assert "is not an Odoo 19.0 source tree" in result.stderr
