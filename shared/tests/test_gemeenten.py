"""The packaged list of Dutch municipalities (CBS gemeentecodes, 2025): complete, unique, well-formed."""

from __future__ import annotations

import csv
import re
from importlib import resources

from zorgtoezicht.domain.gemeenten import gemeenten, naam_van


def _rows() -> list[list[str]]:
    with resources.files("zorgtoezicht.domain").joinpath("gemeenten.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_the_file_has_a_header_and_one_well_formed_row_per_municipality():
    rows = _rows()
    assert rows[0] == ["code", "naam"]
    for row in rows[1:]:
        assert len(row) == 2, row
        code, naam = row
        assert re.fullmatch(r"GM[0-9]{4}", code), code
        assert naam == naam.strip() and naam, row


def test_all_342_current_municipalities_with_unique_codes_and_names():
    rows = _rows()[1:]
    assert len(rows) == 342  # CBS gemeentelijke indeling 2025
    assert len({code for code, _ in rows}) == 342
    assert len({naam for _, naam in rows}) == 342
    assert len(gemeenten()) == 342


def test_well_known_codes():
    assert naam_van("GM0363") == "Amsterdam"
    assert naam_van("GM0344") == "Utrecht"
    assert naam_van("GM0599") == "Rotterdam"
    assert naam_van("GM0518") == "'s-Gravenhage"
    assert naam_van("GM0014") == "Groningen"
    assert naam_van("GM0772") == "Eindhoven"
    assert naam_van("GM0796") == "'s-Hertogenbosch"
    assert naam_van("GM1900") == "Súdwest-Fryslân"  # UTF-8, Frisian spelling as CBS writes it


def test_recent_mergers_are_applied():
    # 2022: Weesp joined Amsterdam; Heerhugowaard + Langedijk → Dijk en Waard; Land van Cuijk; Maashorst.
    # 2023: Brielle + Hellevoetsluis + Westvoorne → Voorne aan Zee.
    assert naam_van("GM0457") is None  # Weesp
    for old in ("GM0501", "GM0530", "GM0614"):  # Brielle, Hellevoetsluis, Westvoorne
        assert naam_van(old) is None
    assert naam_van("GM1992") == "Voorne aan Zee"
    assert naam_van("GM1980") == "Dijk en Waard"
    assert naam_van("GM1982") == "Land van Cuijk"
    assert naam_van("GM1991") == "Maashorst"
    assert naam_van("GM9999") is None
