"""handhaving under test: the service in process on a fresh, migrated PostgreSQL database, with a fixed clock,
one known provider, and helpers that walk a besluit through the Awb procedure over the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from handhaving import repository
from zorgtoezicht import klok
from zorgtoezicht.testing.harness import start_service

ZORGAANBIEDER = uuid.UUID("7d6f3c1e-0a4b-4c2d-9e8f-1a2b3c4d5e6f")
LEZEN = "handhaving.besluiten.lezen"
VOORSTELLEN = "handhaving.besluiten.voorstellen"
NEMEN = "handhaving.besluiten.nemen"
VASTSTELLING = {
    "motivering": "De norm vv-2.1 is bij herhaling niet nageleefd.",
    "grondslag": "Wet kwaliteit, klachten en geschillen zorg, art. 27",
    "rechtsmiddelenclausule": "Binnen zes weken na de dag van bekendmaking kunt u bezwaar maken.",
}


# A valid voornemen's instrumentgegevens per instrument (the tests that are not about them use these).
INSTRUMENTGEGEVENS = {
    "verbeterplan": {"termijnDagen": 90},
    "verscherpt-toezicht": {"termijnDagen": 180},
    "aanwijzing": {"termijnDagen": 42},
    "patientenstop": {},
    "bevel": {"handhavingsmiddel": "bestuursdwang"},
    "last-onder-bestuursdwang": {"begunstigingstermijnDagen": 28, "teTreffenMaatregelen": "De medicatiekamer afsluiten."},
    "last-onder-dwangsom": {
        "begunstigingstermijnDagen": 28,
        "bedragsoort": "per-tijdseenheid",
        "bedrag": "500.00",
        "maximum": "25000.00",
        "tijdseenheid": "week",
    },
}


def op(dag: date, uur: int = 10) -> datetime:
    return datetime(dag.year, dag.month, dag.day, uur, 0, tzinfo=klok.NL)


@pytest.fixture
async def handhaving(databases, auth):
    service = await start_service("handhaving", databases, auth)
    async with service.runtime.db.transaction() as session:
        await repository.add_zorgaanbieder(session, ZORGAANBIEDER, "12345678")
    yield service
    await service.close()


@pytest.fixture
def vaste_klok():
    """The injected clock stands on Monday 1 June 2026; a test moves it with ``zet`` instead of waiting."""
    with klok.gebruik(klok.VasteKlok(op(date(2026, 6, 1)))) as tijd:
        yield tijd


class Procedure:
    """Walks besluiten through the Awb procedure over the API, as the inspecteur and the jurist."""

    def __init__(self, service, auth) -> None:
        self.service, self.auth = service, auth

    # minted when used: a token is valid from the (fixed) clock's moment
    @property
    def inspecteur(self) -> dict:
        return self.auth.headers("inspecteur", VOORSTELLEN)

    @property
    def jurist(self) -> dict:
        return self.auth.headers("jurist", NEMEN)

    @property
    def lezer(self) -> dict:
        return self.auth.headers("lezer", LEZEN)

    async def zaak(self, **body) -> dict:
        response = await self.service.client.post(
            "/api/v1/handhavingszaken", json={"zorgaanbiederId": str(ZORGAANBIEDER), **body}, headers=self.inspecteur
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def voornemen(self, zaak_id: str, besluittype: str = "aanwijzing", instrumentgegevens: dict | None = None) -> dict:
        gegevens = INSTRUMENTGEGEVENS.get(besluittype, {}) if instrumentgegevens is None else instrumentgegevens
        response = await self.service.client.post(
            f"/api/v1/handhavingszaken/{zaak_id}/besluiten",
            json={"besluittype": besluittype, "toelichting": "tekortkomingen bij inspectiebezoek", "instrumentgegevens": gegevens},
            headers=self.inspecteur,
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def post(self, pad: str, body: dict, headers: dict):
        return await self.service.client.post(f"/api/v1/{pad}", json=body, headers=headers)

    async def besluit(self, besluit_id: str) -> dict:
        response = await self.service.client.get(f"/api/v1/besluiten/{besluit_id}", headers=self.lezer)
        assert response.status_code == 200, response.text
        return response.json()

    async def bekendgemaakt(self, besluittype: str = "aanwijzing", instrumentgegevens: dict | None = None, **bekendmaking) -> dict:
        """A besluit heard, taken and made known today (the clock's day)."""
        zaak = await self.zaak()
        b = await self.voornemen(zaak["id"], besluittype, instrumentgegevens)
        assert (await self.post(f"besluiten/{b['id']}/zienswijzeverzoek", {}, self.inspecteur)).status_code == 200
        vandaag = klok.vandaag().isoformat()
        genomen = await self.post(f"besluiten/{b['id']}/vaststelling", {**VASTSTELLING, "zienswijzeOntvangenOp": vandaag}, self.jurist)
        assert genomen.status_code == 200, genomen.text
        bekend = await self.post(f"besluiten/{b['id']}/bekendmaking", bekendmaking, self.jurist)
        assert bekend.status_code == 200, bekend.text
        return bekend.json()


@pytest.fixture
def procedure(handhaving, auth) -> Procedure:
    return Procedure(handhaving, auth)
