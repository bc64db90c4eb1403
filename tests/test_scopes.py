"""Each service declares its scopes once (``ServiceDefinition.scopes``, what ``make run``'s dev token holds) and
every operation asks for one of them: a scope name shadowed by another constant, or an operation asking for a
scope nobody can be given, fails here instead of in ``make run`` or at a partner."""

from __future__ import annotations

import pytest

from zorgtoezicht.runner import load_definition, openapi_document
from zorgtoezicht.testing.harness import PUBLIC_OPERATIONS, SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_declared_scopes_are_names_and_every_operation_asks_for_one(name):
    definition = load_definition(name)
    assert definition.scopes, f"{name} declares no scopes"
    for scope, uitleg in definition.scopes.items():
        assert isinstance(scope, str) and scope.startswith(f"{name}."), f"{name} declares {scope!r} as a scope"
        assert isinstance(uitleg, str) and uitleg
    for path, operations in openapi_document(definition)["paths"].items():
        for method, operation in operations.items():
            wanted = operation.get("x-required-scope")
            # A deliberately public operation (the explicit list in the harness) asks for none.
            if (name, method.upper(), path) in PUBLIC_OPERATIONS:
                assert not wanted, f"{method.upper()} {path} of {name} is listed as public but asks for {wanted}"
                continue
            assert wanted, f"{method.upper()} {path} of {name} needs no scope"
            alternatives = wanted.split(" or ")
            assert set(alternatives) <= set(definition.scopes), f"{method.upper()} {path} asks for undeclared {wanted}"


def test_every_public_operation_exists():
    found = {
        (name, method.upper(), path)
        for name in SERVICES
        for path, operations in openapi_document(load_definition(name))["paths"].items()
        for method in operations
    }
    assert found >= PUBLIC_OPERATIONS
