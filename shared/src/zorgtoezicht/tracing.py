"""Optional tracing with the OpenTelemetry API: off by default, ``ZT_TRACING=1`` (``PlatformSettings.tracing``) turns it on.

When on, the W3C ``traceparent`` travels with the work: an HTTP request is served in the context of its incoming
``traceparent``; each event it causes carries that context as the CloudEvents distributed-tracing attribute
``traceparent``; the relay copies it into the Kafka header ``traceparent``; a consumer handles the event in that
context, and the events its handler causes carry it on. So one trace id follows a melding through the chain.

Only the API is used: without an SDK the context is carried but no span is recorded. To export spans install and
configure an SDK and exporter in the image (``opentelemetry-sdk`` and an OTLP exporter, set up with the ``OTEL_*``
variables, e.g. by running under ``opentelemetry-instrument``); the spans made here are then real ones.

Group commit writes the changes of several requests in one task, whose context is the first request's: an event
therefore takes the traceparent registered under its correlation id (the request or event it belongs to), which
every change sets for itself, rather than the task's context.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind

__all__ = ["HEADER", "SpanKind", "carrier", "enable", "enabled", "span", "traceparent"]

HEADER = "traceparent"
_HEADERS = ("traceparent", "tracestate")
_enabled = False  # set by ``enable()`` when a ServiceRuntime starts with ZT_TRACING=1
_active: dict[str, str] = {}  # correlation id → traceparent of the request or event being handled under it


def enabled() -> bool:
    return _enabled


def enable() -> None:
    global _enabled
    _enabled = True


def carrier(headers: Iterable[tuple[str | bytes, str | bytes]]) -> dict[str, str]:
    """The trace headers among HTTP or Kafka headers, as text."""
    found = {}
    for key, value in headers:
        name = key.decode("latin-1") if isinstance(key, bytes) else key
        if name.lower() in _HEADERS:
            found[name.lower()] = value.decode("latin-1") if isinstance(value, bytes) else value
    return found


@contextmanager
def span(name: str, headers: Iterable[tuple[str | bytes, str | bytes]], kind: SpanKind, correlation: str | None) -> Iterator[Span | None]:
    """Run the block in the context the headers carry (a child span when an SDK is configured); None when off."""
    if not _enabled:
        yield None
        return
    parent = propagate.extract(carrier(headers))
    with trace.get_tracer("zorgtoezicht").start_as_current_span(name, context=parent, kind=kind) as current:
        traceparent = _inject()
        registered = correlation is not None and traceparent is not None and correlation not in _active
        if registered:
            _active[correlation] = traceparent  # type: ignore[index]
        try:
            yield current
        finally:
            if registered:
                _active.pop(correlation, None)  # type: ignore[arg-type]


def traceparent(correlation: str | None) -> str | None:
    """The traceparent an event caused now carries: its correlation id's, else the current context's; None when off."""
    if not _enabled:
        return None
    if correlation is not None and (registered := _active.get(correlation)):
        return registered
    return _inject()


def _inject() -> str | None:
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers.get(HEADER)
