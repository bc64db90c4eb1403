"""Publication of measures (under /api/v1): the publicatie role manages openbaarmakingen; anyone reads the list.

``GET /openbare-maatregelen`` is deliberately public: it asks for no scope and no token (Gezondheidswet
art. 44 makes the overview public). It shows only what is published now, none of the internal fields, as
JSON or - for ``Accept: text/html`` - as a plain accessible HTML page of the same items.
"""

from __future__ import annotations

import html
import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import Field

from handhaving import openbaarmaking, repository
from handhaving.api import LEZEN
from handhaving.openbaarmaking import Uitspraak
from handhaving.openbaarmaking_regels import Documentsoort, OpenbaarmakingStatus
from zorgtoezicht.audit import actor_from
from zorgtoezicht.domain.maatregelen import MaatregelSoort
from zorgtoezicht.http.app import api_router, raises
from zorgtoezicht.http.paging import Keyset, Paging, query_paging
from zorgtoezicht.http.problems import Conflict, InvalidInput
from zorgtoezicht.http.schemas import ApiModel, Page
from zorgtoezicht.http.security import Client, require_scope
from zorgtoezicht.service import DbSession, Runtime

BEHEREN = "handhaving.openbaarmakingen.beheren"
SCOPES = {BEHEREN: "manage the publication of besluiten (the publicatie role)"}
TAGS = {"openbaarmakingen": "Publication of measures (Gezondheidswet art. 44)"}
# Operations that deliberately need no token; tests/test_scopes.py reads this list.
OPENBAAR = frozenset({("GET", "/openbare-maatregelen")})

router = api_router(tags=["openbaarmakingen"])
GEPUBLICEERD = Keyset("openbareMaatregelenLijst", date, uuid.UUID)  # (gepubliceerdOp, id), newest first


class OpenbaarmakingIn(ApiModel):
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    instrument: MaatregelSoort
    besluitdatum: date
    zakelijke_weergave: str = Field(min_length=1, max_length=5000, description="Written for publication: no personal data")
    documentsoort: Documentsoort = Documentsoort.zakelijke_weergave_besluit
    bekendgemaakt_op: date | None = Field(None, description="The day the decision to publish was made known (default today)")


class Openbaarmaking(ApiModel):
    id: uuid.UUID
    besluit_id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    instrument: MaatregelSoort
    documentsoort: Documentsoort
    besluitdatum: date
    zakelijke_weergave: str
    status: OpenbaarmakingStatus
    bekendgemaakt_op: date
    laatste_wachtdag: date = Field(description="Published from the day after, unless a court stops it")
    gepubliceerd_op: date | None = None
    zichtbaar_tot: date | None = Field(None, description="Last day on the public list")
    verwijderd_op: date | None = None
    aangemaakt_op: datetime


class UitspraakIn(ApiModel):
    uitspraak: Uitspraak
    toelichting: str = Field(min_length=1, max_length=2000, description="The ruling (court, date, case number)")


class OpenbareMaatregel(ApiModel):
    """A published measure, as anyone may read it."""

    id: uuid.UUID
    zorgaanbieder_id: uuid.UUID
    instrument: MaatregelSoort
    besluitdatum: date
    gepubliceerd_op: date
    zakelijke_weergave: str


class OpenbareMaatregelPagina(Page[OpenbareMaatregel]):
    """A page of the measures published now, newest first."""


def _uit(o) -> Openbaarmaking:
    return Openbaarmaking.model_validate(o)


@router.post(
    "/openbaarmakingen",
    status_code=201,
    response_model=Openbaarmaking,
    operation_id="openbaarmakingVoornemen",
    responses=raises(Conflict),
    summary="Decide to publish a besluit: its wachttijd starts",
)
async def voornemen(
    body: OpenbaarmakingIn, session: DbSession, runtime: Runtime, response: Response, client: Annotated[Client, require_scope(BEHEREN)]
) -> Openbaarmaking:
    if not await repository.zorgaanbieder_bekend(session, body.zorgaanbieder_id):
        raise InvalidInput(
            "The zorgaanbieder is not in the register",
            invalid_params=[{"name": "zorgaanbiederId", "code": "onbekende_zorgaanbieder", "reason": "not in the register"}],
        )
    o = await openbaarmaking.voornemen(
        runtime.werk(session, actor_from(client, None)),
        besluit_id=body.besluit_id,
        zorgaanbieder_id=body.zorgaanbieder_id,
        instrument=body.instrument,
        besluitdatum=body.besluitdatum,
        zakelijke_weergave=body.zakelijke_weergave,
        documentsoort=body.documentsoort,
        bekendgemaakt_op=body.bekendgemaakt_op,
    )
    if o is None:
        raise InvalidInput(
            "This instrument is not published",
            invalid_params=[{"name": "instrument", "code": "geen_besluit", "reason": "advice is no besluit: there is nothing to publish"}],
        )
    response.headers["Location"] = f"{runtime.settings.public_url}/api/v1/openbaarmakingen/{o.id}"
    return _uit(o)


