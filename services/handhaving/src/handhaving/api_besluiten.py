"""handhaving's operations on the Awb procedure: cases, besluiten step by step, objections (under /api/v1).

One operation per step, each with its role's scope: the inspecteur proposes and asks the provider's view
(``voorstellen``), the jurist decides, makes known, revokes and decides objections (``nemen``).
"""

import uuid
from typing import Annotated

from fastapi import Depends, Header, Path, Response

from handhaving import procedure, repository, schemas
from handhaving.models import Besluit as BesluitRij
from zorgtoezicht import klok
from zorgtoezicht.audit import actor_from
from zorgtoezicht.domain.handhaving import Aanleiding
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.problems import Conflict, InvalidInput
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime
from zorgtoezicht.werk import Werk

LEZEN = "handhaving.besluiten.lezen"
VOORSTELLEN = "handhaving.besluiten.voorstellen"
NEMEN = "handhaving.besluiten.nemen"
SCOPES = {
    LEZEN: "read cases, besluiten and objections",
    VOORSTELLEN: "open cases, propose besluiten and ask the provider's view (inspecteur)",
    NEMEN: "take, make known, revoke besluiten and decide objections (jurist)",
}
TAGS = {"handhavingszaken": "Enforcement cases", "besluiten": "Formal decisions along the Awb procedure (ZGW Besluit shape)"}

router = api_router()

AuditToelichting = Annotated[str | None, Header(alias="X-Audit-Toelichting", max_length=1000)]


def _werk(scope: str, *alternatives: str):  # a dependency factory
    async def werk(
        session: DbSession,
        runtime: Runtime,
        client: Annotated[Client, require_scope(scope, *alternatives)],
        toelichting: AuditToelichting = None,
    ) -> Werk:
        return runtime.werk(session, actor_from(client, toelichting))

    return werk


Leeswerk = Annotated[Werk, Depends(_werk(LEZEN, VOORSTELLEN, NEMEN))]
Voorstelwerk = Annotated[Werk, Depends(_werk(VOORSTELLEN))]
Besliswerk = Annotated[Werk, Depends(_werk(NEMEN))]
ZaakId = Annotated[uuid.UUID, Path(alias="zaakId")]
BesluitId = Annotated[uuid.UUID, Path(alias="besluitId")]
BezwaarId = Annotated[uuid.UUID, Path(alias="bezwaarId")]


def besluit_uit(b: BesluitRij) -> schemas.Besluit:
    return schemas.Besluit.model_validate(
        {
            **{k: getattr(b, k) for k in schemas.Besluit.model_fields if hasattr(b, k)},
            "in_werking": procedure.in_werking(b, klok.vandaag()),
        }
    )


async def _zaak_uit(werk: Werk, zaak_id: uuid.UUID) -> schemas.Zaak:
    zaak = await procedure.zaak(werk, zaak_id)
    besluiten = await procedure.besluiten_van(werk, zaak_id)
    verwijzingen = [schemas.Verwijzing.model_validate(v) for v in await procedure.verwijzingen_van(werk, zaak_id)]
    afgeleid = {"besluiten": [b.id for b in besluiten], "verwijzingen": verwijzingen}
    return schemas.Zaak.model_validate({**{k: getattr(zaak, k) for k in schemas.Zaak.model_fields if k not in afgeleid}, **afgeleid})


@router.post(
    "/handhavingszaken",
    status_code=201,
    response_model=schemas.Zaak,
    operation_id="handhavingszaakOpenen",
    tags=["handhavingszaken"],
    summary="Open an enforcement case by hand; a waarschuwing still valid makes the system propose a boete",
)
async def zaak_openen(body: schemas.ZaakIn, werk: Voorstelwerk, runtime: Runtime, response: Response) -> schemas.Zaak:
    if not await repository.zorgaanbieder_bekend(werk.session, body.zorgaanbieder_id):
        raise InvalidInput(
            "The zorgaanbieder is not in the register",
            invalid_params=[
                {
                    "name": "zorgaanbiederId",
                    "code": "onbekende_zorgaanbieder",
                    "reason": f"no registered zorgaanbieder has id {body.zorgaanbieder_id}",
                }
            ],
        )
    opening = procedure.Zaakopening(body.zorgaanbieder_id, Aanleiding.handmatig, body.aanleiding_datum or klok.vandaag())
    zaak = await procedure.open_zaak(werk, opening)
    assert zaak is not None  # a case by hand has no source id, so it never collides
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/handhavingszaken/{zaak.id}"
    return await _zaak_uit(werk, zaak.id)


