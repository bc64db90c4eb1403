"""Dutch working days and statutory terms: the Algemene termijnenwet (Atw) as named, tested rules.

- ``feestdagen``: which days are free - ordinary werkdagen (``is_werkdag``) and days a statutory term
  may not end on (``is_atw_vrije_dag``), with the days equated by royal decree as data.
- ``regels``: counting (``add_werkdagen``, ``atw_einde``, ``te_laat``), the ``Termijn`` dataclass with
  ``bereken``, and every named term of the chain.
"""

from zorgtoezicht.termijnen.feestdagen import (
    WerkdagKeuze,
    atw_feestdagen,
    gelijkgestelde_dagen,
    is_atw_vrije_dag,
    is_werkdag,
)
from zorgtoezicht.termijnen.regels import (
    TERMIJNEN,
    Termijn,
    add_werkdagen,
    atw_einde,
    bereken,
    bevel_einde,
    bezwaartermijn_einde,
    plus_maanden,
    te_laat,
    vandaag,
    werkdagen_tussen,
    wkkgz_calamiteit_melden_uiterlijk,
)

__all__ = [
    "TERMIJNEN",
    "Termijn",
    "WerkdagKeuze",
    "add_werkdagen",
    "atw_einde",
    "atw_feestdagen",
    "bereken",
    "bevel_einde",
    "bezwaartermijn_einde",
    "gelijkgestelde_dagen",
    "is_atw_vrije_dag",
    "is_werkdag",
    "plus_maanden",
    "te_laat",
    "vandaag",
    "werkdagen_tussen",
    "wkkgz_calamiteit_melden_uiterlijk",
]
