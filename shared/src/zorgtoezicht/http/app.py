"""The FastAPI application every service gets: NL API Design Rules applied in one place.

- base path ``/api/v1``, ``API-Version`` on every response, a trailing slash is 404 (no redirect);
- ``/api/v1/openapi.json`` public with ``Access-Control-Allow-Origin: *``, ``servers`` and contact;
- errors as problem+json, invalid input 400 listing every field, unknown query parameters 400;
- security headers on every response; the correlation id in and out (``X-Correlation-ID``);
- ``/health/live`` and ``/health/ready`` outside the versioned API, without authentication.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zorgtoezicht.http.problems import DomainError, InvalidParam, Problem, install_problem_handlers
from zorgtoezicht.logs import correlation_id, new_correlation_id

if TYPE_CHECKING:
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
    """Refuses query parameters the operation does not declare (400), as the ZGW APIs do."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Any]]:
        handler = super().get_route_handler()
        allowed = {param.alias for dependant in _walk(self.dependant) for param in dependant.query_params}

        async def route_handler(request: Request) -> Any:
            unknown = [key for key in request.query_params if key not in allowed]
            if unknown:
                raise RequestValidationError(
                    [{"loc": ("query", key), "type": "unknown_parameter", "msg": "unknown query parameter"} for key in unknown]
                )
            return await handler(request)

        return route_handler


def _walk(dependant: Dependant):  # noqa: ANN202 - yields the dependant and all its sub-dependants
    yield dependant
    for sub in dependant.dependencies:
        yield from _walk(sub)


def api_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=ApiRoute, **kwargs)


class ApiRulesMiddleware:
    """Pure ASGI (cheap on the hot path): correlation id, API-Version, security headers, access log."""

    def __init__(self, app: ASGIApp, *, api_version: str) -> None:
        self.app = app
        self.api_version = api_version.encode()

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

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
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

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "up"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        checks = await runtime.readiness()
        ok = all(checks.values())
        body = {"status": "up" if ok else "down", "checks": {k: "up" if v else "down" for k, v in checks.items()}}
        return JSONResponse(body, status_code=200 if ok else 503)

    app.add_middleware(ApiRulesMiddleware, api_version=definition.api_version)
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
    "500": "Unexpected error",
    "502": "A service this operation depends on did not answer usefully",
}


def raises(*errors: type[DomainError] | int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route: the errors it answers beyond those every operation documents (400, 401, 403,
    500, and 404 where the path names a resource), e.g. ``responses=raises(Conflict)``. The OpenAPI builder
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
    paths: dict[str, Any] = {}
    for path, operations in document.get("paths", {}).items():
        relative = path[len(API_PREFIX):] if path.startswith(API_PREFIX) else path
        for method, operation in operations.items():
            _apply_rules(method, operation, scopes_by_operation.get((path, method.upper())))
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
    if scope is not None:
        wanted += ["401", "403"]
        operation["description"] = (operation.get("description", "") + f"\n\nRequired scope: `{scope}`").strip()
        operation["x-required-scope"] = scope
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        wanted.append("404")
    wanted.append("500")
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
