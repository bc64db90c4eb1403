"""Structured JSON logs with a correlation id.

The correlation id travels from the HTTP request (``X-Correlation-ID``) into the events it causes
(CloudEvents extension ``correlationid``) and into the logs of the consumers that handle them.
Log messages must never carry personal data: log ids and codes, never names, BSNs or free text.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
import json
import logging
import sys
import uuid
from datetime import UTC, datetime

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
