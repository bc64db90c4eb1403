"""ruff (configured in pyproject.toml: lint rules and the formatter) reports nothing on the whole tree.

Both commands' exit codes decide: 0 is clean, 1 is findings, anything else (a crash, a bad configuration)
fails as well, so the check cannot pass without running.
"""

from __future__ import annotations

import subprocess

import pytest

from zorgtoezicht.testing import node_tools
from zorgtoezicht.testing.harness import repo_root


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff_reports_nothing(command: list[str]) -> None:
    ruff = node_tools.ruff()
    result = subprocess.run([str(ruff), *command], cwd=repo_root(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"ruff {' '.join(command)} exited {result.returncode}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
