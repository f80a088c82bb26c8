"""pytest plugin of the runtime (runtime/pytest.ini loads it: ``-p
pytest_odoo_early``): Odoo set up before pytest imports tests/conftest.py.

pytest imports the conftest.py of the folders on its command line
(pytest_load_initial_conftests) before pytest-odoo configures Odoo and makes
pytest name the add-on's modules ``odoo.addons.mrp_job_order.*`` (in its
pytest_cmdline_main, which comes later).  The add-on's tests/conftest.py
would be imported as part of a top-level package ``mrp_job_order``, which
Odoo refuses ("it should start with 'odoo.addons'").  This plugin does the
same two things first: Odoo's configuration from the same options (the
addons path, so that ``odoo.addons.mrp_job_order`` is found; no logging set
up, pytest-odoo does that) and pytest-odoo's naming of modules.  pytest-odoo
does both again later, to the same effect.
"""

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    options = early_config.known_args_namespace
    given = {
        name: getattr(options, "odoo_" + name, None)
        for name in ("config", "database", "addons_path")
    }
    if not any(given.values()) and not os.environ.get("ODOO_RC"):
        return  # not an Odoo test run: pytest-odoo does nothing either
    import pytest_odoo

    from odoo.tools import config

    config.parse_config(
        [
            "--%s=%s" % (name.replace("_", "-"), value)
            for name, value in given.items()
            if value
        ],
        setup_logging=False,
    )
    pytest_odoo.monkey_patch_resolve_pkg_root_and_module_name()
