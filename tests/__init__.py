from . import test_job_order_flow
from . import test_job_order_refusals