@router.get(
    "/handhavingszaken/{zaakId}",
    response_model=schemas.Zaak,
    operation_id="handhavingszaakOpvragen",
    tags=["handhavingszaken"],
    summary="One case with its besluiten",
)
async def zaak_opvragen(zaak_id: ZaakId, werk: Leeswerk) -> schemas.Zaak:
    return await _zaak_uit(werk, zaak_id)


@router.post(
    "/handhavingszaken/{zaakId}/verwijzingen",
    status_code=201,
    response_model=schemas.Verwijzing,
    operation_id="verwijzingVastleggen",
    tags=["handhavingszaken"],
    summary="Record a referral in the case: tuchtklacht, voordracht or aangifte bij het OM",
)
async def verwijzing_vastleggen(
    zaak_id: ZaakId, body: schemas.VerwijzingIn, werk: Besliswerk, runtime: Runtime, response: Response
) -> schemas.Verwijzing:
    zaak = await procedure.zaak(werk, zaak_id)
    v = await procedure.verwijs(werk, zaak, body.soort, datum=body.datum, toelichting=body.toelichting)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/handhavingszaken/{zaak_id}"
    return schemas.Verwijzing.model_validate(v)


@router.post(
    "/handhavingszaken/{zaakId}/besluiten",
    status_code=201,
    response_model=schemas.Besluit,
    operation_id="besluitVoornemen",
    tags=["besluiten"],
    responses=raises(Conflict),
    summary="Propose a besluit (voornemen) in the case: it has no effect",
)
async def voornemen(
    zaak_id: ZaakId, body: schemas.VoornemenIn, werk: Voorstelwerk, runtime: Runtime, response: Response
) -> schemas.Besluit:
    zaak = await procedure.zaak(werk, zaak_id)
    b = await procedure.stel_voor(werk, zaak, body.besluittype, toelichting=body.toelichting, instrumentgegevens=body.instrumentgegevens)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/besluiten/{b.id}"
    return besluit_uit(b)


@router.get(
    "/besluiten/{besluitId}", response_model=schemas.Besluit, operation_id="besluitOpvragen", tags=["besluiten"], summary="One besluit"
)
async def besluit_opvragen(besluit_id: BesluitId, werk: Leeswerk) -> schemas.Besluit:
    return besluit_uit(await procedure.besluit(werk, besluit_id))


@router.get(
    "/besluiten/{besluitId}/statussen",
    response_model=list[schemas.StatusRegel],
    operation_id="besluitStatussen",
    tags=["besluiten"],
    summary="The besluit's steps, oldest first",
)
async def besluit_statussen(besluit_id: BesluitId, werk: Leeswerk) -> list[schemas.StatusRegel]:
    await procedure.besluit(werk, besluit_id)
    return [schemas.StatusRegel.model_validate(r) for r in await procedure.geschiedenis(werk, besluit_id)]


STAP = {"response_model": schemas.Besluit, "tags": ["besluiten"], "responses": raises(Conflict)}


