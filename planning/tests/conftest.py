"""Plain pytest of the planning engine, without Odoo.

planning/tests has no ``__init__.py`` on purpose: pytest then imports these
modules by their own name (``test_planning_engine``, ``conftest``) instead of
as part of the add-on's package, whose root ``__init__.py`` imports odoo.
The folder that holds ``planning/`` is put on ``sys.path`` so that the tests
import the engine as the top-level package ``planning`` (it uses relative
imports only, so it works under either name).
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
for path in (ROOT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)
