# Every test module, so that Odoo's own runner (--test-enable) sees the same
# suite as pytest. The modules of plain pytest functions (real servers, the
# browser) hold no TestCase and are skipped by Odoo's runner on its own.
from . import test_bad_inputs
from . import test_cockpit
from . import test_costs
from . import test_e2e_cockpit
from . import test_e2e_planner
from . import test_external_api
from . import test_generation
from . import test_generation_concurrency
from . import test_i18n
from . import test_install
from . import test_job_order_flow
from . import test_job_order_refusals
from . import test_reports
from . import test_unattended
from . import test_webclient
from . import test_xmlrpc
