"""Structured JSON logs with a correlation id.

The correlation id travels from the HTTP request (``X-Correlation-ID``) into the events it causes
(CloudEvents extension ``correlationid``) and into the logs of the consumers that handle them.
Log messages must never carry personal data: log ids and codes, never names, BSNs or free text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)
service_name: contextvars.ContextVar[str | None] = contextvars.ContextVar("service_name", default=None)

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def current_correlation_id() -> str:
    """The correlation id of the work in progress, creating one if none was set."""
    value = correlation_id.get()
    if value is None:
        value = new_correlation_id()
        correlation_id.set(value)
    return value


@contextmanager
def correlated(value: str | None) -> Iterator[None]:
    """Work on behalf of one request or event (its id in log lines, events and audit rows), then back."""
    token = correlation_id.set(value)
    try:
        yield
    finally:
        correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (svc := service_name.get()) is not None:
            entry["service"] = svc
        if (cid := correlation_id.get()) is not None:
            entry["correlationId"] = cid
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)

    def formatException(self, ei) -> str:
        return safe_traceback(ei[1]) if ei and ei[1] is not None else ""


def configure_logging(level: str = "INFO") -> None:
    """Route all logging through one JSON handler on stderr (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_zorgtoezicht", False):
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._zorgtoezicht = True  # type: ignore[attr-defined]
    root.handlers = [handler]
    root.setLevel(level)
    from zorgtoezicht.persoonsgegevens import install_bsn_redactie  # a BSN never reaches a log line

    install_bsn_redactie()
    for noisy in ("aiokafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel("WARNING")


# ------------------------------------------------------------------------------- errors without data
#
# An exception's text may carry personal data: SQLAlchemy puts the SQL parameters in it, PostgreSQL's DETAIL
# repeats the values of a violated key ("Key (kvk_nummer)=(…) already exists"), pydantic repeats the input.
# A log line therefore names an error by its type, SQLSTATE and constraint, plus the stack (code, not data).
# Only errors about infrastructure (network, broker, timeouts) keep their text: it names hosts, not people.


def _infrastructure(error: BaseException) -> bool:
    if isinstance(error, OSError | TimeoutError):
        return True
    return type(error).__module__.split(".")[0] in ("aiokafka", "kafka")


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return seen


def _name(error: BaseException) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def describe_error(error: BaseException) -> str:
    """One line naming an error without its data, e.g. ``sqlalchemy.exc.IntegrityError ← asyncpg…UniqueViolationError
    (SQLSTATE 23505, constraint uq_zorgaanbieder_kvk_nummer)``."""
    fields = error_fields(error)
    text = " ← ".join(fields["errorTypes"])
    extra = [
        f"SQLSTATE {fields['sqlstate']}" if "sqlstate" in fields else "",
        f"constraint {fields['constraint']}" if "constraint" in fields else "",
    ]
    if any(extra):
        text += f" ({', '.join(e for e in extra if e)})"
    if "errorText" in fields:
        text += f": {fields['errorText']}"
    return text


def error_fields(error: BaseException) -> dict[str, Any]:
    """Log fields (``extra``) describing an error safely: types, SQLSTATE, constraint, stack; no values."""
    chain = _chain(error)
    fields: dict[str, Any] = {"errorType": _name(error), "errorTypes": [_name(e) for e in chain]}
    for link in chain:
        sqlstate = getattr(link, "sqlstate", None) or getattr(link, "pgcode", None)
        if isinstance(sqlstate, str) and "sqlstate" not in fields:
            fields["sqlstate"] = sqlstate
        constraint = getattr(link, "constraint_name", None)
        if isinstance(constraint, str) and "constraint" not in fields:
            fields["constraint"] = constraint
    if _infrastructure(error):
        fields["errorText"] = str(error)[:300]
    fields["stack"] = safe_traceback(error)
    return fields


def safe_traceback(error: BaseException) -> str:
    """The stack of ``error`` and of its causes (files, lines, code), each exception named by ``describe``, not its text."""
    parts: list[str] = []
    for link in reversed(_chain(error)):
        frames = "".join(traceback.StackSummary.extract(traceback.walk_tb(link.__traceback__), capture_locals=False).format())
        text = f": {str(link)[:300]}" if _infrastructure(link) else ""
        parts.append(f"Traceback (most recent call last):\n{frames}{_name(link)}{text}")
    return "\n\nwhich caused:\n\n".join(parts)


# ------------------------------------------------------------------------- scanning logs (tests, fuzzing)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_SQL_DATA = re.compile(r"\[parameters: |\[SQL parameters|DETAIL: |Key \([^)]*\)=\(|input_value=")


def personal_data_in(text: str, known: Iterable[str] = ()) -> list[str]:
    """Findings of personal data in log text: BSNs (plain, spaced, dotted), e-mail addresses, SQL parameters or
    DETAIL text, pydantic input values, and any of the ``known`` values (names, free text the test sent).
    An empty list means clean. For tests and the fuzz run: ``assert not personal_data_in(captured)``."""
    from zorgtoezicht.persoonsgegevens import redigeer_bsn

    findings: list[str] = []
    lowered = text.lower()
    for value in known:
        if value and value.lower() in lowered:
            findings.append(f"known value {value!r}")
    for number, line in enumerate(text.splitlines(), 1):
        if redigeer_bsn(line) != line:
            findings.append(f"line {number}: a BSN-like number")
        if _EMAIL.search(line) and "@zorgtoezicht.example.nl" not in line:
            findings.append(f"line {number}: an e-mail address")
        if match := _SQL_DATA.search(line):
            findings.append(f"line {number}: SQL parameters or input values ({match.group(0).strip()!r})")
    return findings
