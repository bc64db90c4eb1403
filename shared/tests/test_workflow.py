"""The workflow primitive's table (pure logic): what it allows, what it refuses with which code, what it will not accept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, MetaData, Table, Text

from zorgtoezicht import klok
from zorgtoezicht.http.problems import Conflict
from zorgtoezicht.workflow import Overgang, Workflow

GESCHIEDENIS = Table("zaak_status", MetaData(), Column("zaak_id", Text), Column("status", Text))


def workflow(*overgangen: Overgang, alleen_systeem: tuple[str, ...] = ("beoordeeld",)) -> Workflow:
    return Workflow(
        "zaak",
        overgangen
        or (
            Overgang("nieuw", "beoordeeld", "een regel beoordeelt elke zaak"),
            Overgang("beoordeeld", "gesloten", "afgehandeld"),
            Overgang("gesloten", "heropend", "nieuwe feiten"),
        ),
        begin="nieuw",
        geschiedenis=GESCHIEDENIS,
        aggregaat_kolom="zaak_id",
        alleen_systeem=alleen_systeem,
        audit=lambda z: {},
        zichtbaar=lambda z: {},
        conflict_code="ongeldige_zaakovergang",
    )


def test_allowed_steps_and_refusals_with_their_codes():
    w = workflow()
    assert w.statussen == ("nieuw", "beoordeeld", "gesloten", "heropend")
    assert w.naar("beoordeeld") == {"gesloten"} and w.naar("heropend") == frozenset()
    assert w.controleer("beoordeeld", "gesloten").reden == "afgehandeld"
    assert w.controleer("nieuw", "beoordeeld", door_systeem=True).naar == "beoordeeld"
    for van, naar in [("nieuw", "gesloten"), ("gesloten", "beoordeeld"), ("heropend", "nieuw"), ("onbekend", "gesloten")]:
        with pytest.raises(Conflict) as refused:
            w.controleer(van, naar)
        assert refused.value.code == "ongeldige_zaakovergang" and refused.value.status == 409
    with pytest.raises(Conflict) as refused:  # in the table, but only the system sets it
        w.controleer("nieuw", "beoordeeld")
    assert refused.value.code == "status_alleen_door_systeem"


@pytest.mark.parametrize(
    "overgangen",
    [
        (Overgang("a", "b", "x"), Overgang("a", "b", "y")),  # twice
        (Overgang("a", "a", "x"),),  # a loop is no step
        (Overgang("a", "b", " "),),  # no reason
    ],
)
def test_a_table_without_reasons_or_with_doubles_is_refused(overgangen):
    with pytest.raises(ValueError, match="repeated, a loop or has no reason"):
        workflow(*overgangen, alleen_systeem=())


def test_a_history_row_is_dated_by_the_clock():
    moment = datetime(2026, 5, 5, 10, tzinfo=UTC)
    with klok.gebruik(klok.VasteKlok(moment)):
        assert workflow().rij("z1", "gesloten", door="c", toelichting=None) == {
            "zaak_id": "z1",
            "status": "gesloten",
            "sinds": moment,
            "door": "c",
            "toelichting": None,
        }
    with pytest.raises(ValueError, match="unknown status"):
        workflow().rij("z1", "onbekend", door="c", toelichting=None)
