"""The add-on ships as OCA ships 19.0 add-ons: a wheel built by whool from
pyproject.toml, which declares what the manifest depends on and installs
the add-on into the ``odoo/addons`` namespace, so that Odoo finds it with no
addons path of ours.

The test builds the wheel from a clean copy of the checkout (the files git
knows, as they are now) with the pinned whool of the tools' venv, installs
it into a virtual environment of its own (Odoo 19 from the unpacked archive
tree, through a .pth file as the runtime does, and the pinned requirements;
cached under the cache folder, keyed by what it is made of), then installs
the add-on into a new database from there with ``odoo-bin -i`` whose addons
path holds Odoo's own add-ons only.  Minutes, the first time.
"""

import ast
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import HeaderParser

from packaging.requirements import Requirement

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(RUNTIME)
ENV_SH = os.path.join(REPO, ".build", "env.sh")
# requirements met in the wheel's venv: odoo is no distribution there (its
# tree is on sys.path), its version is the one of odoo.release
CHECK_REQUIREMENTS = """
import importlib.metadata, json, sys
from packaging.requirements import Requirement
import odoo.release
unmet = []
for text in json.loads(sys.argv[1]):
    req = Requirement(text)
    try:
        version = (odoo.release.version if req.name == 'odoo'
                   else importlib.metadata.version(req.name))
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version is None or not req.specifier.contains(version, prereleases=True):
        unmet.append('%s (found %s)' % (text, version))
print(json.dumps(unmet))
"""
WHERE_IS_THE_ADDON = """
import sys
from odoo.tools import config
config.parse_config(['-c', sys.argv[1]], setup_logging=False)
import odoo.addons.mrp_job_order as addon
print(addon.__file__)
"""


def setting(name):
    """A variable of runtime/do.sh's environment, else of .build/env.sh."""
    if os.environ.get(name):
        return os.environ[name]
    with open(ENV_SH) as handle:
        for line in handle:
            if line.startswith("export %s=" % name) and line.split("=", 1)[1].strip():
                return line.split("=", 1)[1].strip()
    # TOOLS is empty when the set-up could not install the tools (it said why)
    raise AssertionError(
        "%s is set neither in the environment nor in %s" % (name, ENV_SH)
    )


def run(cmd, timeout=900, **kwargs):
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
    assert result.returncode == 0, "%s\n%s%s" % (
        " ".join(cmd),
        result.stdout[-3000:],
        result.stderr[-3000:],
    )
    return result.stdout


def pip(python, *args, timeout=900):
    """pip of the venv of ``python``."""
    return run(
        [python, "-m", "pip", "--disable-pip-version-check", *args], timeout=timeout
    )


def manifest():
    with open(os.path.join(REPO, "__manifest__.py")) as handle:
        return ast.literal_eval(handle.read())


def clean_copy(target):
    """The files git knows (tracked, or new and not ignored), as they are
    in the working tree, in a folder named after the add-on."""
    listed = run(
        [
            "git",
            "-C",
            REPO,
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ]
    ).split("\0")
    for name in filter(None, dict.fromkeys(listed)):
        source = os.path.join(REPO, name)
        if os.path.isfile(source):  # not a file deleted but not yet committed
            os.makedirs(os.path.join(target, os.path.dirname(name)), exist_ok=True)
            shutil.copy2(source, os.path.join(target, name))
    return target


def expected_requirements(odoo_tree):
    """What the wheel must declare, from the manifest: Odoo for the core
    add-ons, a wheel ``odoo-addon-<name>`` for each other (OCA) one, and the
    Python external dependencies."""
    series = manifest()["version"].rsplit(".", 3)[0]
    core = set(os.listdir(os.path.join(odoo_tree, "addons"))) | set(
        os.listdir(os.path.join(odoo_tree, "odoo", "addons"))
    )
    wanted = {"odoo==%s.*" % series}
    wanted |= {
        "odoo-addon-%s==%s.*" % (name, series)
        for name in manifest()["depends"]
        if name not in core
    }
    wanted |= set(manifest().get("external_dependencies", {}).get("python", []))
    return {str(Requirement(text)) for text in wanted}


