"""Logs without personal data (issue 8): no SQL parameters, no PostgreSQL DETAIL, no request bodies; the BSN
filter catches spaced and dotted BSNs and leaves UUIDs and hex ids intact; ``personal_data_in`` finds leaks."""

from __future__ import annotations

import io
import json
import logging

import pytest
from sqlalchemy.exc import IntegrityError

from meldpunt.voorbeelden import melding
from zorgtoezicht.logs import JsonFormatter, describe_error, error_fields, personal_data_in
from zorgtoezicht.persoonsgegevens import BSN_MASKER, install_bsn_redactie, redigeer_bsn

NAAM = "Annelies Verbeek-Gravemaker"
BSN = "111222333"  # passes the 11-proef
KVK = "69599084"
OMSCHRIJVING = f"Mevrouw {NAAM} (bsn 111 222 333, ook bekend als {BSN}) viel tweemaal"


@pytest.fixture
def captured():
    """The services' real log path: JSON lines on a root handler with the BSN filter, as configure_logging sets up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    install_bsn_redactie()
    level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


# --------------------------------------------------------------------------------------- the BSN filter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("patiënt 111222333 opgenomen", f"patiënt {BSN_MASKER} opgenomen"),
        ("patiënt 111 222 333 opgenomen", f"patiënt {BSN_MASKER} opgenomen"),
        ("patiënt 111.222.333 opgenomen", f"patiënt {BSN_MASKER} opgenomen"),
        ("patiënt 1112.22.333 opgenomen", f"patiënt {BSN_MASKER} opgenomen"),  # the way a BSN is often printed: 4-2-3
        ("patiënt 111-222-333 opgenomen", f"patiënt {BSN_MASKER} opgenomen"),
        ("bsn: 1234 5678", f"bsn: {BSN_MASKER}"),  # right after the word: masked whatever the 11-proef says
        ("(123456782)", f"({BSN_MASKER})"),
    ],
)
def test_bsns_in_every_written_form_are_masked(text, expected):
    assert redigeer_bsn(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "melding 7c0e3f2a-51d4-4b8e-9f1a-f9a111222333 ontvangen",  # the case: …-f9a[bsn verwijderd]
        "melding 7C0E3F2A-51D4-4B8E-9F1A-111222333ABC ontvangen",
        "melding 00000000-0000-4000-8000-111222333000 ontvangen",  # a group of digits only, a BSN inside
        "trace 4bf92f3577b34da6a3ce929d0e0e4736111222333 en span 00f067aa0ba902b7",
        "sha f9a111222333",
        "1112223334",  # ten digits: no BSN
        "vestiging 000038509504 kvk 69599084 nummer 123456789",
        "2026-12-02T17:17:16.123Z duur 123.45 ms",
    ],
)
def test_ids_and_other_numbers_are_left_intact(text):
    assert redigeer_bsn(text) == text


def test_the_filter_masks_spaced_and_dotted_bsns_in_real_log_lines_and_keeps_uuids(captured):
    melding_id = "7c0e3f2a-51d4-4b8e-9f1a-f9a111222333"
    log = logging.getLogger("test.logs")
    log.warning("melding %s voor 111 222 333", melding_id, extra={"meldingId": melding_id, "notitie": "bsn 1112.22.333"})
    [entry] = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert entry["message"] == f"melding {melding_id} voor {BSN_MASKER}"
    assert entry["meldingId"] == melding_id
    assert entry["notitie"] == f"bsn {BSN_MASKER}"


# -------------------------------------------------------------------------------------- the scanner


def test_personal_data_in_finds_leaks_and_passes_clean_text():
    clean = json.dumps(
        {
            "message": "request",
            "route": "/meldingen/{meldingId}",
            "id": "7c0e3f2a-51d4-4b8e-9f1a-f9a111222333",
            "error": "sqlalchemy.exc.IntegrityError (SQLSTATE 23505, constraint uq_x)",
        }
    )
    assert personal_data_in(clean, known=[NAAM]) == []
    assert personal_data_in("patiënt 111 222 333") == ["line 1: a BSN-like number"]
    assert personal_data_in("melder j.jansen@example.nl") == ["line 1: an e-mail address"]
    assert personal_data_in("[SQL: INSERT …]\n[parameters: ('x',)]") == ["line 2: SQL parameters or input values ('[parameters:')"]
    assert personal_data_in("DETAIL:  Key (kvk_nummer)=(69599084) already exists.") == [
        "line 1: SQL parameters or input values ('DETAIL:')"
    ]
    assert personal_data_in(f"door {NAAM.upper()}", known=[NAAM]) == [f"known value {NAAM!r}"]


# ------------------------------------------------------------------------- a database error, for real


async def execute(service, sql: str, **params) -> None:
    from sqlalchemy import text

    async with service.runtime.db.transaction() as session:
        await session.execute(text(sql), params)


async def test_a_database_error_logs_neither_the_free_text_nor_the_bsn(chain, auth, captured):
    meldpunt = chain["meldpunt"]
    # Make every new melding fail in PostgreSQL itself: its error then carries the row ("Failing row contains (…)")
    # and SQLAlchemy's the statement's parameters, the two ways free text used to reach the log.
    await execute(meldpunt, "ALTER TABLE melding ADD CONSTRAINT weiger_alles CHECK (false) NOT VALID")
    body = melding("signaal", omschrijving=OMSCHRIJVING, melder={"rol": "burger-naaste", "naam": NAAM})
    response = await meldpunt.client.post("/api/v1/meldingen", json=body, headers=auth.headers("p", "meldpunt.meldingen.indienen"))
    assert response.status_code == 500
    assert response.json()["detail"] == "The request could not be processed" and NAAM not in response.text

    logs = captured.getvalue()
    entries = [json.loads(line) for line in logs.splitlines()]
    [unhandled] = [e for e in entries if e["message"] == "unhandled error"]
    assert unhandled["sqlstate"] == "23514" and unhandled["constraint"] == "weiger_alles"
    assert "IntegrityError" in unhandled["errorType"] and "CheckViolationError" in " ".join(unhandled["errorTypes"])
    assert "Traceback" in unhandled["stack"]  # where it happened stays known
    for secret in (NAAM, "Verbeek", BSN, "111 222 333", "viel tweemaal"):
        assert secret not in logs, secret
    assert personal_data_in(logs, known=[NAAM, OMSCHRIJVING]) == []


async def test_error_descriptions_name_type_sqlstate_and_constraint_only(chain):
    register = chain["register"]
    await execute(register, "CREATE TABLE proef (kvk text, naam text, CONSTRAINT weiger_alles CHECK (naam IS NULL))")
    with pytest.raises(IntegrityError) as raised:
        await execute(register, "INSERT INTO proef (kvk, naam) VALUES (:kvk, :naam)", kvk=KVK, naam=NAAM)
    assert NAAM in raised.value.orig.__cause__.detail  # PostgreSQL's DETAIL repeats the row …
    described = describe_error(raised.value)
    assert described.startswith("sqlalchemy.exc.IntegrityError ← ")
    assert described.endswith("(SQLSTATE 23514, constraint weiger_alles)")
    fields = error_fields(raised.value)
    assert NAAM not in json.dumps(fields) and KVK not in json.dumps(fields)  # … the description never does
    assert "SQL parameters hidden" in str(raised.value)  # and the engine keeps the parameters out of the text


def test_infrastructure_errors_keep_their_text_other_errors_do_not():
    assert describe_error(ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 9092)")) == (
        "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 9092)"
    )
    assert describe_error(ValueError(f"onbekende naam {NAAM}")) == "ValueError"
    try:
        try:
            raise KeyError(NAAM)
        except KeyError as inner:
            raise RuntimeError(f"verwerking van {NAAM} mislukt") from inner
    except RuntimeError as error:
        fields = error_fields(error)
    assert fields["errorTypes"] == ["RuntimeError", "KeyError"]
    assert NAAM not in fields["stack"] and "raise KeyError(NAAM)" in fields["stack"]  # code lines, not values
