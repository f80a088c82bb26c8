from . import test_job_order_flow
