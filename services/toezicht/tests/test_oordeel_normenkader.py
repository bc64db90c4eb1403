"""The normenkader as data: a version and a content hash, every sector the general norms plus its own, and a
broken file refused with a message that says where (pure logic, no database)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from toezicht.normenkader import NormenkaderFout, kader, laad_kader, lees_kader
from zorgtoezicht.domain.sectoren import Sector

KLEIN = {
    "versie": "test-1",
    "algemeen": [{"id": "alg-1", "tekst": "Goede zorg", "bron": "Wkkgz art. 2"}],
    "sectoren": {"ggz": [{"id": "ggz-1", "tekst": "Zorgmachtiging", "bron": "Wvggz art. 8:9"}]},
}


def test_the_shipped_kader_is_an_example_with_its_hash_and_covers_several_sectors():
    inhoud = resources.files("toezicht").joinpath("normenkader.json").read_bytes()
    k = kader()
    assert k.inhoud_hash == hashlib.sha256(inhoud).hexdigest() and k.kenmerk == f"{k.versie}@{k.inhoud_hash[:12]}"
    assert "VOORBEELDKADER" in k.toelichting
    assert {Sector.verpleging_en_verzorging, Sector.ggz, Sector.gehandicaptenzorg, Sector.jeugd} <= set(k.sectoren)
    for sector in Sector:
        normen = k.voor(sector)
        assert list(normen)[: len(k.algemeen)] == [n.id for n in k.algemeen]
        assert all(n.bron and n.tekst for n in normen.values())
    bronnen = " ".join(n.bron for ns in (k.algemeen, *k.sectoren.values()) for n in ns)
    for wet in ("Wkkgz", "Wtza", "Wzd", "Wvggz", "Jeugdwet", "Kwaliteitskader verpleeghuiszorg"):
        assert wet in bronnen


def test_a_changed_text_changes_the_hash_but_not_the_version():
    een = lees_kader(json.dumps(KLEIN).encode())
    anders = json.loads(json.dumps(KLEIN))
    anders["algemeen"][0]["tekst"] = "Goede en veilige zorg"
    twee = lees_kader(json.dumps(anders).encode())
    assert een.versie == twee.versie and een.kenmerk != twee.kenmerk
    assert list(een.voor("ggz")) == ["alg-1", "ggz-1"] and list(een.voor(None)) == ["alg-1"]


@pytest.mark.parametrize(
    ("wijziging", "melding"),
    [
        (lambda d: d["sectoren"].update({"horeca": d["algemeen"]}), "unknown sector 'horeca'"),
        (lambda d: d["sectoren"]["ggz"].append({"id": "alg-1", "tekst": "x", "bron": "y"}), "appears twice"),
        (lambda d: d["algemeen"][0].update({"bron": ""}), "empty"),
        (lambda d: d["algemeen"][0].update({"id": "Alg 1"}), "is not like"),
        (lambda d: d.update({"versie": ""}), "versie"),
        (lambda d: d.update({"extra": 1}), "unknown keys"),
        (lambda d: d.update({"algemeen": []}), "non-empty list"),
    ],
)
def test_a_broken_kader_is_refused_saying_where(wijziging, melding):
    data = json.loads(json.dumps(KLEIN))
    wijziging(data)
    with pytest.raises(NormenkaderFout, match=melding):
        lees_kader(json.dumps(data).encode(), "kader.json")


def test_the_kader_file_is_configurable(tmp_path, monkeypatch):
    pad = tmp_path / "eigen.json"
    pad.write_text(json.dumps(KLEIN))
    monkeypatch.setenv("TOEZICHT_NORMENKADER", str(pad))
    assert laad_kader().versie == "test-1"
