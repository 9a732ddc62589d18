"""What a reader notices of the entity list: names found, aliases folded, junk left out."""

from __future__ import annotations

import pytest

from tui.entities import extract_entities
from tui.records import Entity


def _by_name(text: str) -> dict[str, Entity]:
    return {e.name: e for e in extract_entities(text)}


def _entity_of(text: str, surface: str) -> Entity | None:
    for e in extract_entities(text):
        if any(m.text == surface for m in e.mentions):
            return e
    return None


def _assert_offsets(text: str, ents: list[Entity]) -> None:
    seen: set[tuple[int, int]] = set()
    for e in ents:
        assert e.type in ("person", "organization", "place")
        for m in e.mentions:
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end] == m.text
            assert (m.start, m.end) not in seen
            seen.add((m.start, m.end))


def test_surname_folds_into_full_name() -> None:
    text = (
        "Chinese President Xi Jinping met Brazil's leader in Brasilia on Thursday. "
        "Xi called for more voices of peace, and Putin did not comment. Vladimir Putin was in Moscow."
    )
    ents = _by_name(text)
    xi = ents["Xi Jinping"]
    assert xi.type == "person"
    assert {m.text for m in xi.mentions} == {"Xi Jinping", "Xi"}
    putin = ents["Vladimir Putin"]
    assert {m.text for m in putin.mentions} == {"Putin", "Vladimir Putin"}
    assert ents["Brasilia"].type == "place"
    assert ents["Moscow"].type == "place"


def test_acronym_folds_into_full_name_in_the_article() -> None:
    text = "The European Union imposed sanctions. Diplomats said the EU would review them in March."
    eu = _entity_of(text, "EU")
    assert eu is not None and eu.name == "European Union" and eu.type == "organization"
    assert {m.text for m in eu.mentions} == {"European Union", "EU"}


def test_well_known_aliases_fold_without_the_full_name() -> None:
    text = "Officials in the U.S. and at the U.N. condemned the test. The DPRK did not respond."
    assert _entity_of(text, "U.S.").name == "United States"
    assert _entity_of(text, "U.S.").type == "place"
    assert _entity_of(text, "U.N.").name == "United Nations"
    assert _entity_of(text, "DPRK").name == "North Korea"


def test_long_name_with_particles_and_variant_spelling() -> None:
    text = (
        "Brazilian President Luiz Inacio Lula da Silva hosted the summit. "
        "Critics of Luis Inacio Lula da Silva were absent. Lula said the talks went well."
    )
    lula = _entity_of(text, "Lula")
    assert lula is not None and lula.type == "person"
    assert {m.text for m in lula.mentions} == {
        "Luiz Inacio Lula da Silva",
        "Luis Inacio Lula da Silva",
        "Lula",
    }


def test_ambiguous_short_form_goes_to_nearest_preceding_full_name() -> None:
    text = (
        "North Korean leader Kim Jong Un sent troops. "
        "Patricia Kim, a fellow at the Brookings Institution, said Beijing was uneasy. "
        "Kim added that China wants stability."
    )
    ents = _by_name(text)
    assert {m.text for m in ents["Patricia Kim"].mentions} == {"Patricia Kim", "Kim"}
    assert {m.text for m in ents["Kim Jong Un"].mentions} == {"Kim Jong Un"}
    assert ents["Brookings Institution"].type == "organization"


def test_same_person_gets_the_same_name_across_articles() -> None:
    a = "President Donald Trump’s team said the deal was close. Trump spoke in Washington."
    b = "Donald Trump said on Monday he would travel to Paris."
    name_a = _entity_of(a, "Trump").name
    name_b = _entity_of(b, "Donald Trump").name
    assert name_a == name_b == "Donald Trump"
    # The title and the possessive are not part of the mention.
    assert {m.text for m in _entity_of(a, "Trump").mentions} == {"Donald Trump", "Trump"}