@contextlib.contextmanager
def wheel_venv(cache, odoo_tree):
    """A virtual environment of the wheel test's own: the pinned
    requirements, Odoo from its tree; rebuilt when either changes.  Held
    under a lock while in use: two checkouts running this test at once
    build it once and install their wheels into it one after the other."""
    requirements = os.path.join(RUNTIME, "requirements.txt")
    with open(requirements, "rb") as handle:
        digest = hashlib.sha256(
            handle.read() + sys.version.encode() + odoo_tree.encode()
        )
    venv = os.path.join(cache, "wheel-venv-" + digest.hexdigest()[:12])
    with open(venv + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(os.path.join(venv, ".complete")):
            shutil.rmtree(venv, ignore_errors=True)
            run([sys.executable, "-m", "venv", venv])
            python = os.path.join(venv, "bin", "python")
            pip(python, "install", "--no-deps", "-r", requirements, timeout=1800)
            site = run(
                [
                    python,
                    "-c",
                    'import sysconfig; print(sysconfig.get_paths()["purelib"])',
                ]
            )
            with open(os.path.join(site.strip(), "odoo_19_source.pth"), "w") as handle:
                handle.write(odoo_tree + "\n")
            open(os.path.join(venv, ".complete"), "w").close()
        yield venv


def psql(db, sql, host):
    cmd = ["psql", "-d", db, "-Atc", sql] + (["-h", host] if host else [])
    return run(cmd).strip()


def test_the_wheel_installs_the_addon_into_a_new_database(tmp_path, request):
    odoo_tree, cache, tools = setting("ODOO_TREE"), setting("CACHE"), setting("TOOLS")
    db_host = os.environ.get("DB_HOST", "")
    version = manifest()["version"]

    # the wheel, by whool, from a clean copy
    source = clean_copy(str(tmp_path / "mrp_job_order"))
    dist = tmp_path / "dist"
    pip(
        os.path.join(tools, "bin", "python"),
        *(
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            source,
        ),
    )
    wheel = "odoo_addon_mrp_job_order-%s-py3-none-any.whl" % version
    assert os.listdir(dist) == [wheel]
    with zipfile.ZipFile(dist / wheel) as archive:
        names = archive.namelist()
        metadata = HeaderParser().parsestr(
            archive.read(
                "odoo_addon_mrp_job_order-%s.dist-info/METADATA" % version
            ).decode()
        )
    assert "odoo/addons/mrp_job_order/__manifest__.py" in names
    assert "odoo/addons/mrp_job_order/pyproject.toml" not in names
    declared = {str(Requirement(text)) for text in metadata.get_all("Requires-Dist")}
    assert declared == expected_requirements(odoo_tree)
    assert metadata["Name"] == "odoo-addon-mrp_job_order"
    assert metadata["License"] == manifest()["license"]

    # installed into a venv of its own, every declared requirement met there
    with wheel_venv(cache, odoo_tree) as venv:
        python = os.path.join(venv, "bin", "python")
        pip(
            python,
            "install",
            "--no-index",
            "--no-deps",
            "--force-reinstall",
            str(dist / wheel),
        )
        unmet = json.loads(
            run([python, "-c", CHECK_REQUIREMENTS, json.dumps(sorted(declared))])
        )
        assert unmet == []

        # Odoo finds it in the odoo/addons namespace: no addons path of ours
        db = (
            request.config.getoption("--odoo-database", default=None)
            or "mrp_job_order_test"
        ) + "_wheel"
        conf = tmp_path / "odoo.conf"
        conf.write_text(
            "[options]\naddons_path = %s\ndata_dir = %s\ndb_user = %s\n%s"
            % (
                os.path.join(odoo_tree, "addons"),
                tmp_path / "data",
                run(["id", "-un"]).strip(),
                "db_host = %s\n" % db_host if db_host else "",
            )
        )
        location = run([python, "-c", WHERE_IS_THE_ADDON, str(conf)]).strip()
        assert location.startswith(
            os.path.realpath(venv) + os.sep
        ) or location.startswith(venv + os.sep), location

        dropdb = ["dropdb", "--if-exists", db] + (["-h", db_host] if db_host else [])
        run(dropdb)
        try:
            log = tmp_path / "odoo.log"
            run(
                [
                    python,
                    os.path.join(odoo_tree, "odoo-bin"),
                    "-c",
                    str(conf),
                    "-d",
                    db,
                    "-i",
                    "mrp_job_order",
                    "--stop-after-init",
                    "--log-level=warn",
                    "--logfile",
                    str(log),
                ],
                timeout=1800,
            )
            errors = [
                line
                for line in log.read_text().splitlines()
                if " ERROR " in line or " CRITICAL " in line
            ]
            assert errors == []
            assert (
                psql(
                    db,
                    "SELECT state FROM ir_module_module WHERE name = 'mrp_job_order'",
                    db_host,
                )
                == "installed"
            )
            assert (
                psql(
                    db,
                    "SELECT latest_version FROM ir_module_module "
                    "WHERE name = 'mrp_job_order'",
                    db_host,
                )
                == version
            )
        finally:
            run(dropdb)
