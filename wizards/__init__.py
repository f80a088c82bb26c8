from . import mrp_job_order_backflush
from . import mrp_job_order_transfer
from . import mrp_bom_produce
from . import mrp_job_order_generate
