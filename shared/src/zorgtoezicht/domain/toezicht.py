"""Supervision (toezicht): the activities the inspectorate registers, how they were chosen, and judgements on norms."""

from __future__ import annotations

from enum import StrEnum


class ActiviteitSoort(StrEnum):
    """The five supervision activities of the Jaarbeeld, plus the self-scan for very small providers."""

    inspectiebezoek = "inspectiebezoek"
    beoordelend_gesprek = "beoordelend-gesprek"
    desk_inspectie = "desk-inspectie"  # desk-inspectie met oordeel
    wettelijk_advies = "wettelijk-advies"  # wettelijk verplicht advies of besluit
    gesprek_zonder_oordeel = "gesprek-zonder-oordeel"
    zelfscan = "zelfscan"


class Selectieroute(StrEnum):
    """Why an activity exists: chosen by risk score, forced by a hard trigger, drawn at random, or by hand."""

    risico = "risico"
    trigger = "trigger"
    aselect = "aselect"
    handmatig = "handmatig"


class ActiviteitStatus(StrEnum):
    voorgesteld = "voorgesteld"
    gepland = "gepland"
    uitgevoerd = "uitgevoerd"
    oordeel_vastgesteld = "oordeel-vastgesteld"
    rapport_vastgesteld = "rapport-vastgesteld"
    afgerond = "afgerond"
    vervallen = "vervallen"


class Bezoekvorm(StrEnum):
    fysiek = "fysiek"
    digitaal = "digitaal"


class Normoordeel(StrEnum):
    """The judgement on one norm of the normenkader."""

    voldaan = "voldaan"
    deels = "deels"  # deels voldaan
    niet_voldaan = "niet-voldaan"


class Ernst(StrEnum):
    """Severity of a tekortkoming (shortcoming): how urgently it must be remedied."""

    gering = "gering"
    aanzienlijk = "aanzienlijk"
    ernstig = "ernstig"
