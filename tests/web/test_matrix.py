"""Every page URL and every API operation is in some app's permission matrix."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from ccops.core.testing import PermissionMatrix, api_operation_paths

TESTS = Path(__file__).resolve().parents[1]
#: Namespaces whose own access rules are tested elsewhere or by Django itself.
IGNORED_NAMESPACES = {"admin", "api-v1"}


def _url_names(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _url_names(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _matrices():
    for path in sorted(TESTS.rglob("test_permissions.py")):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            is_matrix = isinstance(value, type) and issubclass(value, PermissionMatrix)
            if is_matrix and value is not PermissionMatrix:
                yield value


def test_every_page_is_in_a_permission_matrix():
    covered = set().union(*(set(m.pages) for m in _matrices()))
    registered = set(_url_names(get_resolver()))
    missing = sorted(registered - covered)
    assert not missing, f"pages missing from every PermissionMatrix: {missing}"
    unknown = sorted(covered - registered)
    assert not unknown, f"matrix names that are no URL: {unknown}"


def test_every_api_operation_is_in_a_permission_matrix(db):
    covered = set().union(*(set(m.api) for m in _matrices()))
    registered = set(api_operation_paths())
    missing = sorted(registered - covered)
    assert not missing, f"API operations missing from every PermissionMatrix: {missing}"
    unknown = sorted(covered - registered)
    assert not unknown, f"matrix operation ids that are no API operation: {unknown}"
