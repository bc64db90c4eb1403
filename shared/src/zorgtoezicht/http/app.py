"""The FastAPI application every service gets: NL API Design Rules applied in one place.

- base path ``/api/v1``, ``API-Version`` on every response, a trailing slash is 404 (no redirect);
- ``/api/v1/openapi.json`` public with ``Access-Control-Allow-Origin: *``, ``servers`` and contact;
- errors as problem+json, invalid input 400 listing every field, unknown query parameters 400;
- security headers on every response; the correlation id in and out (``X-Correlation-ID``);
- ``/health/live``, ``/health/ready`` and ``/metrics`` (Prometheus) outside the versioned API, without authentication.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zorgtoezicht import tracing
from zorgtoezicht.db import database_away
from zorgtoezicht.http.problems import (
    MAX_INVALID_PARAMS,
    PROBLEM_JSON,
    ContentTooLarge,
    DomainError,
    InvalidParam,
    Problem,
    install_problem_handlers,
)
from zorgtoezicht.http.security import authorize
from zorgtoezicht.logs import correlation_id, error_fields, new_correlation_id
from zorgtoezicht.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from zorgtoezicht.metrics import UNMATCHED

if TYPE_CHECKING:
    from zorgtoezicht.metrics import ServiceMetrics
    from zorgtoezicht.service import ServiceRuntime

log = logging.getLogger("zorgtoezicht.http")

API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
]


class ApiRoute(APIRoute):
    """Guards an operation before FastAPI reads and parses its body (which it does before any dependency):

    1. authentication and the operation's scope (401, 403) — a request without a valid token gets 401
       whatever its body, which is then never read;
    2. the body's size (413 past the operation's ``body_limit``, counted while reading, also when chunked);
    3. the cost of the JSON (nesting depth, members per object: 400 before pydantic does any work);
    4. text: no NUL or other control characters in body strings and keys, query and path parameters and
       the audit header (400; PostgreSQL refuses NUL, free text may keep tab and line breaks);
    5. query parameters the operation does not declare (400), as the ZGW APIs do.
    """

    def get_route_handler(self) -> Callable[[Request], Awaitable[Any]]:
        handler = super().get_route_handler()
        dependants = list(_walk(self.dependant))
        allowed = {param.alias for dependant in dependants for param in dependant.query_params}
        accepted = [d.call.accepted_scopes for d in dependants if hasattr(d.call, "accepted_scopes")]
        limits = [d.call.max_body_bytes for d in dependants if hasattr(d.call, "max_body_bytes")]
        max_body = min(limits) if limits else MAX_BODY_BYTES
        has_body = self.body_field is not None

        async def route_handler(request: Request) -> Any:
            if accepted:
                authorize(request, accepted)
            if has_body:
                await read_body(request, max_body)
            errors = [
                {"loc": ("query", key), "type": "unknown_parameter", "msg": "unknown query parameter"}
                for key in request.query_params
                if key not in allowed
            ]
            errors += text_errors(request)
            if errors:
                raise RequestValidationError(errors)
            return await handler(request)

        return route_handler


# --------------------------------------------------------------------------- limits and text checks

MAX_BODY_BYTES = 64 * 1024  # the platform default; an operation declares more with ``body_limit``
MAX_DEPTH = 32  # nesting of JSON arrays and objects
MAX_MEMBERS = 256  # members of one JSON object: no schema has that many fields
# C0 and C1 control characters and DEL; free text in a body may keep tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CHECKED_HEADERS = ("x-audit-toelichting",)
# Header values arrive decoded as Latin-1, so the bytes of UTF-8 text look like C1 characters: C0 and DEL only.
_CONTROL_IN_HEADER = re.compile(r"[\x00-\x1f\x7f]")
_TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels"
_CONTROL_ERROR = {"type": "control_character", "msg": "text may not contain NUL or other control characters"}


def body_limit(max_bytes: int):
    """Declare on a route (``dependencies=[body_limit(…)]``) that its body may be larger than the platform's
    64 KiB; past the limit the request is 413 before any of it is parsed."""

    async def within_body_limit() -> None:
        return None

    within_body_limit.max_body_bytes = max_bytes  # type: ignore[attr-defined] - read by ApiRoute and the OpenAPI builder
    return Depends(within_body_limit)


async def read_body(request: Request, max_bytes: int) -> None:
    """Read the body, at most ``max_bytes`` (413 past it, without reading the rest), and check its JSON."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise ContentTooLarge(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ContentTooLarge(max_bytes)
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body or not (content_type == "application/json" or content_type.endswith("+json")):
        return
    try:
        parsed = json.loads(body)
    except RecursionError:
        raise RequestValidationError([{"loc": ("body",), "type": "too_deep", "msg": _TOO_DEEP}]) from None
    except ValueError:
        return  # FastAPI reports the position of the syntax error (json_invalid)
    errors = json_errors(parsed)
    if errors:
        raise RequestValidationError(errors)
    request._json = parsed


