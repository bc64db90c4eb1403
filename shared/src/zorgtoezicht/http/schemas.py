"""Base models for API bodies: camelCase on the wire, unknown fields refused; pages (cursors: ``zorgtoezicht.http.paging``)."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True)


class Page(ApiModel, Generic[T]):
    """One page of a collection in a stable order; follow ``next`` until it is null."""

    results: list[T]
    next: str | None = Field(None, description="URL of the next page, absent on the last page")


def json_response(body: BaseModel, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``body`` as the operation's JSON response, serialised once (camelCase, as its ``response_model``
    would be): returning the model itself makes FastAPI validate what it was just built from again."""
    return Response(body.model_dump_json(by_alias=True), status_code=status_code, headers=headers, media_type="application/json")
