"""Errors as ``application/problem+json`` (RFC 9457), invalid input as 400 listing every field.

Service code raises a ``DomainError`` subclass; one set of exception handlers turns every error
(validation, routing, auth, domain, unexpected) into a problem document.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from zorgtoezicht.logs import error_fields

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class InvalidParam(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The invalid field or parameter, dotted for nested fields", examples=["vestigingen.0.postcode"])
    code: str = Field(description="Machine-readable error code", examples=["postcode"])
    reason: str = Field(
        description="Why the value was refused", examples=["a postcode is written as 4 digits, a space and 2 capitals: 1234 AB"]
    )


class Problem(BaseModel):
    """An error (RFC 9457)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    type: str = Field("about:blank", description="URI of the problem type")
    title: str = Field(description="Short summary of the problem type", examples=["Not Found"])
    status: int = Field(description="HTTP status code", examples=[404])
    detail: str = Field(description="Explanation of this occurrence", examples=["No zorgaanbieder with this id"])
    instance: str | None = Field(None, description="The request path this problem came from")
    code: str | None = Field(None, description="Machine-readable error code")
    invalidParams: list[InvalidParam] | None = Field(None, description="Every invalid input field (status 400)")


class DomainError(Exception):
    """Base of the errors service code raises; carries its HTTP status and a stable code."""

    status: int = 400
    title: str = "Bad Request"
    code: str = "invalid"

    def __init__(self, detail: str, *, code: str | None = None, invalid_params: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.invalid_params = invalid_params


class InvalidInput(DomainError):
    status, title, code = 400, "Bad Request", "invalid"


class NotFound(DomainError):
    status, title, code = 404, "Not Found", "not_found"


class Conflict(DomainError):
    status, title, code = 409, "Conflict", "conflict"


class Unauthorized(DomainError):
    status, title, code = 401, "Unauthorized", "not_authenticated"


class Forbidden(DomainError):
    status, title, code = 403, "Forbidden", "forbidden"


class ContentTooLarge(DomainError):
    status, title, code = 413, "Content Too Large", "too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"The request body is larger than this operation accepts ({max_bytes} bytes)")


# A reply lists at most this many invalid fields: a body of 100,000 unknown keys must not get a 9 MB answer.
MAX_INVALID_PARAMS = 50


def problem_response(
    request: Request, status: int, title: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": request.url.path}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# Values of union discriminators (e.g. the kinds of melding): pydantic puts the chosen variant's tag in
# an error's location; the partner should see ``vastgesteldOp``, not ``wkkgz-calamiteit.vastgesteldOp``.
UNION_TAGS: set[str] = set()


def invalid_params_from(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    params = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if not (isinstance(part, str) and part in UNION_TAGS)]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            where, loc = loc[0], loc[1:]
        else:
            where = "body"
        if error.get("type") in ("union_tag_not_found", "union_tag_invalid") and "discriminator" in error.get("ctx", {}):
            loc.append(str(error["ctx"]["discriminator"]).strip("'"))  # name the tag field, e.g. soort
        name = ".".join(loc) if loc else where
        params.append({"name": name, "code": str(error.get("type", "invalid")), "reason": str(error.get("msg", "invalid value"))})
    return params


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        params = invalid_params_from(list(errors[:MAX_INVALID_PARAMS]))
        detail = "Invalid input: " + ", ".join(dict.fromkeys(p["name"] for p in params))
        if len(errors) > MAX_INVALID_PARAMS:
            detail += f" (and {len(errors) - MAX_INVALID_PARAMS} more invalid fields not listed)"
        return problem_response(request, 400, "Bad Request", detail, code="invalid", invalidParams=params)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> JSONResponse:
        headers = None
        if isinstance(error, Unauthorized):
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        elif isinstance(error, Forbidden):
            headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}
        return problem_response(
            request, error.status, error.title, error.detail, headers=headers, code=error.code, invalidParams=error.invalid_params
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not Found", 405: "Method Not Allowed", 401: "Unauthorized", 403: "Forbidden", 413: "Content Too Large"}
        detail = error.detail if isinstance(error.detail, str) else titles.get(error.status_code, "Error")
        if error.status_code == 404 and detail == "Not Found":
            detail = "No resource at this path (paths never end with a slash)"
        return problem_response(
            request, error.status_code, titles.get(error.status_code, "Error"), detail, headers=getattr(error, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # The type, SQLSTATE, constraint and stack, never the exception's text: it may hold SQL parameters or input.
        log.error("unhandled error", extra={"path": request.url.path, **error_fields(error)})
        return problem_response(request, 500, "Internal Server Error", "The request could not be processed")