def json_errors(document: Any) -> list[dict[str, Any]]:
    """Depth, object size and control characters of a parsed JSON body, in one cheap walk."""
    errors: list[dict[str, Any]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while stack and len(errors) < MAX_INVALID_PARAMS:
        value, loc = stack.pop()
        if isinstance(value, str):
            if _CONTROL_IN_TEXT.search(value):
                errors.append({"loc": ("body", *loc), **_CONTROL_ERROR})
            continue
        if not isinstance(value, dict | list):
            continue
        if len(loc) >= MAX_DEPTH:
            errors.append({"loc": ("body", *loc), "type": "too_deep", "msg": _TOO_DEEP})
            continue
        if isinstance(value, list):
            stack.extend((item, (*loc, index)) for index, item in reversed(list(enumerate(value))))
            continue
        if len(value) > MAX_MEMBERS:
            errors.append(
                {
                    "loc": ("body", *loc),
                    "type": "too_many_members",
                    "msg": f"an object has at most {MAX_MEMBERS} members; this one has {len(value)}",
                }
            )
            continue
        for key in reversed(list(value)):
            if _CONTROL.search(key):
                errors.append({"loc": ("body", *loc, json.dumps(key)[1:-1]), **_CONTROL_ERROR})
            else:
                stack.append((value[key], (*loc, key)))
    return errors


def text_errors(request: Request) -> list[dict[str, Any]]:
    """Control characters in query and path parameters and in the audit header (never allowed there)."""
    errors = []
    for key, value in request.query_params.multi_items():
        if _CONTROL.search(key) or _CONTROL.search(value):
            errors.append({"loc": ("query", json.dumps(key)[1:-1]), **_CONTROL_ERROR})
    for key, value in request.path_params.items():
        if isinstance(value, str) and _CONTROL.search(value):
            errors.append({"loc": ("path", key), **_CONTROL_ERROR})
    for header in _CHECKED_HEADERS:
        value = request.headers.get(header)
        if value is not None and _CONTROL_IN_HEADER.search(value):
            errors.append({"loc": ("header", header.title()), **_CONTROL_ERROR})
    return errors


def _walk(dependant: Dependant):
    yield dependant
    for sub in dependant.dependencies:
        yield from _walk(sub)


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=ApiRoute, **kwargs)


class ApiRulesMiddleware:
    """Pure ASGI (cheap on the hot path): correlation id, API-Version, security headers, access log."""

    def __init__(self, app: ASGIApp, *, api_version: str, metrics: ServiceMetrics | None = None) -> None:
        self.app = app
        self.api_version = api_version.encode()
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-correlation-id"), None)
        cid = incoming if incoming and _CORRELATION_ID.match(incoming) else new_correlation_id()
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status_holder = [0]
        public = scope["path"] == OPENAPI_PATH

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"api-version", self.api_version))
                headers.append((b"x-correlation-id", cid.encode()))
                headers.extend(SECURITY_HEADERS)
                if public:
                    headers.append((b"access-control-allow-origin", b"*"))
                message["headers"] = headers
            await send(message)

        span = tracing.span("http", scope["headers"], tracing.SpanKind.SERVER, cid)  # a no-op unless ZT_TRACING=1
        current = span.__enter__()
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # noqa: BLE001 - answered here, so the server never logs the exception's text
            log.error("unhandled error", extra={"path": scope.get("route") and scope["route"].path, **error_fields(error)})
            if not status_holder[0]:
                await _send_server_error(scope, send_with_headers, database_weg=database_away(error))
        finally:
            route = scope.get("route")
            # The operation id, never the path (it carries ids); routes outside the API by their name.
            operation = getattr(route, "operation_id", None) or getattr(route, "name", None) or UNMATCHED
            if current is not None:
                current.update_name(operation)
                current.set_attribute("http.response.status_code", status_holder[0])
            span.__exit__(None, None, None)
            if self.metrics is not None:
                self.metrics.observe_request(operation, status_holder[0], time.perf_counter() - started)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": getattr(route, "path", None) or "(unmatched)",
                    "status": status_holder[0],
                    "durationMs": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            correlation_id.reset(token)


# Seconds a client waits before trying again while the database is away (a restart or failover takes about this).
RETRY_AFTER_DATABASE_WEG = 5


