"""register: the name normalisation, word pairs and the name score (pure functions, no database)."""

from __future__ import annotations

import pytest

from register.repository import NAAM_DREMPEL
from register.zoeken_normalisatie import naamscore, normaliseer, woorden, woordparen, zoeknaam


def test_names_are_normalised_alike_for_storing_and_searching():
    assert normaliseer("Zorggroep Élan B.V.") == "zorggroep elan b v"
    assert normaliseer("  Huisartsen-praktijk  Ørsted ") == "huisartsen praktijk orsted"
    assert zoeknaam("Stichting Lindenhof Zorg", ["Lindenhof", "LINDENHOF"]) == "stichting lindenhof zorg lindenhof"
    assert woorden("zorggroep de linde b v") == ["de", "linde", "zorggroep"]  # single letters left out
    assert woordparen(["b", "a", "c"]) == ["a b", "a c", "b c"]


def test_the_score_of_the_exact_name_is_one_and_of_nothing_zero():
    assert naamscore("zorggroep de linde", "zorggroep de linde") == 1.0
    assert naamscore("", "zorggroep de linde") == 0.0
    assert naamscore("zorggroep", "") == 0.0


def test_a_typo_costs_what_the_indel_distance_says():
    # "bakkar" against "bakker": one letter replaced is one deletion and one insertion, 2 of 12 letters:
    # 1 - 2/12, and the query covers the whole name.
    assert naamscore("bakkar", "bakker") == pytest.approx(1 - 2 / 12)


def test_a_query_held_whole_by_a_longer_name_scores_by_how_much_of_it_it_covers():
    # Fully aligned (1.0), times 0.95 + 0.05 x 8/24 of the names covered.
    assert naamscore("de linde", "zorggroep de linde noord") == pytest.approx(0.95 + 0.05 * 8 / 24)
    assert naamscore("de linde", "zorggroep de linde") > naamscore("de linde", "zorggroep de linde noord")


@pytest.mark.parametrize(
    ("naam", "zoeknaam"),
    [
        ("zorgroep linde", "zorggroep de linde"),  # a letter and a word left out
        ("huisartsenpraktijk bakkr", "huisartsenpraktijk bakker"),
        ("noorderlight", "ggz noorderlicht noorderlicht jeugd"),  # via a trade name
        ("psychotherapie ter heuevl", "psychotherapie ter heuvel"),  # two letters swapped
    ],
)
def test_names_with_a_typo_are_hits(naam, zoeknaam):
    assert naamscore(naam, zoeknaam) >= NAAM_DREMPEL


@pytest.mark.parametrize(
    ("naam", "zoeknaam"),
    [
        ("tandartspraktijk xyzzy", "huisartsenpraktijk bakker"),  # one common word, half alike
        ("fysiotherapie jansen", "tandartspraktijk jansen"),
    ],
)
def test_names_that_share_only_a_common_word_are_not(naam, zoeknaam):
    assert naamscore(naam, zoeknaam) < NAAM_DREMPEL
