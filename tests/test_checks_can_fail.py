"""The external checks can fail (issue 8, acceptance 5): a broken Spectral or AsyncAPI CLI, or no Node at all,
fails the suite under REQUIRE_TOOLS=1 instead of passing it silently.

Reproduces what happened once: an npm install cut short left Spectral crashing with
``Cannot find module 'lodash'``, and the four conformance tests passed because only the (empty) output was
read. The fakes here are shell scripts standing in for the tool, each with one way of going wrong.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zorgtoezicht.testing import node_tools
from zorgtoezicht.testing.harness import repo_root

LODASH_CRASH = "Error: Cannot find module 'lodash'\nRequire stack:\n- /x/node_modules/@stoplight/spectral-core/dist/index.js"
AN_ERROR = [{"code": "paths-kebab-case", "message": "x", "severity": 0, "path": ["paths"]}]
A_WARNING = [{"code": "info-contact", "message": "x", "severity": 1, "path": ["info"]}]


def fake_tool(folder: Path, name: str, *, stdout: str = "", stderr: str = "", exit_code: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.out").write_text(stdout)
    (folder / f"{name}.err").write_text(stderr)
    script = folder / name
    script.write_text(f'#!/bin/sh\ncat "{folder / name}.out"\ncat "{folder / name}.err" >&2\nexit {exit_code}\n')
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("stdout", "stderr", "exit_code"),
    [
        ("", LODASH_CRASH, 1),  # crashed before linting: no report at all
        ("[]", LODASH_CRASH, 1),  # non-zero exit with an empty report
        ("[]", "Error running Spectral!", 2),  # Spectral's own "could not lint" code
        (json.dumps(AN_ERROR), "", 0),  # an error finding, yet exit 0: not Spectral's contract
        ("No results with a severity of 'error' found!", "", 0),  # text instead of the JSON report
        ('{"results": []}', "", 0),  # JSON, but not a list of findings
    ],
    ids=["crash-no-output", "crash-empty-report", "exit-2", "error-but-exit-0", "text-report", "not-a-list"],
)
def test_a_spectral_that_did_not_lint_fails_the_check(tmp_path: Path, stdout: str, stderr: str, exit_code: int) -> None:
    spectral = fake_tool(tmp_path / "bin", "spectral", stdout=stdout, stderr=stderr, exit_code=exit_code)
    with pytest.raises(AssertionError):
        node_tools.spectral_lint(spectral, tmp_path / "doc.json", tmp_path / "ruleset.yaml")


@pytest.mark.parametrize(
    ("stdout", "exit_code", "expected"),
    [("[]", 0, []), (json.dumps(A_WARNING), 0, A_WARNING), (json.dumps(AN_ERROR + A_WARNING), 1, AN_ERROR + A_WARNING)],
    ids=["clean", "a-warning", "an-error"],
)
def test_a_spectral_that_linted_gives_its_findings(tmp_path: Path, stdout: str, exit_code: int, expected: list) -> None:
    spectral = fake_tool(tmp_path / "bin", "spectral", stdout=stdout, exit_code=exit_code)
    assert node_tools.spectral_lint(spectral, tmp_path / "doc.json", tmp_path / "ruleset.yaml") == expected


def asyncapi_output(spec: Path) -> dict[str, str]:
    return {
        "valid": f"File {spec} is valid but has (itself and/or referenced documents) governance issues.\n"
        "✖ 1 problem (0 errors, 0 warnings, 1 info, 0 hints)\n",
        "rejected": f'Errors \n{spec}\n 1:1  error  asyncapi-document-resolved  Object must have required property "info"\n\n'
        "✖ 1 problem (1 error, 0 warnings, 0 infos, 0 hints)\n",
    }


@pytest.mark.parametrize(
    ("stdout", "stderr", "exit_code"),
    [
        ("", LODASH_CRASH, 1),  # crashed: exit 1 but nothing counted
        ("", "", 0),  # exit 0 with no verdict
        ("valid", "", 2),  # a verdict with an unknown exit code
        ("rejected", "", 0),  # problems counted, yet exit 0
    ],
    ids=["crash", "silent-exit-0", "exit-2", "problems-but-exit-0"],
)
def test_an_asyncapi_cli_that_did_not_validate_fails_the_check(tmp_path: Path, stdout: str, stderr: str, exit_code: int) -> None:
    spec = tmp_path / "asyncapi.json"
    cli = fake_tool(tmp_path / "bin", "asyncapi", stdout=asyncapi_output(spec).get(stdout, stdout), stderr=stderr, exit_code=exit_code)
    with pytest.raises(AssertionError):
        node_tools.asyncapi_validate(cli, spec, tmp_path)


@pytest.mark.parametrize(("stdout", "exit_code", "expected"), [("valid", 0, True), ("rejected", 1, False)])
def test_an_asyncapi_cli_that_validated_gives_its_verdict(tmp_path: Path, stdout: str, exit_code: int, expected: bool) -> None:
    spec = tmp_path / "asyncapi.json"
    cli = fake_tool(tmp_path / "bin", "asyncapi", stdout=asyncapi_output(spec)[stdout], exit_code=exit_code)
    assert node_tools.asyncapi_validate(cli, spec, tmp_path)[0] is expected


def test_without_node_a_tool_skips_loudly_or_fails_under_require_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no node
    monkeypatch.delenv("REQUIRE_TOOLS", raising=False)
    monkeypatch.setattr(node_tools, "SKIPPED", [])
    with pytest.raises(pytest.skip.Exception):
        node_tools.node_tool("spectral")
    assert node_tools.SKIPPED == ["node is not on PATH: cannot run spectral"]  # printed in the terminal summary
    monkeypatch.setenv("REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_TOOLS=1 but node is not on PATH"):
        node_tools.node_tool("spectral")


# -- the suite itself, run as CI runs it, with Node broken or missing ----------------------------------------

TOOL_TESTS = [
    "tests/test_openapi_conformance.py::test_openapi_passes_the_adr_ruleset[register]",
    "shared/tests/test_asyncapi.py::test_official_asyncapi_parser_accepts_the_document",
]


def run_suite(tmp_path: Path, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": path, **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--basetemp={tmp_path / 'inner'}", *TOOL_TESTS],
        cwd=repo_root(),
        env=environment,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )


@pytest.mark.slow
def test_a_crashing_node_fails_the_tool_tests(tmp_path: Path) -> None:
    """Spectral and the AsyncAPI CLI are ``#!/usr/bin/env node`` scripts: a node that dies as a broken
    install does breaks both, and both tests must fail (they passed before issue 8)."""
    if not (node_tools.node_prefix() / ".installed").exists():
        node_tools.missing("the Node tools are not installed: run `make node-tools`")
    fake_tool(tmp_path / "bin", "node", stderr=LODASH_CRASH, exit_code=1)
    result = run_suite(tmp_path, str(tmp_path / "bin"), REQUIRE_TOOLS="1")
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 1 and summary.startswith("2 failed") and "passed" not in summary, result.stdout[-3000:]
    assert "Spectral did not produce its JSON report" in result.stdout and "the AsyncAPI CLI failed" in result.stdout, result.stdout[-3000:]


@pytest.mark.slow
def test_removing_node_fails_the_suite_under_require_tools(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    result = run_suite(tmp_path, str(tmp_path / "bin"), REQUIRE_TOOLS="1")
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 1 and "passed" not in summary and "skipped" not in summary, result.stdout[-3000:]
    for binary in ("spectral", "asyncapi"):  # the conformance test fails in its fixture (an error), the other in its body
        assert f"REQUIRE_TOOLS=1 but node is not on PATH: cannot run {binary}" in result.stdout, result.stdout[-3000:]
