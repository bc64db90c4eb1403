"""Dutch identifiers as validated pydantic types, each with a clear error code and reason.

The error ``type`` (e.g. ``kvk_nummer``) becomes the ``code`` of the entry in ``invalidParams``.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError


def _formatted(code: str, regex: str, reason: str, example: str, description: str):
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(code, reason)
        return value

    schema = {"type": "string", "pattern": regex, "description": description, "examples": [example]}
    return Annotated[str, AfterValidator(check), WithJsonSchema(schema)]


KvkNummer = _formatted(
    "kvk_nummer",
    r"^[0-9]{8}$",
    "a KvK-nummer consists of exactly 8 digits",
    "69599084",
    "Chamber of Commerce number (KvK-nummer), 8 digits",
)
Vestigingsnummer = _formatted(
    "vestigingsnummer",
    r"^[0-9]{12}$",
    "a vestigingsnummer consists of exactly 12 digits",
    "000038509504",
    "KvK vestigingsnummer of an establishment, 12 digits",
)
Postcode = _formatted(
    "postcode",
    r"^[1-9][0-9]{3} [A-Z]{2}$",
    "a postcode is written as 4 digits, a space and 2 capitals: 1234 AB",
    "3511 AB",
    "Dutch postcode, written 1234 AB",
)
GemeenteNaam = _formatted(
    "gemeente",
    r"^\S(.{0,78}\S)?$",
    "a gemeente is a name of 1 to 80 characters without surrounding spaces",
    "Utrecht",
    "Name of the municipality (gemeente)",
)
AgbCode = _formatted(
    "agb_code",
    r"^[0-9]{8}$",
    "an AGB-code consists of exactly 8 digits",
    "01234567",
    "AGB-code (Vektis) of the care provider, 8 digits",
)
GemeenteCode = _formatted(
    "gemeente_code",
    r"^GM[0-9]{4}$",
    "a gemeente code is GM followed by the 4-digit CBS code, e.g. GM0363",
    "GM0363",
    "CBS code of the municipality (gemeentecode), GM and 4 digits",
)