def test_sentence_initial_capitals_are_not_entities() -> None:
    text = (
        "However, the talks stalled. Meanwhile prices rose. Yesterday officials met. "
        "Despite the rain, crowds gathered. After that, nothing changed."
    )
    assert extract_entities(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON DC: The State Department said on Friday that talks would resume.",
        "KATHMANDU: Nepal suffered a narrow one-wicket loss against Scotland.",
    ],
)
def test_all_caps_dateline_is_at_most_a_place(text: str) -> None:
    first = text.split(":")[0]
    for e in extract_entities(text):
        for m in e.mentions:
            if m.start < len(first):
                assert e.type == "place", (m.text, e.type)


def test_all_caps_headline_words_are_not_entities() -> None:
    text = (
        "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY .\n"
        "LONDON 1996-08-30\n"
        "Leicestershire beat Somerset by an innings ."
    )
    surfaces = {m.text for e in extract_entities(text) for m in e.mentions}
    assert not surfaces & {"TAKE", "OVER", "AT", "TOP", "AFTER", "INNINGS", "VICTORY", "CRICKET"}
    assert _entity_of(text, "LONDON").type == "place"


def test_sports_results_teams_are_organisations() -> None:
    text = (
        "SOCCER - GERMAN FIRST DIVISION RESULTS .\n"
        "BONN 1996-08-30\n"
        "Results of German first division matches on Friday :\n"
        "Bayern Munich 2 Hamburg 1\n"
        "Schalke 0 Freiburg 0"
    )
    for team in ("Bayern Munich", "Hamburg", "Schalke", "Freiburg"):
        ent = _entity_of(text, team)
        assert ent is not None and ent.type == "organization", team
    assert _entity_of(text, "BONN").type == "place"


def test_titles_split_organisation_and_person() -> None:
    text = "National Security Adviser Jake Sullivan said China's Foreign Ministry had not replied."
    ents = _by_name(text)
    assert ents["Jake Sullivan"].type == "person"
    assert "Foreign Ministry" in ents and ents["Foreign Ministry"].type == "organization"
    assert ents["China"].type == "place"


def test_organisation_names_with_of_and_for() -> None:
    text = (
        "Bonnie Glaser of the German Marshall Fund of the United States spoke. "
        "John Erath of the Center for Arms Control and Non-Proliferation agreed."
    )
    ents = _by_name(text)
    assert ents["German Marshall Fund of the United States"].type == "organization"
    assert ents["Center for Arms Control and Non-Proliferation"].type == "organization"
    assert ents["Bonnie Glaser"].type == "person" and ents["John Erath"].type == "person"


def test_nationality_adjectives_are_not_entities() -> None:
    text = "West Indian all-rounder Phil Simmons and a Romanian official spoke to Israeli reporters."
    surfaces = {m.text for e in extract_entities(text) for m in e.mentions}
    assert "Phil Simmons" in surfaces
    assert not surfaces & {"West Indian", "Romanian", "Israeli"}


def test_offsets_index_the_text() -> None:
    text = (
        "Xi Jinping’s envoy met U.S. officials in Washington-based think tanks.\r\n"
        "Russia-DPRK military cooperation worried Seoul, the Korean Peninsula and Japan."
    )
    ents = extract_entities(text)
    _assert_offsets(text, ents)
    assert _entity_of(text, "DPRK").name == "North Korea"
    assert _entity_of(text, "Washington").type == "place"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\x02 binary \xff\ufffd junk",
        "שלום עולם Benjamin Netanyahu מדבר",  # right-to-left text around a name
        "Angela\u200bMerkel and Emmanuel\u200d Macron met in Ber\u200clin.",
        "A" * 10_000,
        ("Word " * 2_000) + "\n",
        "Mr. . . . of of of the the & & - - ' ’ U.S.-",
        "X" + "-Y" * 3_000,
        ("Jean de la " * 500) + "Fontaine",
        "\n".join(["President"] * 500),
        "LONDON PARIS BERLIN MADRID " * 1500,  # one endless all-caps line
        "SOCCER - RESULTS .\n" + "Kent 3 Essex 2 Paris 4 " * 1500,
        # 3,000 different people called Smith
        " ".join(f"{chr(65 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)} Smith said." for i in range(3000)),
        "Word " * 20_000,
    ],
    ids=lambda t: f"len{len(t)}-{t[:12]!r}",
)
def test_hostile_input_does_not_raise(text: str) -> None:
    ents = extract_entities(text)
    _assert_offsets(text, ents)


