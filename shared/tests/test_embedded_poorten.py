"""The embedded default refuses to start beside a running one, before it touches anything."""

from __future__ import annotations

import asyncio
import socket

import pytest

from zorgtoezicht import embedded
from zorgtoezicht.localpg import free_port


def test_a_port_another_process_listens_on_is_reported_and_a_free_one_is_not():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        bezet = listener.getsockname()[1]
        vrij = free_port()
        assert embedded.bezette_poorten("127.0.0.1", [vrij, bezet]) == [bezet]


def test_a_second_run_beside_a_running_one_stops_before_starting_postgresql(tmp_path, monkeypatch):
    with socket.socket() as listener:  # as the first run's meldpunt API
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        monkeypatch.setenv("MELDPUNT_PORT", str(port))
        for name in ("TOEZICHT", "HANDHAVING", "REGISTER"):
            monkeypatch.setenv(f"{name}_PORT", str(free_port()))
        home = tmp_path / "home"
        with pytest.raises(SystemExit) as stopped:
            asyncio.run(embedded.run(home, free_port(), "127.0.0.1"))
    assert f"meldpunt {port}" in str(stopped.value) and "make run" in str(stopped.value)
    assert not home.exists()  # no PostgreSQL initialised, no keys, no databases migrated