@router.post(
    "/besluiten/{besluitId}/zienswijzeverzoek",
    operation_id="besluitZienswijzeVragen",
    summary="Ask the provider's view on the voornemen (Awb 4:8)",
    **STAP,
)
async def zienswijze(besluit_id: BesluitId, body: schemas.ZienswijzeverzoekIn, werk: Voorstelwerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(
        await procedure.vraag_zienswijze(
            werk, b, termijn_dagen=body.termijn_dagen, spoedreden=body.spoedreden, toelichting=body.toelichting
        )
    )


@router.post(
    "/besluiten/{besluitId}/vaststelling",
    operation_id="besluitNemen",
    summary="Take the besluit: motivering, grondslag, rechtsmiddelenclausule",
    **STAP,
)
async def vaststelling(besluit_id: BesluitId, body: schemas.VaststellingIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    beslissing = procedure.Beslissing(
        body.motivering, body.grondslag, body.rechtsmiddelenclausule, body.spoedreden, body.zienswijze_ontvangen_op, body.toelichting
    )
    return besluit_uit(await procedure.neem(werk, b, beslissing))


@router.post(
    "/besluiten/{besluitId}/bekendmaking",
    operation_id="besluitBekendmaken",
    summary="Make the besluit known: only now can it have effect",
    **STAP,
)
async def bekendmaking(besluit_id: BesluitId, body: schemas.BekendmakingIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(
        await procedure.maak_bekend(
            werk,
            b,
            procedure.Bekendmaking(body.verzenddatum, body.ingangsdatum, body.vervaldatum, body.toelichting, body.zakelijke_weergave),
        )
    )


@router.post(
    "/besluiten/{besluitId}/intrekking", operation_id="besluitIntrekken", summary="Revoke the besluit or drop the proposal", **STAP
)
async def intrekking(besluit_id: BesluitId, body: schemas.IntrekkingIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(await procedure.trek_in(werk, b, vervalreden=body.vervalreden, toelichting=body.toelichting))


@router.post(
    "/besluiten/{besluitId}/verval",
    operation_id="besluitLatenVervallen",
    summary="Record that the besluit's term ended (tijdelijk)",
    **STAP,
)
async def verval(besluit_id: BesluitId, body: schemas.VervalIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(await procedure.laat_vervallen(werk, b, vervaldatum=body.vervaldatum, toelichting=body.toelichting))


@router.post(
    "/besluiten/{besluitId}/beroep",
    operation_id="besluitBeroepRegistreren",
    summary="Record an appeal against the decision on objection",
    **STAP,
)
async def beroep(besluit_id: BesluitId, body: schemas.BeroepIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(await procedure.stel_beroep_in(werk, b, toelichting=body.toelichting))


@router.post(
    "/besluiten/{besluitId}/bezwaren",
    status_code=201,
    response_model=schemas.Bezwaar,
    operation_id="bezwaarRegistreren",
    tags=["besluiten"],
    responses=raises(Conflict),
    summary="Register an objection: on time or late by the Atw (a late one is registered too)",
)
async def bezwaar_registreren(
    besluit_id: BesluitId, body: schemas.BezwaarIn, werk: Besliswerk, runtime: Runtime, response: Response
) -> schemas.Bezwaar:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    ontvangst = procedure.Bezwaarontvangst(body.ontvangen_op, body.adviescommissie, body.verschoonbaar, body.verschoonbaar_reden)
    bz = await procedure.ontvang_bezwaar(werk, b, ontvangst)
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/bezwaren/{bz.id}"
    return schemas.Bezwaar.model_validate(bz)


@router.get(
    "/bezwaren/{bezwaarId}", response_model=schemas.Bezwaar, operation_id="bezwaarOpvragen", tags=["besluiten"], summary="One objection"
)
async def bezwaar_opvragen(bezwaar_id: BezwaarId, werk: Leeswerk) -> schemas.Bezwaar:
    return schemas.Bezwaar.model_validate(await procedure.bezwaar(werk, bezwaar_id))


@router.post(
    "/bezwaren/{bezwaarId}/beslissing",
    response_model=schemas.Bezwaar,
    operation_id="bezwaarBeslissen",
    tags=["besluiten"],
    responses=raises(Conflict),
    summary="Decide the objection: gegrond revokes the besluit",
)
async def bezwaar_beslissen(bezwaar_id: BezwaarId, body: schemas.BeslissingOpBezwaarIn, werk: Besliswerk) -> schemas.Bezwaar:
    bz = await procedure.bezwaar(werk, bezwaar_id, bijwerken=True)
    return schemas.Bezwaar.model_validate(await procedure.beslis_bezwaar(werk, bz, uitkomst=body.uitkomst, toelichting=body.toelichting))


@router.post(
    "/bezwaren/{bezwaarId}/verdaging",
    response_model=schemas.Bezwaar,
    operation_id="bezwaarVerdagen",
    tags=["besluiten"],
    responses=raises(Conflict),
    summary="Postpone the decision on the objection once (Awb 7:10 lid 3), before its term ended",
)
async def bezwaar_verdagen(bezwaar_id: BezwaarId, body: schemas.VerdagingIn, werk: Besliswerk) -> schemas.Bezwaar:
    bz = await procedure.bezwaar(werk, bezwaar_id, bijwerken=True)
    return schemas.Bezwaar.model_validate(await procedure.verdaag_bezwaar(werk, bz, toelichting=body.toelichting))


@router.post(
    "/besluiten/{besluitId}/verlenging",
    operation_id="bevelVerlengen",
    summary="Record the Minister's extension of a bevel in force (Gezondheidswet art. 28)",
    **STAP,
)
async def verlenging(besluit_id: BesluitId, body: schemas.VerlengingIn, werk: Besliswerk) -> schemas.Besluit:
    b = await procedure.besluit(werk, besluit_id, bijwerken=True)
    return besluit_uit(await procedure.verleng_bevel(werk, b, vervaldatum=body.vervaldatum, toelichting=body.toelichting))
