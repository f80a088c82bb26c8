"""Wrong ids and wrong types through XML-RPC, against a real server: a clear
fault, and nothing written."""
import xmlrpc.client

import pytest

from .server import OdooServer


@pytest.fixture(scope='module')
def rpc():
    with OdooServer() as server:
        common = xmlrpc.client.ServerProxy(server.url + '/xmlrpc/2/common')
        uid = common.authenticate(server.db, 'admin', 'admin', {})
        models = xmlrpc.client.ServerProxy(server.url + '/xmlrpc/2/object', allow_none=True)

        def call(model, method, *args, **kwargs):
            return models.execute_kw(server.db, uid, 'admin', model, method, list(args), kwargs)
        yield call


def counts(call):
    return [call(model, 'search_count', []) for model in (
        'mrp.job.order', 'mrp.job.order.line', 'mrp.job.order.demand', 'stock.move')]


@pytest.mark.parametrize('model, method, args, words', [
    ('mrp.job.order', 'action_confirm', [[987654321]], 'does not exist'),
    ('mrp.job.order', 'action_transfer', [[987654321]], 'does not exist'),
    ('mrp.job.order', 'create', [{'line_ids': [[0, 0, {'product_id': 987654321,
                                                        'product_qty': 1}]]}],
     'does not exist'),
    ('mrp.job.order', 'create', [{'mode': 'triple'}], 'Wrong value'),
    ('mrp.job.order', 'create', [{'line_ids': [[0, 0, {'product_id': 'table',
                                                        'product_qty': 'many'}]]}], 'Error'),
    ('mrp.job.order.generate', 'create', [{'mode': 'mono', 'use_sale': 'yes please',
                                           'date_to': 'the 32nd'}], 'date'),
    ('mrp.job.order.profile', 'run', [[987654321]], 'does not exist'),
    ('sale.order', 'action_create_job_order', [['not an id']], 'Error'),
])
def test_bad_calls_fault_and_change_nothing(rpc, model, method, args, words):
    before = counts(rpc)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(model, method, *args)
    assert words in fault.value.faultString
    assert counts(rpc) == before


def test_a_good_call_still_works(rpc):
    # the same server accepts a valid call: the faults above are about the input
    types = rpc('mrp.job.order.type', 'search_read', [], fields=['name'])
    assert types and types[0]['name']