def test_huge_input_is_bounded() -> None:
    # ~3 MB of repeated names: short forms must not make the folding quadratic.
    text = "Angela Merkel met Emmanuel Macron in Berlin. Merkel and Kim Jong Un and Patricia Kim. Kim left. " * 30_000
    ents = extract_entities(text)
    _assert_offsets(text, ents)
    names = {e.name for e in ents}
    assert {"Angela Merkel", "Emmanuel Macron", "Berlin"} <= names


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None

if given is not None:
    _PIECES = st.sampled_from(
        ["U.S.", "Mr.", " of ", " the ", "St. ", "SOCCER - ", "President ", "’s", "\u200b", "Kim", " and ",
         "Jong Un", "\n", "-", "(", ")", "&", "1996-08-30", " 3 ", "Inc.", "EU", "da Silva", "É", "ß"]
    )

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40))
    def test_any_text_gives_valid_mentions(parts: list[str]) -> None:
        text = "".join(parts)
        _assert_offsets(text, extract_entities(text))


def test_short_form_before_any_full_name_goes_to_neither() -> None:
    text = "Kim spoke first. Later Kim Jong Un and Patricia Kim arrived in Seoul."
    kim = [e for e in extract_entities(text) if any(m.text == "Kim" and m.start == 0 for m in e.mentions)]
    assert kim == []


def test_company_short_name_and_acronym_fold() -> None:
    text = (
        "Pirelli SpA said on Friday its cables unit would expand. Pirelli shares rose. "
        "The Callow Irrigation Cooperative (CIC) was founded in 2019; the CIC has 40 members."
    )
    assert {m.text for m in _entity_of(text, "Pirelli").mentions} == {"Pirelli SpA", "Pirelli"}
    cic = _entity_of(text, "CIC")
    assert cic.type == "organization" and cic.name == "Callow Irrigation Cooperative"


def test_web_addresses_and_month_names_are_not_entities() -> None:
    text = (
        "Prime Minister Theresa May met officials in May. "
        "See https://www.example.com/US-China/Beijing.html or write to desk@example.org."
    )
    ents = _by_name(text)
    assert ents["Theresa May"].type == "person"
    surfaces = {m.text for e in extract_entities(text) for m in e.mentions}
    assert not surfaces & {"May", "US", "China", "Beijing"}


def test_well_known_person_named_by_surname_only_gets_the_full_name() -> None:
    # A reader filing articles by person expects "Putin" alone under "Vladimir Putin".
    assert _entity_of("Putin told reporters on Friday that talks were over.", "Putin").name == "Vladimir Putin"
    # ...unless the article itself names someone else with that surname.
    ent = _entity_of("Melania Trump said on Monday that Trump was tired.", "Trump")
    assert ent.name == "Melania Trump"


def test_based_prefix_and_abbreviated_company_names() -> None:
    text = "Shares of Ohio-based KeyCorp rose, while Norwest Corp. and First Bank System Inc. fell."
    surfaces = {m.text: e.type for e in extract_entities(text) for m in e.mentions}
    assert surfaces.get("Ohio") == "place"
    assert surfaces.get("KeyCorp") in ("organization", None)
    assert "Ohio-based KeyCorp" not in surfaces
    assert surfaces.get("Norwest Corp.") == "organization"
    assert _entity_of(text, "Norwest Corp.").name == "Norwest Corp"


def test_abbreviated_titles_do_not_end_the_sentence() -> None:
    text = "Mr. Zetterquist said the talks were over. North Carolina Gov. Jim Hunt agreed."
    ents = _by_name(text)
    assert ents["Zetterquist"].type == "person"
    assert ents["North Carolina"].type == "place"
    assert ents["Jim Hunt"].type == "person"
    assert not any(m.text.startswith(("Mr", "Gov")) for e in ents.values() for m in e.mentions)
