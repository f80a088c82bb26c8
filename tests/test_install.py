"""The add-on installs on fresh databases, with and without demo data, and
logs no ERROR or WARNING of its own.

``runtime/manage.py fresh DB`` copies the template database of the
dependencies (with demo data, or ``--without-demo`` without: Odoo 19 loads
no demo data unless asked) and installs the add-on with ``odoo-bin server
-i``; it prints the install log's path last.
"""

import os
import re
import subprocess
import sys

import pytest

import odoo.sql_db

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANAGE = os.path.join(REPO, "runtime", "manage.py")
OWN_LINE = re.compile(
    r" (ERROR|WARNING|CRITICAL) \S+ (odoo\.addons\.mrp_job_order\S*|.*mrp_job_order)"
)


def own_problems(log_path):
    with open(log_path) as handle:
        return [
            line.rstrip()
            for line in handle
            if OWN_LINE.search(line) or line.startswith("Traceback")
        ]


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "without-demo"])
def test_installs_cleanly(demo):
    db = "mrp_job_order_install_%s" % ("demo" if demo else "nodemo")
    cmd = [sys.executable, MANAGE, "fresh", db] + ([] if demo else ["--without-demo"])
    try:
        result = subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert result.returncode == 0, result.stdout
        log_path = result.stdout.strip().splitlines()[-1]
        assert os.path.exists(log_path), result.stdout
        with odoo.sql_db.db_connect(db).cursor() as cr:
            cr.execute(
                "SELECT state, demo FROM ir_module_module WHERE name = 'mrp_job_order'"
            )
            assert cr.fetchall() == [("installed", demo)]
            # the demo planner exists exactly when demo data was asked for
            cr.execute(
                "SELECT count(*) FROM ir_model_data "
                "WHERE module = 'mrp_job_order' AND name = 'user_planner'"
            )
            assert cr.fetchone()[0] == (1 if demo else 0)
        odoo.sql_db.close_db(db)
        assert own_problems(log_path) == []
    finally:
        subprocess.call([sys.executable, MANAGE, "drop", db])
