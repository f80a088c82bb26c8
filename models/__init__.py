from . import planning_bridge  # noqa: F401  (plain helpers, no model)
from . import mrp_job_order_type
from . import mrp_job_order
from . import mrp_job_order_stock
from . import mrp_job_order_line
from . import mrp_job_order_demand
from . import stock_warehouse
from . import stock_move
from . import stock_picking
from . import product
from . import mrp_bom
from . import sale_order
from . import res_company
from . import stock_scrap
from . import purchase_order_line
