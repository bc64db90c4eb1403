"""The Awb procedure of one besluit as one table of data, each step with why it exists.

voornemen → zienswijze (Awb 4:8) → genomen (3:46/3:47) → bekendgemaakt (3:40/3:41: only now in effect) →
in-bezwaar (6:4, 6:7) → beslist-op-bezwaar (7:10/7:11) → in-beroep (8:1); ingetrokken / vervallen with a
ZGW vervalreden. Any other change is 409 (``ongeldige_statusovergang``); statuses are appended to
``besluit_status``, never edited. Which role may take a step is ``ROL`` (the API asks for its scope).
"""

from __future__ import annotations

from zorgtoezicht.domain.handhaving import BesluitStatus as S  # short: the table reads as a table
from zorgtoezicht.workflow import Overgang

BEGIN = S.voornemen

OVERGANGEN = (
    Overgang(S.voornemen, S.zienswijze, "the intention goes to the provider for its view, with the besluittype's term (Awb 4:8)"),
    Overgang(S.voornemen, S.genomen, "urgent (Awb 4:11): the hearing is skipped, with a reason, where the besluittype allows it"),
    Overgang(S.voornemen, S.ingetrokken, "the intention is dropped before any decision"),
    Overgang(S.zienswijze, S.genomen, "after the view or its term the jurist decides: motivering, grondslag, rechtsmiddelen (3:46, 3:47)"),
    Overgang(S.zienswijze, S.ingetrokken, "the view convinced the inspectorate: the intention is dropped"),
    Overgang(S.genomen, S.bekendgemaakt, "sent to the provider (Awb 3:41): only from now can it have effect (3:40)"),
    Overgang(S.genomen, S.ingetrokken, "withdrawn before it was made known: it never had effect"),
    Overgang(S.bekendgemaakt, S.in_bezwaar, "the provider objected (Awb 6:4); a late objection is registered too (6:11)"),
    Overgang(S.bekendgemaakt, S.ingetrokken, "revoked by the inspectorate or at the provider's request"),
    Overgang(S.bekendgemaakt, S.vervallen, "its term ended (vervalreden tijdelijk)"),
    Overgang(S.in_bezwaar, S.beslist_op_bezwaar, "the objection is decided and the besluit stands (ongegrond, niet-ontvankelijk)"),
    Overgang(S.in_bezwaar, S.ingetrokken, "the objection is upheld (gegrond): the besluit is revoked (7:11)"),
    Overgang(S.in_bezwaar, S.vervallen, "its term ended while the objection ran"),
    Overgang(S.beslist_op_bezwaar, S.in_beroep, "the provider appealed to the court (Awb 8:1, 6:7)"),
    Overgang(S.beslist_op_bezwaar, S.ingetrokken, "revoked after the decision on objection"),
    Overgang(S.beslist_op_bezwaar, S.vervallen, "its term ended"),
    Overgang(S.in_beroep, S.ingetrokken, "revoked during the appeal, or annulled by the court"),
    Overgang(S.in_beroep, S.vervallen, "its term ended during the appeal"),
)

# Who takes a step, by the status it leads to: the inspecteur proposes and hears, the jurist decides.
VOORSTELLEN = "voorstellen"
NEMEN = "nemen"
ROL = {
    S.voornemen: VOORSTELLEN,
    S.zienswijze: VOORSTELLEN,
    S.genomen: NEMEN,
    S.bekendgemaakt: NEMEN,
    S.in_bezwaar: NEMEN,
    S.beslist_op_bezwaar: NEMEN,
    S.in_beroep: NEMEN,
    S.ingetrokken: NEMEN,
    S.vervallen: NEMEN,
}
