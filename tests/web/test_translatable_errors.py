"""Every error message a user can read goes through gettext.

An AST scan of ``ccops/`` (the engine, whose messages ``ccops.core.engine_messages`` words,
and the English command line excluded) for messages given as a plain str literal, an
f-string, a ``"..." % ...`` or ``"...".format(...)``, or a dict/list of those, to:

- an exception a user sees: ``ValidationError``, ``PermissionDenied``, ``HttpError``
  (its second argument), ``Http404``, ``Conflict``, ``HardDeleteRefused`` and every class
  in ``ccops/`` derived from one of them (``RecordLocked``, ...), raised or built;
- ``messages.error/warning/info/success/debug/add_message``, ``form.add_error``;
- ``error_body`` (the one JSON shape of an API error).

A variable given as the message is followed to what the function puts in it (``errors =
{}``, ``errors["site"] = f"..."``, ``.append(...)``). No database: the source is only parsed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

PACKAGE = Path(__file__).resolve().parents[2] / "ccops"
SKIP = {"engine", "cli", "devtools", "migrations", "__pycache__"}
BASE_ERRORS = {
    "ValidationError",
    "PermissionDenied",
    "HttpError",
    "Http404",
    "Conflict",
    "HardDeleteRefused",
    "SuspiciousOperation",
    "BadRequest",
}
# Calls whose result is translated text (the two helpers of ccops.core.permissions and
# audit.refused_delete translate inside).
TRANSLATED = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
    "not_found",
    "missing_permission",
    "refused_delete",
}
MESSAGE_FUNCS = {"error", "warning", "info", "success", "debug", "add_message"}
FILLERS = ("append", "extend", "update", "setdefault", "add", "insert")


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _words(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _is_var(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _filled(scope: ast.AST, name: str) -> list[ast.expr]:
    """The values the function ``scope`` puts into its variable ``name``."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            targets = [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_var(node.func.value, name)
            and node.func.attr in FILLERS
        ):
            keyed = node.func.attr in ("setdefault", "insert")
            values.extend(node.args[1:] if keyed else node.args)
            continue
        else:
            continue
        for target in targets:
            if _is_var(target, name) or (
                isinstance(target, ast.Subscript) and _is_var(target.value, name)
            ):
                values.append(node.value)
    return values


def untranslated(node: ast.expr, scope: ast.AST | None = None, seen: frozenset = frozenset()):
    """Whether the message expression ``node`` holds English text not passed to gettext."""

    def check(child):
        return untranslated(child, scope, seen)

    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _words(v.value) for v in node.values)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):  # "text %s" % x: the format is the message
            return check(node.left)
        return check(node.left) or check(node.right)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in TRANSLATED:
            return False
        if name == "format" and isinstance(node.func, ast.Attribute):
            return check(node.func.value)
        if name == "join":
            return any(check(arg) for arg in node.args)
        if name == "dict":
            return any(check(k.value) for k in node.keywords)
        return False
    if isinstance(node, ast.Dict):
        return any(check(v) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(check(e) for e in node.elts)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return check(node.elt)
    if isinstance(node, ast.DictComp):
        return check(node.value)
    if isinstance(node, ast.IfExp):
        return check(node.body) or check(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(check(v) for v in node.values)
    if isinstance(node, ast.Name) and scope is not None and node.id not in seen:
        seen = seen | {node.id}
        return any(check(value) for value in _filled(scope, node.id))
    return False


def _error_classes(trees) -> set[str]:
    names = set(BASE_ERRORS)
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in names
                    and any(_name(base) in names for base in node.bases)
                ):
                    names.add(node.name)
                    grew = True
    return names


def _message(call: ast.Call, errors: set[str]) -> ast.expr | None:
    """The message argument of ``call`` if it is a call that shows one, else None."""
    name = _name(call.func)
    keywords = {k.arg: k.value for k in call.keywords}
    if name in errors:
        position, keyword = (1 if name == "HttpError" else 0), "message"
    elif (
        name in MESSAGE_FUNCS
        and isinstance(call.func, ast.Attribute)
        and _is_var(call.func.value, "messages")
    ):
        position, keyword = (2 if name == "add_message" else 1), "message"
    elif name == "add_error":
        position, keyword = 1, "error"
    elif name == "error_body":
        position, keyword = 0, "detail"
    else:
        return None
    return call.args[position] if len(call.args) > position else keywords.get(keyword)


def scan_trees(trees: dict[str, ast.AST]) -> list[str]:
    """``file:line: message`` of every untranslated message in ``trees`` (name -> AST)."""
    errors = _error_classes(trees.values())
    found = []
    for label, tree in trees.items():
        scope_of: dict[int, ast.AST] = {}
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):  # outer functions first: the innermost wins
                    scope_of[id(node)] = fn
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            message = _message(node, errors)
            if message is not None and untranslated(message, scope_of.get(id(node))):
                found.append(f"{label}:{node.lineno}: {ast.unparse(message)[:120]}")
    return sorted(found)


def _sources() -> dict[str, ast.AST]:
    trees = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if SKIP.intersection(rel.parts):
            continue
        trees[f"ccops/{rel}"] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return trees


def test_every_user_visible_error_message_is_translatable():
    trees = _sources()
    assert len(trees) > 100  # the scan reads the apps, not an empty selection
    found = scan_trees(trees)
    assert not found, "messages not passed through gettext:\n" + "\n".join(found)


BAD = """
class Refused(PermissionDenied):
    pass

def view(request, pk, form):
    errors = {}
    errors["site"] = f"site {pk} does not exist"
    if pk:
        raise ValidationError(errors)
    raise HttpError(422, "give the site")
    raise Refused("not yours")
    raise ValidationError({"month": "give the month as %s" % fmt})
    raise Http404("no {} here".format(pk))
    messages.error(request, "it failed")
    form.add_error("start", ["too early"])
    return error_body("invalid input")
"""

GOOD = """
class Refused(PermissionDenied):
    pass

def view(request, pk, form, exc):
    errors = {}
    errors["site"] = not_found(Site._meta.verbose_name, pk)
    if pk:
        raise ValidationError(errors)
    raise HttpError(422, _("Give the site."))
    raise Refused(gettext("This is not yours."))
    raise ValidationError({"month": _("Give the month as %(f)s.") % {"f": fmt}})
    raise Http404(str(exc))
    raise ValidationError(exc.messages)
    messages.error(request, " ".join(exc.messages))
    form.add_error("start", ngettext("one", "%(n)d", n) % {"n": n})
    return error_body(detail or _("The input is not valid."), items)
"""


def test_the_scan_finds_each_kind_of_untranslated_message():
    found = scan_trees({"bad.py": ast.parse(BAD)})
    assert sorted(int(line.split(":")[1]) for line in found) == list(range(9, 17)), found
    assert scan_trees({"good.py": ast.parse(GOOD)}) == []
