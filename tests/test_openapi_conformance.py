"""Each service's OpenAPI document passes the Logius ADR ruleset with zero errors (issue 2, acceptance 1).

Spectral's exit code and output are both checked (issue 8): a linter that crashed, printed something other
than its JSON report, or exited non-zero without a finding fails the test instead of passing it empty.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from zorgtoezicht.runner import load_definition, openapi_document
from zorgtoezicht.testing import node_tools
from zorgtoezicht.testing.harness import SERVICES, repo_root

# Logius' ruleset for the NL API Design Rules (API-Design-Rules, media/linter.yaml), kept in the repository
# unmodified so that the check does not depend on where a clone sits; its hash pins the published text.
RULESET = repo_root() / "docs" / "conformance" / "adr-ruleset.yaml"
RULESET_SHA256 = "554f7ece56521efe9e4e9936a103241909cf1b90bced4ce1637f423940f18688"


def test_the_ruleset_is_logius_published_one_unmodified():
    assert hashlib.sha256(RULESET.read_bytes()).hexdigest() == RULESET_SHA256


def spectral_findings(spectral: Path, document: Path) -> list[dict[str, Any]]:
    return node_tools.spectral_lint(spectral, document, RULESET)


@pytest.fixture(scope="module")
def spectral():
    return node_tools.node_tool("spectral")


@pytest.mark.parametrize("name", SERVICES)
def test_openapi_passes_the_adr_ruleset(spectral, name, tmp_path):
    assert RULESET.exists(), f"the ADR ruleset is expected at {RULESET}"
    document = tmp_path / f"{name}.json"
    document.write_text(json.dumps(openapi_document(load_definition(name))))
    findings = spectral_findings(spectral, document)
    errors = [f"{f['code']}: {f['message']} at {'.'.join(map(str, f['path']))}" for f in findings if f["severity"] == 0]
    assert errors == [], "\n".join(errors)
    assert len(findings) == 0, [f["message"] for f in findings]  # no warnings either
    assert document.stat().st_size > 1000


def test_the_ruleset_really_fails_a_default_fastapi_app(spectral, tmp_path):
    """Guard against a lint that passes everything: a plain FastAPI app must fail the ruleset."""
    from fastapi import FastAPI

    app = FastAPI(title="plain", version="1")

    @app.get("/items/{item_id}/")
    def read(item_id: int, q: str | None = None) -> dict:
        return {}

    document = tmp_path / "plain.json"
    document.write_text(json.dumps(app.openapi()))
    errors = [f for f in spectral_findings(spectral, document) if f["severity"] == 0]
    assert len(errors) >= 5
