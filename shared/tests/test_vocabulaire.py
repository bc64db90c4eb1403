"""One vocabulary (issue 8): the allowed values of a concept are declared once, as a StrEnum in
``zorgtoezicht.domain``, and nowhere written out again as a list, a ``Literal[...]``, a dict's keys, a
regular expression or an SQL ``IN (...)`` in the source of the services and the platform."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from enum import StrEnum
from pathlib import Path

import pytest

import zorgtoezicht.domain
from zorgtoezicht.domain.meldingen import HulpmiddelErnst, MelderRol, MeldingStatus, Route
from zorgtoezicht.domain.zorgaanbieders import VergunningStatus, Vergunningstatus, ZorgaanbiederSoort

ROOT = Path(__file__).resolve().parents[2]
# Production code only: tests (and the benchmarks' load mixes) write their values out by hand on purpose,
# and meldpunt's examples are request bodies in wire form, one per kind, for the README and the tests.
BRONNEN = [ROOT / "shared" / "src", *ROOT.glob("services/*/src"), *ROOT.glob("services/*/migrations")]
VOORBEELDEN = ROOT / "services" / "meldpunt" / "src" / "meldpunt" / "voorbeelden.py"


def vocabulaires() -> list[type[StrEnum]]:
    gevonden: dict[str, type[StrEnum]] = {}
    for module in pkgutil.iter_modules(zorgtoezicht.domain.__path__, "zorgtoezicht.domain."):
        for waarde in vars(importlib.import_module(module.name)).values():
            if isinstance(waarde, type) and issubclass(waarde, StrEnum) and waarde is not StrEnum:
                gevonden[f"{waarde.__module__}.{waarde.__qualname__}"] = waarde
    return list(gevonden.values())


def is_kopie(woorden: list[str], vocabulaire: type[StrEnum]) -> bool:
    """Words that spell out (most of) a vocabulary: all its values, or at least three and at least half."""
    waarden = {v.value for v in vocabulaire}
    geraakt = waarden & set(woorden)
    return geraakt == waarden or (len(geraakt) >= 3 and 2 * len(geraakt) >= len(waarden))


def woordenlijsten(bron: str) -> list[tuple[int, list[str]]]:
    """Every written-out list of words in Python source: the string elements of a tuple, list or set, the
    string keys of a dict, the strings of a ``Literal[...]``, and the words of a regex alternation or a
    quoted SQL list inside one string."""
    lijsten: list[tuple[int, list[str]]] = []

    def teksten(knopen: list[ast.expr | None]) -> list[str]:
        return [k.value for k in knopen if isinstance(k, ast.Constant) and isinstance(k.value, str)]

    boom = ast.parse(bron)
    documentatie = {id(k.value) for k in ast.walk(boom) if isinstance(k, ast.Expr) and isinstance(k.value, ast.Constant)}
    for knoop in ast.walk(boom):
        if id(knoop) in documentatie:
            continue  # a docstring is prose: "aangevraagd → verleend | geweigerd" is not a vocabulary
        if isinstance(knoop, (ast.Tuple, ast.List, ast.Set)):
            lijsten.append((knoop.lineno, teksten(knoop.elts)))
        elif isinstance(knoop, ast.Dict):
            lijsten.append((knoop.lineno, teksten(knoop.keys)))
        elif isinstance(knoop, ast.Subscript) and isinstance(knoop.slice, ast.Constant):
            lijsten.append((knoop.lineno, teksten([knoop.slice])))
        elif isinstance(knoop, ast.Constant) and isinstance(knoop.value, str):
            tekst = knoop.value
            woorden = re.findall(r"'([a-z0-9-]+)'", tekst)
            if "|" in tekst:
                woorden += re.findall(r"[a-z][a-z0-9-]*", tekst)
            lijsten.append((knoop.lineno, woorden))
    return lijsten


def kopieen(bron: str, vocabulaire: type[StrEnum]) -> list[int]:
    return [regel for regel, woorden in woordenlijsten(bron) if is_kopie(woorden, vocabulaire)]


# -- the scanner finds what issue 8 found: each of these was in the tree before -------------------------


@pytest.mark.parametrize(
    ("bron", "vocabulaire"),
    [
        (
            'Status = Literal["ontvangen", "getrieerd", "in-behandeling", "wacht-op-zorgaanbieder", "afgesloten", '
            '"doorverwezen", "heropend"]',
            MeldingStatus,
        ),
        ('open_statussen = ("ontvangen", "getrieerd", "in-behandeling", "wacht-op-zorgaanbieder", "heropend")', MeldingStatus),
        ('q = Query(pattern="^(direct-escaleren|onderzoek-door-zorgaanbieder|beoordelen|registreren|doorverwijzen)$")', Route),
        ('MELDER_ROLLEN = ("zorgaanbieder", "burger-naaste", "fabrikant", "gemeente", "toezichthouder", "intern")', MelderRol),
        (
            'MDR = {"ernstig-incident": 1, "overlijden-of-ernstige-verslechtering": 2, "ernstige-bedreiging-volksgezondheid": 3}',
            HulpmiddelErnst,
        ),
        ('soort: Literal["solist", "instelling"] = "instelling"', ZorgaanbiederSoort),
        (
            "sql = \"ALTER TABLE vergunning ADD CHECK (status IN ('aangevraagd', 'verleend', 'geweigerd', 'ingetrokken'))\"",
            VergunningStatus,
        ),
    ],
)
def test_the_scanner_finds_a_written_out_vocabulary(bron: str, vocabulaire: type[StrEnum]) -> None:
    assert kopieen(bron, vocabulaire) == [1]


@pytest.mark.parametrize(
    "bron",
    [
        'x = ["verleend", "geweigerd"]',  # two of five: a choice, not the vocabulary
        "besluit: Literal[VergunningStatus.verleend, VergunningStatus.geweigerd]",
        'if status in ("aangevraagd", "verleend"): pass',
        'tekst = "Vergunning verleend | geweigerd"',
        '"""A licence: aangevraagd | verleend | geweigerd | ingetrokken."""',  # a docstring is prose
    ],
)
def test_the_scanner_leaves_a_subset_or_enum_members_alone(bron: str) -> None:
    assert kopieen(bron, Vergunningstatus) == []


def test_the_vocabularies_of_issue_8_are_enums_in_the_domain_package() -> None:
    namen = {v.__name__ for v in vocabulaires()}
    assert {
        "MeldingStatus",
        "Route",
        "MelderRol",
        "HulpmiddelErnst",
        "Prioriteit",
        "ZorgaanbiederSoort",
        "Rechtsvorm",
        "Financiering",
        "Zorgsoort",
        "ZorgaanbiederStatus",
        "VergunningStatus",
        "Vergunningstatus",
        "Uitzondering",
        "Intrekkingsgrond",
        "Vervolgstap",
        "AandachtspuntStatus",
    } <= namen


# -- and the tree holds no copy ---------------------------------------------------------------------------


def test_no_vocabulary_is_written_out_again_in_the_source() -> None:
    bestanden = sorted(p for bron in BRONNEN for p in bron.rglob("*.py") if p != VOORBEELDEN)
    assert len(bestanden) > 50  # the scan reads the tree, not an empty folder
    gevonden = [
        f"{pad.relative_to(ROOT)}:{regel}: {vocabulaire.__name__}"
        for pad in bestanden
        for vocabulaire in vocabulaires()
        for regel in kopieen(pad.read_text(encoding="utf-8"), vocabulaire)
    ]
    assert gevonden == [], "values written out again; use the enum from zorgtoezicht.domain instead:\n" + "\n".join(gevonden)


# -- the column type refuses a value outside the vocabulary before the database sees it -------------------


def test_a_vocabulary_column_refuses_an_unknown_value_and_reads_back_members() -> None:
    from sqlalchemy.dialects import postgresql

    from zorgtoezicht.db import Vocabulaire

    kolom, dialect = Vocabulaire(MeldingStatus), postgresql.dialect()
    assert kolom.process_bind_param("in-behandeling", dialect) == "in-behandeling"
    assert kolom.process_bind_param(None, dialect) is None
    with pytest.raises(ValueError, match="'in behandeling' is not a valid MeldingStatus"):
        kolom.process_bind_param("in behandeling", dialect)
    assert kolom.process_result_value("heropend", dialect) is MeldingStatus.heropend
    assert str(kolom.compile(dialect=dialect)) == "TEXT"  # the column stays TEXT: no migration
