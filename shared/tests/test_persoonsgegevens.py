"""Personal data: the BSN type and 11-proef, field encryption, fingerprints, and BSN redaction in logs."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import stat

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from zorgtoezicht.http.problems import install_problem_handlers, invalid_params_from
from zorgtoezicht.logs import JsonFormatter
from zorgtoezicht.persoonsgegevens import (
    BSN_MASKER,
    Bsn,
    BsnRedactie,
    OntsleutelFout,
    PersoonsgegevensSettings,
    SleutelFout,
    Versleuteling,
    bsn_vingerafdruk,
    dev_sleutelring,
    install_bsn_redactie,
    is_geldig_bsn,
)

VALID = ["111222333", "123456782", "012345672", "999999990"]
# Off by one in a digit, wrong length, letters, all zeros, surrounding space, non-ASCII digits.
INVALID = [
    "111222334",
    "111222332",
    "123456781",
    "123456783",
    "123456789",
    "12345678",
    "1234567820",
    "",
    "12345678a",
    "abcdefghi",
    "000000000",
    " 123456782",
    "123456782 ",
    "١٢٣٤٥٦٧٨٢",
]


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


class Melding(BaseModel):
    bsn: Bsn | None = None
    omschrijving: str


# --------------------------------------------------------------------------------------------- BSN


@pytest.mark.parametrize("value", VALID)
def test_11_proef_accepts_valid_numbers(value):
    assert is_geldig_bsn(value)
    assert TypeAdapter(Bsn).validate_python(value) == value


@pytest.mark.parametrize("value", INVALID)
def test_11_proef_refuses_invalid_values(value):
    assert not is_geldig_bsn(value)
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Bsn).validate_python(value)
    [error] = caught.value.errors()
    assert error["type"] == "bsn"
    if value:
        assert value.strip() not in error["msg"]


def test_a_json_number_is_refused_so_a_leading_zero_cannot_be_lost():
    assert not is_geldig_bsn(12345672)
    with pytest.raises(ValidationError):
        TypeAdapter(Bsn).validate_json("12345672")


def test_json_schema_is_write_only_without_example():
    schema = TypeAdapter(Bsn).json_schema()
    assert schema["writeOnly"] is True
    assert "examples" not in schema and "example" not in schema
    assert schema["pattern"] == "^[0-9]{9}$"


def test_the_400_error_does_not_echo_the_bsn():
    wrong = "123456783"  # fails the 11-proef
    with pytest.raises(ValidationError) as caught:
        Melding(bsn=wrong, omschrijving="x")
    params = invalid_params_from(caught.value.errors())
    assert params == [{"name": "bsn", "code": "bsn", "reason": "this is not a valid BSN (it fails the 11-proef)"}]
    assert wrong not in json.dumps(params)


def test_a_real_400_response_does_not_echo_the_bsn():
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/meldingen")
    def create(melding: Melding) -> dict:
        return {}

    client = TestClient(app)
    for body in (
        {"bsn": "123456783", "omschrijving": "x"},  # invalid BSN
        {"bsn": "123456782"},  # valid BSN, another field missing (input = whole body)
        {"bsn": "12345678", "omschrijving": "x"},
    ):  # wrong length
        response = client.post("/meldingen", json=body)
        assert response.status_code == 400
        assert body["bsn"] not in response.text


# -------------------------------------------------------------------------------------- encryption


def test_round_trip_for_str_and_dict_and_ciphertext_holds_no_plaintext():
    crypto = Versleuteling({"1": _key()}, "1")
    for value in ("123456782", {"bsn": "123456782", "naam": "J. de Vries", "geboortedatum": "1950-01-01"}):
        blob = crypto.versleutel(value, context="melding-1")
        assert crypto.ontsleutel(blob, context="melding-1") == value
        assert b"123456782" not in blob and b"Vries" not in blob
        assert blob[:2] == bytes((1, 1))
    # Random nonce: the same value twice gives different blobs.
    assert crypto.versleutel("123456782", context="m") != crypto.versleutel("123456782", context="m")


def test_wrong_context_fails():
    crypto = Versleuteling({"1": _key()}, "1")
    blob = crypto.versleutel({"bsn": "123456782"}, context="melding-1")
    with pytest.raises(OntsleutelFout):
        crypto.ontsleutel(blob, context="melding-2")


@pytest.mark.parametrize("position", [0, 1, 2, 13, 14, -1])
def test_tampered_blob_fails(position):
    crypto = Versleuteling({"1": _key(), "2": _key()}, "1")
    blob = bytearray(crypto.versleutel({"bsn": "123456782"}, context="melding-1"))
    blob[position] ^= 0x03
    with pytest.raises(OntsleutelFout):
        crypto.ontsleutel(bytes(blob), context="melding-1")
    with pytest.raises(OntsleutelFout):
        crypto.ontsleutel(b"\x01\x01short", context="melding-1")


def test_a_different_key_cannot_decrypt():
    blob = Versleuteling({"1": _key()}, "1").versleutel("x", context="c")
    with pytest.raises(OntsleutelFout):
        Versleuteling({"1": _key()}, "1").ontsleutel(blob, context="c")


def test_key_rotation_keeps_old_blobs_readable():
    k1, k2 = _key(), _key()
    old = Versleuteling({"1": k1}, "1")
    blob1 = old.versleutel("123456782", context="melding-1")
    rotated = Versleuteling({"1": k1, "2": k2}, "2")
    assert rotated.ontsleutel(blob1, context="melding-1") == "123456782"
    blob2 = rotated.versleutel("123456782", context="melding-1")
    assert Versleuteling.sleutel_van(blob1) == 1 and Versleuteling.sleutel_van(blob2) == 2
    with pytest.raises(OntsleutelFout, match="not in the keyring"):
        old.ontsleutel(blob2, context="melding-1")
    again = rotated.herversleutel(blob1, context="melding-1")
    assert Versleuteling.sleutel_van(again) == 2
    assert Versleuteling({"2": k2}, "2").ontsleutel(again, context="melding-1") == "123456782"


def test_keyring_from_environment(monkeypatch):
    k1, k2 = _key(), _key()
    monkeypatch.setenv("ZT_PERSOONSGEGEVENS_SLEUTELS", json.dumps({"1": k1, "2": k2}))
    monkeypatch.setenv("ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL", "2")
    monkeypatch.setenv("ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL", _key())
    settings = PersoonsgegevensSettings()
    assert k1 not in repr(settings)
    crypto = Versleuteling.uit_instellingen(settings)
    assert Versleuteling.sleutel_van(crypto.versleutel("x", context="c")) == 2
    assert Versleuteling({"1": k1, "2": k2}, "1").ontsleutel(crypto.versleutel("x", context="c"), context="c") == "x"
    assert len(crypto.bsn_vingerafdruk("123456782")) == 64


def test_misconfigured_keyrings_are_refused(monkeypatch):
    monkeypatch.delenv("ZT_PERSOONSGEGEVENS_SLEUTELS", raising=False)
    monkeypatch.delenv("ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL", raising=False)
    with pytest.raises(SleutelFout):
        Versleuteling.uit_instellingen(PersoonsgegevensSettings())
    with pytest.raises(SleutelFout):
        Versleuteling({"1": base64.b64encode(b"short").decode()}, "1")
    with pytest.raises(SleutelFout):
        Versleuteling({"1": _key()}, "2")
    with pytest.raises(SleutelFout):
        Versleuteling({"256": _key()}, "256")


def test_dev_keyring_is_random_persisted_and_private(tmp_path):
    first = dev_sleutelring(tmp_path / "a")
    blob = first.versleutel({"bsn": "123456782"}, context="m")
    assert dev_sleutelring(tmp_path / "a").ontsleutel(blob, context="m") == {"bsn": "123456782"}
    with pytest.raises(OntsleutelFout):
        dev_sleutelring(tmp_path / "b").ontsleutel(blob, context="m")
    mode = stat.S_IMODE((tmp_path / "a" / "sleutelring.json").stat().st_mode)
    assert mode == 0o600
    assert first.bsn_vingerafdruk("123456782") == dev_sleutelring(tmp_path / "a").bsn_vingerafdruk("123456782")
    assert "sleutels=[1]" in repr(first)


# ------------------------------------------------------------------------------------- fingerprint


def test_fingerprint_is_stable_per_key_and_differs_between_keys():
    k1, k2 = os.urandom(32), os.urandom(32)
    a = bsn_vingerafdruk("123456782", k1)
    assert a == bsn_vingerafdruk("123456782", k1)
    assert a != bsn_vingerafdruk("123456782", k2)
    assert a != bsn_vingerafdruk("111222333", k1)
    assert "123456782" not in a and len(a) == 64
    with pytest.raises(ValueError):
        bsn_vingerafdruk("123456783", k1)
    with pytest.raises(SleutelFout):
        bsn_vingerafdruk("123456782", b"short")


# ----------------------------------------------------------------------------------- log redaction


@pytest.fixture
def json_log():
    """A logger writing real JsonFormatter lines to a buffer, with the redaction installed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.persoonsgegevens")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    install_bsn_redactie(logger)
    install_bsn_redactie(logger)  # twice is harmless

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, lines, stream
    logger.handlers, logger.propagate = [], True


