from . import test_job_order_flow
from . import test_job_order_refusals
from . import test_generation
from . import test_generation_concurrency
from . import test_bad_inputs
from . import test_unattended
from . import test_costs
from . import test_reports
