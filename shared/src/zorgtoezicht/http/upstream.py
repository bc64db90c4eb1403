"""When a service calls another one: the answers a caller gets when the other service cannot help.

A service-to-service call never turns the other side's trouble into our 500. The calling operation
decides per case: the other side refusing the *query* as invalid is usually an empty answer; the
other side being down, unreachable, answering nonsense or refusing *our credentials* is 502
(``BadGateway``), declared on the operation with ``responses=raises(BadGateway)``.
"""

from __future__ import annotations

from zorgtoezicht.http.problems import DomainError


class BadGateway(DomainError):
    status, title, code = 502, "Bad Gateway", "upstream_unavailable"