def test_install_is_idempotent(json_log):
    logger, _, _ = json_log
    assert sum(isinstance(f, BsnRedactie) for f in logger.handlers[0].filters) == 1


def test_bsns_are_masked_in_message_and_extras(json_log):
    logger, lines, stream = json_log
    logger.info("melding voor patiënt 123456782 ontvangen")
    logger.info("patiënt %s, tweede %s", "111222333", "012345672")
    logger.info("BSN: 12345678 (oud nummer), bsn=999999999")  # after the word bsn: masked regardless
    logger.info(
        "ontvangen",
        extra={
            "patient": "bsn 123456782",
            "melder": {"bsn": "12345679", "nr": 111222333},
            "patientBsn": 87654321,
            "lijst": ["x 012345672 y"],
            "waarde": 123456782,
        },
    )
    raw = stream.getvalue()
    for bsn in ("123456782", "111222333", "012345672", "12345678", "999999999", "12345679", "87654321"):
        assert bsn not in raw
    first, second, third, fourth = lines()
    assert first["message"] == f"melding voor patiënt {BSN_MASKER} ontvangen"
    assert second["message"] == f"patiënt {BSN_MASKER}, tweede {BSN_MASKER}"
    assert third["message"] == f"BSN: {BSN_MASKER} (oud nummer), bsn={BSN_MASKER}"
    assert fourth["patient"] == f"bsn {BSN_MASKER}"
    assert fourth["melder"] == {"bsn": BSN_MASKER, "nr": BSN_MASKER}
    assert fourth["patientBsn"] == BSN_MASKER
    assert fourth["lijst"] == [f"x {BSN_MASKER} y"]
    assert fourth["waarde"] == BSN_MASKER


