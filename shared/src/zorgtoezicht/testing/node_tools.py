"""The command-line tools the suite runs besides Python: Spectral (the ADR ruleset), the AsyncAPI CLI (Node,
pinned in ``tools/node/package-lock.json`` and installed into ``.local/node`` by ``make node-tools``, which
``make test`` runs first) and ruff.

Tests only *find* the tools here; nothing installs during a test run, so no test can read a half-written
``node_modules`` while another writes it. A missing tool skips the test with a loud summary line; with
``REQUIRE_TOOLS=1`` (CI) it fails the test instead, as ``REQUIRE_KAFKA`` does for the broker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

from zorgtoezicht.testing.harness import repo_root

SKIPPED: list[str] = []  # reasons, printed by the plugin's terminal summary


def require_tools() -> bool:
    return os.environ.get("REQUIRE_TOOLS", "") not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """A tool a test needs is not there: fail under ``REQUIRE_TOOLS=1``, otherwise skip and say so at the end."""
    if require_tools():
        pytest.fail(f"REQUIRE_TOOLS=1 but {reason}", pytrace=False)
    SKIPPED.append(reason)
    pytest.skip(reason)


def node_prefix() -> Path:
    return repo_root() / ".local" / "node"


def node_tool(binary: str) -> Path:
    """Path of a Node tool's executable from the locked install in ``.local/node``."""
    if shutil.which("node") is None:
        missing(f"node is not on PATH: cannot run {binary}")
    prefix = node_prefix()
    path = prefix / "node_modules" / ".bin" / binary
    lock = repo_root() / "tools" / "node" / "package-lock.json"
    installed = prefix / "package-lock.json"
    if not (prefix / ".installed").exists() or not path.exists():
        missing(f"{binary} is not installed in {prefix}: run `make node-tools` (npm ci from tools/node)")
    if not installed.exists() or installed.read_bytes() != lock.read_bytes():
        missing(f"{prefix} was installed from another tools/node/package-lock.json: run `make node-tools`")
    return path


def ruff() -> Path:
    """The ruff of the project's virtual environment (pinned in pyproject.toml's dev group)."""
    for candidate in (repo_root() / ".venv" / "bin" / "ruff", shutil.which("ruff")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    missing("ruff is not installed: run `make setup` (uv sync installs the dev group)")


def _report(result: subprocess.CompletedProcess[str], tool: str) -> str:
    return f"{tool} exited {result.returncode}\nstdout: {result.stdout[-3000:]}\nstderr: {result.stderr[-3000:]}"


def spectral_lint(spectral: Path, document: Path, ruleset: Path) -> list[dict[str, Any]]:
    """Spectral's findings on ``document``; AssertionError when Spectral did not really lint it.

    Spectral exits 0 when no finding has severity error (0), 1 when one has, and 2 (or anything else when
    it dies) when it could not lint; with ``-f json --quiet`` stdout is exactly the JSON list of findings.
    Exit code and output must agree, so a crash can never read as "no findings".
    """
    command = [str(spectral), "lint", "-r", str(ruleset), "-f", "json", "--quiet", str(document)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = _report(result, "spectral")
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"Spectral did not produce its JSON report: {report}") from None
    well_formed = isinstance(findings, list) and all(isinstance(f, dict) and {"code", "severity"} <= f.keys() for f in findings)
    assert well_formed, f"Spectral's report is not a list of findings: {report}"
    assert result.returncode in (0, 1), f"Spectral failed: {report}"
    has_errors = any(f["severity"] == 0 for f in findings)
    assert result.returncode == int(has_errors), f"Spectral's exit code does not match its findings: {report}"
    return findings


_PROBLEMS = re.compile(r"\((\d+) errors?, (\d+) warnings?")


def asyncapi_validate(cli: Path, spec: Path, home: Path) -> tuple[bool, str]:
    """``asyncapi validate --fail-severity warn``: (valid without errors or warnings, the CLI's output).

    Valid means exit 0, the CLI's own "File … is valid" line and no error or warning counted; a rejection
    means exit 1 with counted problems. Anything else (a crash, a missing module, an unknown exit code, a
    verdict without the CLI's wording) is an AssertionError, never a pass.
    """
    analytics = home / "asyncapi-analytics.json"  # no telemetry, no first-run prompt
    analytics.write_text(json.dumps({"analyticsEnabled": "false", "infoMessageShown": "true", "userID": "test"}))
    env = {**os.environ, "CI": "true", "ASYNCAPI_METRICS_CONFIG_PATH": str(analytics)}
    command = [str(cli), "validate", str(spec), "--fail-severity", "warn"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env, check=False)
    report = _report(result, "asyncapi validate")
    counts = [(int(errors), int(warnings)) for errors, warnings in _PROBLEMS.findall(result.stdout)]
    problems = any(errors or warnings for errors, warnings in counts)
    said_valid = re.search(rf"^File {re.escape(str(spec))} is valid\b", result.stdout, re.MULTILINE) is not None
    if result.returncode == 0:
        assert said_valid and not problems, f"the AsyncAPI CLI exited 0 without declaring the document valid: {report}"
        return True, report
    assert result.returncode == 1 and problems, f"the AsyncAPI CLI failed: {report}"
    return False, report
