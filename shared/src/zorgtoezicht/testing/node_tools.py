"""Node command-line tools the suite runs (Spectral for the ADR ruleset, the AsyncAPI CLI),
installed from the npm registry once into ``.local/node`` of the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from zorgtoezicht.testing.harness import repo_root


def node_tool(package: str, binary: str) -> Path:
    """Path of ``binary`` from ``package``, installing the package on first use."""
    prefix = repo_root() / ".local" / "node"
    path = prefix / "node_modules" / ".bin" / binary
    if not path.exists():
        if shutil.which("npm") is None:
            raise RuntimeError(f"npm is needed to install {package}")
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent", package],
                       check=True, capture_output=True, text=True, timeout=600)
    return path