@router.get(
    "/openbaarmakingen/{openbaarmakingId}",
    response_model=Openbaarmaking,
    operation_id="openbaarmakingOpvragen",
    summary="One openbaarmaking with its status and dates",
    dependencies=[require_scope(BEHEREN, LEZEN)],
)
async def opvragen(openbaarmaking_id: Annotated[uuid.UUID, Path(alias="openbaarmakingId")], session: DbSession) -> Openbaarmaking:
    return _uit(await openbaarmaking.get(session, openbaarmaking_id))


@router.post(
    "/openbaarmakingen/{openbaarmakingId}/rechterlijke-uitspraken",
    response_model=Openbaarmaking,
    operation_id="openbaarmakingUitspraakVerwerken",
    responses=raises(Conflict),
    summary="Record a court's ruling: stop publication, lift the stop, or remove it",
)
async def uitspraak(
    openbaarmaking_id: Annotated[uuid.UUID, Path(alias="openbaarmakingId")],
    body: UitspraakIn,
    session: DbSession,
    runtime: Runtime,
    client: Annotated[Client, require_scope(BEHEREN)],
) -> Openbaarmaking:
    werk = runtime.werk(session, actor_from(client, None))
    return _uit(await openbaarmaking.rechterlijke_uitspraak(werk, openbaarmaking_id, body.uitspraak, body.toelichting))


@router.get(
    "/openbare-maatregelen",
    response_model=OpenbareMaatregelPagina,
    operation_id="openbareMaatregelenLijst",
    summary="The measures published now (public, no token); text/html gives the same list as a web page",
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
)
async def openbare_maatregelen(
    request: Request, session: DbSession, paging: Annotated[Paging, query_paging(GEPUBLICEERD, default=50, maximum=200)]
):
    rows, next_url = await paging.page(
        lambda limit, after: openbaarmaking.gepubliceerd(session, limit, after), lambda o: (o.gepubliceerd_op, o.id)
    )
    pagina = OpenbareMaatregelPagina(results=[OpenbareMaatregel.model_validate(o) for o in rows], next=next_url)
    if _wil_html(request.headers.get("accept", "")):
        return HTMLResponse(html_pagina(pagina))
    return pagina


def _wil_html(accept: str) -> bool:
    """HTML only when asked for before JSON (a browser); any other client gets JSON."""
    soorten = [deel.split(";")[0].strip().lower() for deel in accept.split(",")]
    if "text/html" not in soorten:
        return False
    return "application/json" not in soorten or soorten.index("text/html") < soorten.index("application/json")


_INSTRUMENT_NAAM = {
    MaatregelSoort.stimuleren_adviseren: "Stimuleren en adviseren",
    MaatregelSoort.verbeterplan: "Verbeterplan",
    MaatregelSoort.verscherpt_toezicht: "Verscherpt toezicht",
    MaatregelSoort.waarschuwing: "Waarschuwing",
    MaatregelSoort.bevel: "Bevel",
    MaatregelSoort.aanwijzing: "Aanwijzing",
    MaatregelSoort.last_onder_bestuursdwang: "Last onder bestuursdwang",
    MaatregelSoort.last_onder_dwangsom: "Last onder dwangsom",
    MaatregelSoort.bestuurlijke_boete: "Bestuurlijke boete",
    MaatregelSoort.patientenstop: "Patiëntenstop",
}


def html_pagina(pagina: OpenbareMaatregelPagina) -> str:
    """Plain, accessible HTML: a language, a title, one table with a caption and header cells with a scope, no scripts."""
    e = html.escape
    rijen = "\n".join(
        "<tr>"
        f'<th scope="row"><time datetime="{m.gepubliceerd_op.isoformat()}">{m.gepubliceerd_op.strftime("%d-%m-%Y")}</time></th>'
        f"<td>{e(_INSTRUMENT_NAAM.get(m.instrument, str(m.instrument)))}</td>"
        f'<td><time datetime="{m.besluitdatum.isoformat()}">{m.besluitdatum.strftime("%d-%m-%Y")}</time></td>'
        f"<td>{e(m.zakelijke_weergave)}</td>"
        f"<td>{m.zorgaanbieder_id}</td>"
        "</tr>"
        for m in pagina.results
    )
    leeg = "<p>Er zijn op dit moment geen openbare maatregelen.</p>" if not pagina.results else ""
    volgende = f'<p><a href="{e(pagina.next)}">Volgende pagina</a></p>' if pagina.next else ""
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Openbare maatregelen</title>
</head>
<body>
<main>
<h1>Openbare maatregelen</h1>
<p>Maatregelen die de inspectie heeft opgelegd en openbaar maakt (Gezondheidswet artikel 44), nieuwste eerst.</p>
<table>
<caption>Gepubliceerde maatregelen</caption>
<thead>
<tr><th scope="col">Gepubliceerd op</th><th scope="col">Maatregel</th><th scope="col">Besluitdatum</th>\
<th scope="col">Zakelijke weergave</th><th scope="col">Zorgaanbieder</th></tr>
</thead>
<tbody>
{rijen}
</tbody>
</table>
{leeg}{volgende}
</main>
</body>
</html>
"""
