"""One test per item of the Python 3.11 compatibility layer (runtime/odoo11_py311.py).

Each test runs an Odoo 11 code path that fails on 3.11 without the mend, and,
where the mend is local to one Odoo module, checks that the rest of the
interpreter kept 3.11 behaviour.
"""
import ast
import base64
import inspect
import os
import subprocess
import sys
import tempfile

import pytest
import yaml
from lxml import etree

import odoo11_py311


def test_layer_loaded_at_interpreter_start():
    # pytest-odoo imports odoo while loading plugins: the layer must come first,
    # i.e. from the .pth file, in any interpreter of the environment.
    out = subprocess.check_output([
        sys.executable, '-c',
        'import sys; print("odoo11_py311" in sys.modules); import odoo; print(odoo.release.version)'],
        universal_newlines=True)
    assert out.split() == ['True', '11.0']


def test_1_collections_abc_aliases():
    from collections import Mapping, Iterable, MutableSet  # noqa: F401  (Odoo 11 does this)
    import collections.abc
    assert Mapping is collections.abc.Mapping
    import odoo.osv.expression as expression
    # expression.py tests isinstance(right, collections.Iterable)
    assert expression.normalize_domain([('a', 'in', (1, 2))]) == [('a', 'in', (1, 2))]


def test_2_inspect_getargspec_and_formatargspec():
    def f(self, a, b=2, *args, **kw):
        return a

    spec = inspect.getargspec(f)
    assert spec.args == ['self', 'a', 'b'] and spec.varargs == 'args'
    assert spec.keywords == 'kw' and spec.defaults == (2,)
    assert inspect.formatargspec(*spec) == '(self, a, b=2, *args, **kw)'
    # odoo.tools.cache builds its key functions from formatargspec
    from odoo.tools import ormcache

    class Model(object):
        pool = None

        @ormcache('a')
        def method(self, a, b=1):
            return a + b
    assert 'a' in Model.method.__wrapped__.__code__.co_varnames


def test_3_base64_encodestring():
    assert base64.encodestring(b'odoo') == b'b2Rvbw==\n'
    assert base64.decodestring(b'b2Rvbw==\n') == b'odoo'


@pytest.mark.parametrize('expr, expected', [
    ("[('state', 'in', ['draft', 'done']), ('qty', '>', 0)]",
     [('state', 'in', ['draft', 'done']), ('qty', '>', 0)]),
    ("'%s-%s-15' % (2026, 11)", '2026-11-15'),
    ("x in (1, 2) and y is None", True),
    ("1 if not x else 2", 2),
    ("dict(a=1, b=x)", {'a': 1, 'b': 1}),
    ("sum(i * 2 for i in [1, 2, 3])", 12),
    ("[i for i in range(3) if i != 1]", [0, 2]),
    ("{'k': [1, 2], 'v': {3, 4}}", {'k': [1, 2], 'v': {3, 4}}),
])
def test_4_safe_eval_accepts_what_odoo_11_accepted(expr, expected):
    from odoo.tools.safe_eval import safe_eval
    assert safe_eval(expr, {'x': 1, 'y': None}) == expected


@pytest.mark.parametrize('expr, mode', [
    ("__import__('os').system('true')", 'eval'),
    ("(i for i in ()).gi_frame", 'eval'),
    ("import os", 'exec'),
    ("with open('/etc/passwd') as f:\n    x = f.read()", 'exec'),
    ("x.attr = 1", 'exec'),
    ("del x[0]", 'exec'),
])
def test_4_safe_eval_still_refuses(expr, mode):
    from odoo.tools.safe_eval import safe_eval
    with pytest.raises((ValueError, NameError)):
        safe_eval(expr, {}, mode=mode, nocopy=True)


