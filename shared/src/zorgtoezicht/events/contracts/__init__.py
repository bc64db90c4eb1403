"""The catalogue of event contracts, one module per producing service.

Producers and consumers import these same classes; the AsyncAPI document is generated from them.
A breaking change gets a new type with a ``.v2`` suffix, published beside the old one for a while.
"""

from zorgtoezicht.events.contracts import handhaving, meldpunt, register, toezicht

__all__ = ["handhaving", "meldpunt", "register", "toezicht"]
