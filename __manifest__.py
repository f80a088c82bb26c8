# Copyright 2026 mrp_job_order authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Production Job Orders',
    'summary': 'Turn sales orders, forecasts, low stock and warehouse needs '
               'into mono- or multi-product production job orders, with '
               'transfer to WIP, backflush and estimated vs actual cost',
    'version': '11.0.1.0.0',
    'category': 'Manufacturing',
    'author': 'mrp_job_order authors',
    'license': 'LGPL-3',
    'website': 'https://github.com/mrp-job-order/mrp_job_order',
    'depends': [
        'sale_management',
        'mrp',
        'stock_account',
        'purchase',
        'stock_demand_estimate',
        'report_xlsx',
    ],
    'external_dependencies': {
        'python': ['xlsxwriter'],
    },
    'data': [
        'security/mrp_job_order_security.xml',
        'security/ir.model.access.csv',
        'data/mrp_job_order_data.xml',
        'wizards/mrp_job_order_backflush_views.xml',
        'wizards/mrp_job_order_transfer_views.xml',
        'wizards/mrp_bom_produce_views.xml',
        'views/mrp_job_order_type_views.xml',
        'views/mrp_job_order_demand_views.xml',
        'views/mrp_job_order_line_views.xml',
        'views/mrp_job_order_views.xml',
        'views/product_views.xml',
        'views/mrp_bom_views.xml',
        'views/sale_order_views.xml',
        'views/stock_warehouse_views.xml',
        'views/stock_scrap_views.xml',
        'views/menus.xml',
    ],
    'demo': [],
    'application': False,
    'installable': True,
}
