from . import mrp_job_order_report
from . import mrp_job_order_cost_xlsx
