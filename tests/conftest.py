"""Fixtures shared by the test modules that talk to a running server.

Imported as ``odoo.addons.mrp_job_order.tests.conftest`` thanks to
runtime/pytest_odoo_early.py (see there why)."""

import pytest

from .server import OdooServer


@pytest.fixture(scope="module")
def server():
    """A real ``odoo-bin server`` on the test database, one per test module
    (what a module commits through it stays in that module's database)."""
    with OdooServer() as running:
        yield running
