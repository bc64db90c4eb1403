"""Reading a ``/metrics`` answer in tests: its samples, a figure by name and labels, and what its labels must not hold."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

from zorgtoezicht.logs import personal_data_in

_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"\d{6,}")  # a BSN, KvK, vestigings- or phone number: never a label


@dataclass(frozen=True)
class Scrape:
    samples: list[tuple[str, dict[str, str], float]]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        return cls([(s.name, dict(s.labels), s.value) for family in text_string_to_metric_families(text) for s in family.samples])

    def value(self, name: str, **labels: str) -> float | None:
        """The sum of the samples ``name`` whose labels include ``labels``; None when there is none."""
        found = [v for n, ls, v in self.samples if n == name and all(ls.get(k) == want for k, want in labels.items())]
        return sum(found) if found else None

    def labelled(self, name: str) -> list[dict[str, str]]:
        return [ls for n, ls, _ in self.samples if n == name]

    def label_findings(self, known: Iterable[str] = ()) -> list[str]:
        """Label values that hold personal data (``personal_data_in``: BSNs, e-mail, ``known`` values), an id or a
        long number, or a path: each finding with its sample. Empty means clean."""
        findings = []
        for name, labels, _ in self.samples:
            for key, value in labels.items():
                if key == "le":  # a histogram's bucket bound
                    continue
                problems = personal_data_in(value, known)
                if _UUID.search(value):
                    problems.append("an id")
                if _LONG_NUMBER.search(value):
                    problems.append("a long number")
                if "/" in value:
                    problems.append("a path")
                findings.extend(f"{name}{{{key}={value!r}}}: {problem}" for problem in problems)
        return findings