async def _send_server_error(scope: Scope, send: Send, *, database_weg: bool = False) -> None:
    """500, or 503 with ``Retry-After`` when the database is away: nothing is wrong with the request, and a
    client (a partner system, a load balancer) should try it again instead of reporting a fault."""
    status, title, detail = (
        (503, "Service Unavailable", "The database cannot be reached; try again shortly")
        if database_weg
        else (500, "Internal Server Error", "The request could not be processed")
    )
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": scope["path"]}).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if database_weg:
        headers.append((b"retry-after", str(RETRY_AFTER_DATABASE_WEG).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_app(runtime: ServiceRuntime) -> FastAPI:
    definition = runtime.definition
    app = FastAPI(
        title=definition.title,
        version=definition.api_version,
        description=definition.description,
        redirect_slashes=False,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.authenticator = runtime.authenticator
    install_problem_handlers(app)
    for router in definition.routers:
        app.include_router(router, prefix=API_PREFIX)

    @app.get(OPENAPI_PATH, include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(openapi_for(app, runtime))

    add_operational_routes(app, runtime)
    app.add_middleware(ApiRulesMiddleware, api_version=definition.api_version, metrics=runtime.metrics)
    return app


def add_operational_routes(app: FastAPI, runtime: ServiceRuntime) -> None:
    """Health and metrics, outside ``/api/v1`` and without a token: for the platform, not for partners."""

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "up"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        checks = await runtime.readiness()
        ok = all(checks.values())
        body = {"status": "up" if ok else "down", "checks": {k: "up" if v else "down" for k, v in checks.items()}}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(await runtime.metrics.render(), media_type=METRICS_CONTENT_TYPE)


def create_worker_app(runtime: ServiceRuntime) -> FastAPI:
    """The small HTTP server of a relay/consumers/worker process: ``/metrics`` and the health endpoints only."""
    app = FastAPI(title=f"{runtime.definition.name} worker", openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    add_operational_routes(app, runtime)
    app.add_middleware(ApiRulesMiddleware, api_version=runtime.definition.api_version, metrics=runtime.metrics)
    return app


def openapi_for(app: FastAPI, runtime: ServiceRuntime) -> dict[str, Any]:
    if app.openapi_schema is None:
        app.openapi_schema = build_openapi(app, runtime)
    return app.openapi_schema


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_VERSION_HEADER = {
    "API-Version": {
        "description": "Full semantic version of this API",
        "schema": {"type": "string", "examples": ["1.0.0"]},
    }
}
_ERROR_TEXT = {
    "400": "Invalid input: every invalid field is listed in invalidParams",
    "401": "No valid bearer token",
    "403": "The token lacks the scope this operation needs",
    "404": "No such resource",
    "409": "Conflicts with the current state of the resource",
    "413": "The request body is larger than this operation accepts",
    "500": "Unexpected error",
    "502": "A service this operation depends on did not answer usefully",
    "503": "The database cannot be reached for now: try again after the Retry-After header's seconds",
}


def raises(*errors: type[DomainError] | int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route: the errors it answers beyond those every operation documents (400, 401, 403,
    500, 503, and 404 where the path names a resource), e.g. ``responses=raises(Conflict)``. The OpenAPI builder
    gives each the problem+json body; the fuzz run in the suite fails on any status a document leaves out."""
    statuses = (error if isinstance(error, int) else error.status for error in errors)
    return {status: {"description": _ERROR_TEXT.get(str(status), "Error")} for status in statuses}


def build_openapi(app: FastAPI, runtime: ServiceRuntime) -> dict[str, Any]:
    definition = runtime.definition
    document = get_openapi(
        title=definition.title,
        version=definition.api_version,
        description=definition.description,
        routes=app.routes,
        servers=[{"url": runtime.settings.public_url.rstrip("/") + API_PREFIX, "description": "This deployment"}],
        contact=runtime.platform.contact(),
        tags=[{"name": tag, "description": text} for tag, text in definition.tags.items()],
    )
    scopes_by_operation = _required_scopes(definition.routers)
    body_limits = _body_limits(definition.routers)
    paths: dict[str, Any] = {}
    for path, operations in document.get("paths", {}).items():
        relative = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path
        for method, operation in operations.items():
            _apply_rules(method, operation, scopes_by_operation.get((path, method.upper())))
            if "413" in operation["responses"]:
                limit = body_limits.get((path, method.upper()), MAX_BODY_BYTES)
                operation["responses"]["413"]["description"] = f"The request body is larger than {limit} bytes"
        paths[relative or "/"] = operations
    document["paths"] = paths
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["InvalidParam"] = InvalidParam.model_json_schema()
    schemas["Problem"].pop("$defs", None)
    return document


def _apply_rules(method: str, operation: dict[str, Any], scope: str | None) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    wanted = []
    if has_input or method in ("post", "put", "patch"):
        wanted.append("400")
    if "requestBody" in operation:
        wanted.append("413")
    if scope is not None:
        wanted += ["401", "403"]
        operation["description"] = (operation.get("description", "") + f"\n\nRequired scope: `{scope}`").strip()
        operation["x-required-scope"] = scope
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        wanted.append("404")
    wanted += ["500", "503"]  # 503: the database is away (``_send_server_error``)
    for status in wanted:
        responses.setdefault(status, {"description": _ERROR_TEXT.get(status, "Error")})
    for status, response in responses.items():
        if status[0] in "23":
            response.setdefault("headers", {}).update(_VERSION_HEADER)
        elif status[0] in "45":
            response["content"] = {"application/problem+json": {"schema": _PROBLEM_REF}}


def _required_scopes(routers: list[APIRouter]) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            for dependency in _walk(route.dependant):
                scope = getattr(dependency.call, "required_scope", None)
                if scope is not None:
                    for method in route.methods:
                        found[(API_PREFIX + route.path, method)] = scope
    return found


def _body_limits(routers: list[APIRouter]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for dependency in _walk(route.dependant):
                    if hasattr(dependency.call, "max_body_bytes"):
                        for method in route.methods:
                            found[(API_PREFIX + route.path, method)] = dependency.call.max_body_bytes
    return found