def test_other_numbers_are_left_alone(json_log):
    logger, lines, _ = json_log
    vestigingsnummer, kvk, not_a_bsn = "000038509504", "69599084", "123456789"
    uuid = "3f2b1c4d-0000-4000-8000-123456782123"  # a 12-digit group containing a valid BSN sequence
    logger.info("vestiging %s kvk %s nummer %s id %s", vestigingsnummer, kvk, not_a_bsn, uuid)
    logger.info(
        "ontvangen",
        extra={"vestigingsnummer": vestigingsnummer, "kvkNummer": kvk, "nummer": not_a_bsn, "aantal": 12, "zaak": 123456789, "ok": True},
    )
    first, second = lines()
    assert first["message"] == f"vestiging {vestigingsnummer} kvk {kvk} nummer {not_a_bsn} id {uuid}"
    assert second["vestigingsnummer"] == vestigingsnummer
    assert second["kvkNummer"] == kvk
    assert second["nummer"] == not_a_bsn
    assert second["aantal"] == 12 and second["zaak"] == 123456789 and second["ok"] is True


def test_exception_text_is_masked(json_log):
    logger, lines, stream = json_log
    try:
        Melding(bsn="123456782", omschrijving=None)  # pydantic puts input_value=… (the whole dict) in the text
    except ValidationError:
        logger.exception("validation failed")
    assert "123456782" not in stream.getvalue()
    [entry] = lines()
    assert "ValidationError" in entry["exception"] and BSN_MASKER in entry["exception"]


def test_records_from_child_loggers_are_masked_on_the_parent_handler(json_log):
    _logger, lines, stream = json_log
    logging.getLogger("test.persoonsgegevens.kind").warning("bsn 123456782")
    assert "123456782" not in stream.getvalue()
    assert lines()[0]["message"] == f"bsn {BSN_MASKER}"


def test_install_on_root_handlers():
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    try:
        install_bsn_redactie()
        install_bsn_redactie()
        assert sum(isinstance(f, BsnRedactie) for f in handler.filters) == 1
        logging.getLogger("elders").warning("patiënt %s", "123456782")
        assert "123456782" not in stream.getvalue() and BSN_MASKER in stream.getvalue()
    finally:
        root.removeHandler(handler)