def test_5_yaml_load_in_odoo_only():
    import odoo.tools.yaml_import
    yaml_import = sys.modules['odoo.tools.yaml_import']  # the attribute is a function
    assert yaml_import.yaml.load('a: [1, 2]') == {'a': [1, 2]}
    # Only Odoo's importer is given a default Loader: PyYAML itself is untouched.
    with pytest.raises(TypeError):
        yaml.load('a: 1')


def test_6_qweb_compiles_hand_built_ast():
    from odoo.addons.base.ir.ir_qweb.qweb import QWeb
    template = etree.fromstring(
        '<t t-name="probe"><div t-if="flag" t-att-class="None">'
        '<t t-foreach="items" t-as="item"><span t-esc="item"/></t>'
        '</div><p t-else="">off</p></t>')
    html = QWeb().render(template, {'flag': True, 'items': [1, 2]})
    assert '<span>1</span><span>2</span>' in html.decode()
    # The mend is QWeb's own view of the ast module: the real one is unchanged.
    assert ast.fix_missing_locations is not odoo11_py311._AstForQWeb.fix_missing_locations


def test_7_web_client_template_concatenation():
    from odoo.addons.web.controllers.main import concat_xml
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(2):
            path = os.path.join(tmp, '%d.xml' % i)
            with open(path, 'w') as handle:
                handle.write('<templates><t t-name="t%d"/></templates>' % i)
            paths.append(path)
        content, _checksum = concat_xml(paths)
    assert b't-name="t0"' in content and b't-name="t1"' in content
    from xml.etree import ElementTree
    assert not hasattr(ElementTree.Element, 'getchildren')


def test_8_werkzeug_url_builder_untouched():
    # Werkzeug 0.16 builds AST too and checks isinstance(node, ast.Name): the
    # QWeb mend must not reach it.
    from werkzeug.routing import Map, Rule
    urls = Map([Rule('/job/<int:job_id>', endpoint='job')]).bind('localhost')
    assert urls.build('job', {'job_id': 7}) == '/job/7'
    assert ast.Name.__module__ == 'ast'


def test_10_prefork_worker_cpu_limit():
    # Odoo's prefork workers set RLIMIT_CPU from CPU times, which are floats;
    # the mend is the server module's own view of `resource`
    import resource
    import odoo.service.server as server
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    server.resource.setrlimit(resource.RLIMIT_CPU, (float(soft), hard))
    assert resource.getrlimit(resource.RLIMIT_CPU) == (soft, hard)
    with pytest.raises(TypeError):
        resource.setrlimit(resource.RLIMIT_CPU, (float(soft), hard))


def test_11_rpc_retry_starts_from_clean_environments():
    # Odoo 11.0.7 retries an RPC call after a serialisation failure in the
    # same thread-local environments; leftovers of the failed attempt must
    # not survive into the retry
    import odoo
    from odoo.service import model
    with odoo.api.Environment.manage():
        stale = odoo.api.Environment.envs
        stale.todo['left by a failed attempt'] = ['records on a closed cursor']
        with odoo.registry(odoo.tools.config['db_name']).cursor() as cr:
            count = model.execute_cr(cr, odoo.SUPERUSER_ID, 'res.users', 'search_count', [])
        assert count >= 1
        assert odoo.api.Environment.envs is not stale
        assert not odoo.api.Environment.envs.todo


def test_9_every_mend_is_applied_and_idempotent():
    before = list(odoo11_py311.APPLIED)
    assert {'collections_abc', 'inspect_getargspec', 'base64_string', 'safe_eval_opcodes',
            'yaml_load_loader', 'qweb_ast', 'web_element_getchildren',
            'server_int_rlimits', 'rpc_retry_env_reset'} <= set(before)
    # Where Python already provides what Odoo expects, a mend does nothing:
    # this is what keeps the layer inert on Python 3.5-3.7.
    odoo11_py311._mend_collections()
    odoo11_py311._mend_inspect()
    odoo11_py311._mend_base64()
    assert odoo11_py311.APPLIED == before
