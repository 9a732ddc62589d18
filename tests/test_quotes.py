"""Direct quotations and their speakers, as a reader of the story would name them."""

from __future__ import annotations

import random

import pytest

from tui.quotes import MAX_QUOTES, extract_quotes
from tui.records import Entity, Mention, Quote


def quotes(text: str, entities: list[Entity] | None = None) -> list[Quote]:
    found = extract_quotes(text, entities)
    for q in found:  # every offset indexes the given text, marks excluded
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.text[0] not in "\"'“”‘’`" and q.text[-1] not in "\"'“”‘’`"
        if q.speaker_start is not None:
            assert q.speaker_end is not None and 0 <= q.speaker_start < q.speaker_end <= len(text)
    return found


def said(text: str, entities: list[Entity] | None = None) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes(text, entities)]


def mention(text: str, q: Quote) -> str | None:
    if q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start:q.speaker_end]


# ---------------------------------------------------------------- quote marks
def test_curly_quote_with_speaker_after() -> None:
    text = "“Beijing finds itself in a tricky situation,” said Patricia Kim, a fellow at Brookings."
    (q,) = quotes(text)
    assert q.text == "Beijing finds itself in a tricky situation,"
    assert q.speaker == "Patricia Kim"
    assert mention(text, q) == "Patricia Kim"


def test_straight_quotes() -> None:
    assert said('"We will win this state," Kim said on Monday.') == [("We will win this state,", "Kim")]


def test_nyt_double_backticks_and_apostrophe_pairs() -> None:
    text = "``This isn't tax reform,'' said Douglas Holtz-Eakin. ''It's anti-reform.''"
    assert said(text) == [
        ("This isn't tax reform,", "Douglas Holtz-Eakin"),
        ("It's anti-reform.", "Douglas Holtz-Eakin"),
    ]


def test_single_quotes_inside_double_belong_to_the_outer_quote() -> None:
    text = "“They called it ‘a disaster’ and left,” she said."
    (q,) = quotes(text)
    assert q.text == "They called it ‘a disaster’ and left,"


def test_british_single_quotes_with_a_plural_possessive_inside() -> None:
    text = "‘We don’t know yet,’ said Mr Smith, the council leader. ‘It’s the voters’ choice in the end.’"
    assert said(text) == [("We don’t know yet,", "Smith"), ("It’s the voters’ choice in the end.", "Smith")]


def test_apostrophes_are_not_quote_marks() -> None:
    text = "The '90s were Russia's rock 'n' roll years, don't you think? The ’80s weren’t."
    assert quotes(text) == []


def test_apostrophes_inside_a_quotation_do_not_cut_it() -> None:
    text = "“We don’t know what Russia’s plans are for the ’90s treaty,” the minister said."
    (q,) = quotes(text)
    assert q.text == "We don’t know what Russia’s plans are for the ’90s treaty,"


def test_quotation_over_several_paragraphs() -> None:
    text = (
        "Richard Weitz spoke to reporters.\n\n"
        "“The first paragraph of what he said goes on for a while.\n\n"
        "“The second paragraph continues the same quotation,” Weitz said.\n"
    )
    found = quotes(text)
    assert [q.text for q in found] == [
        "The first paragraph of what he said goes on for a while.",
        "The second paragraph continues the same quotation,",
    ]
    assert [q.speaker for q in found] == ["Richard Weitz", "Richard Weitz"]


def test_unbalanced_marks_from_real_text() -> None:
    text = (
        "Richard Weitz, senior fellow at the Hudson Institute, said China values Russia more.\n\n"
        "China does not “want to antagonize Russia” over North Korea,” he said.\n"
    )
    found = quotes(text)
    assert [q.text for q in found] == ["want to antagonize Russia"]
    assert found[0].speaker == "Richard Weitz"
    assert mention(text, found[0]) == "he"


# ---------------------------------------------------------------- attribution shapes
def test_split_quote_is_attributed_on_both_sides() -> None:
    text = "“Despite their differences,” said Weitz, “they are fundamentally aligned.”"
    assert said(text) == [("Despite their differences,", "Weitz"), ("they are fundamentally aligned.", "Weitz")]


def test_partial_quote_inside_a_sentence() -> None:
    text = (
        "Chinese President Xi Jinping met Lula in Brasilia.\n\n"
        "At a joint press conference on Thursday, Xi called for bringing together "
        "“more voices of peace” in Ukraine."
    )
    assert said(text) == [("more voices of peace", "Xi Jinping")]


def test_pronoun_speaker_resolves_to_the_last_named_speaker() -> None:
    text = (
        "“Beijing is in a tricky situation,” said Patricia Kim, a fellow at Brookings Institution.\n\n"
        "“It is uncomfortable with the cooperation,” she told VOA."
    )
    second = quotes(text)[1]
    assert second.speaker == "Patricia Kim"
    assert mention(text, second) == "she"


def test_according_to() -> None:
    text = "According to Paul Sperry of Counter Jihad, “Judicial Watch revealed the contracts last year.”"
    assert said(text) == [("Judicial Watch revealed the contracts last year.", "Paul Sperry")]


def test_speaker_introduced_with_a_colon() -> None:
    text = "Sen. Claire McCaskill (D-Mo.) told him: “The scientific community is against you.”"
    assert said(text) == [("The scientific community is against you.", "Claire McCaskill")]


def test_titles_are_not_part_of_the_name() -> None:
    text = "“We oppose any escalation,” said Chinese President Xi Jinping."
    (q,) = quotes(text)
    assert q.speaker == "Xi Jinping"
    assert "Xi Jinping" in mention(text, q)


def test_organisation_as_speaker() -> None:
    text = (
        "In response, China’s Foreign Ministry urged the U.S. to stop using the issue "
        "to “smear or put pressure” on China."
    )
    assert said(text) == [("smear or put pressure", "China’s Foreign Ministry")]


def test_surname_resolves_to_the_fullest_name_in_the_story() -> None:
    text = (
        "It is unlikely that Xi will confront Moscow, said Bonnie Glaser, managing director at the fund.\n\n"
        "Glaser suggested that responses by the U.S. could “negatively impact Chinese interests.”"
    )
    assert said(text) == [("negatively impact Chinese interests.", "Bonnie Glaser")]


def test_entities_resolve_a_surname_the_text_never_spells_out() -> None:
    text = "“We talked about the troops at length,” Sullivan said at a briefing."
    people = [Entity("Jake Sullivan", "person", [Mention("Sullivan", 40, 48)])]
    assert said(text) == [("We talked about the troops at length,", "Sullivan")]
    assert said(text, people) == [("We talked about the troops at length,", "Jake Sullivan")]


def test_entity_mentions_decide_between_people_sharing_a_surname() -> None:
    text = "Bill Clinton stayed home.\n\n“We will win this state,” Mrs. Clinton said."
    start = text.index("Mrs. Clinton")
    people = [
        Entity("Bill Clinton", "person", [Mention("Bill Clinton", 0, 12)]),
        Entity("Hillary Clinton", "person", [Mention("Mrs. Clinton", start, start + 12)]),
    ]
    # the text alone cannot tell which Clinton; the extractor's folding of 'Mrs. Clinton' can
    assert said(text, people) == [("We will win this state,", "Hillary Clinton")]


def test_quote_with_nobody_named_keeps_no_speaker() -> None:
    text = "It rained all week.\n\n“We need law and order in this country, and we need it now.”"
    (q,) = quotes(text)
    assert q.speaker is None and q.speaker_start is None


# ---------------------------------------------------------------- not speech
def test_titles_of_shows_and_works_are_not_quotes() -> None:
    text = "“It was a disaster,” Sanders said during an interview on CNN’s “State of the Union.”"
    assert [q.text for q in quotes(text)] == ["It was a disaster,"]


def test_scare_quotes_and_nicknames_are_not_quotes() -> None:
    text = (
        "The weapons went to the so-called “rebels” in the north.\n\n"
        'Scott\'s niece, state Del. Marcia "Cia" Price, joined the crowd.\n\n'
        "The old plant sits like a “monster” on the hill."
    )
    assert quotes(text) == []


def test_catchphrases_in_a_headline_are_not_quotes() -> None:
    text = (
        "Brooks: Rubio Did Well In ‘More Rubio-Style Debate,’ Than He Did Going ‘In the Gutter.’\n\n"
        "New York Times columnist David Brooks said the debate was better."
    )
    assert quotes(text) == []


def test_sub_headings_in_single_quotes_are_not_quotes() -> None:
    text = "“The climate is changing,” he said.\n\n'All Bets Are Off.'\n\nEight years ago, Mr. Obama ran again."
    assert [q.text for q in quotes(text)] == ["The climate is changing,"]


def test_photo_captions_are_not_speech() -> None:
    text = (
        "“China is skilled at playing this role,” said Joseph DeTrani.\n\n"
        "FILE - Demonstrators stage a rally in Seoul, South Korea, Nov. 15, 2024. "
        'The signs read "Dismantling North Korea\'s nuclear weapons."\n'
    )
    assert [q.text for q in quotes(text)] == ["China is skilled at playing this role,"]


def test_speaker_mention_points_at_the_name_not_the_title() -> None:
    text = "South Korean President Yoon Suk Yeol asked Xi to play a “constructive” role."
    (q,) = quotes(text)
    assert q.speaker == "Yoon Suk Yeol"
    assert mention(text, q) == "Yoon Suk Yeol"


def test_markup_attributes_are_not_quotes() -> None:
    text = '<tweet author="carlquintanilla" timestamp="1474387200">The blue arrow is Warren.</tweet>'
    assert quotes(text) == []


# ---------------------------------------------------------------- robustness
@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        '"',
        "“”",
        "''''``''",
        "\"'“”‘’«»„`" * 3000,
        "x" * 20_000,
        "He said: “" + "word " * 4000,
    ],
)
def test_never_raises_and_offsets_stay_inside(text: str) -> None:
    quotes(text)


def test_quote_mark_soup_is_cheap_and_safe() -> None:
    rng = random.Random(4)
    text = "".join(rng.choice("\"“”‘’'` ab.\n") for _ in range(100_000))
    quotes(text)


def test_long_single_line_article_still_yields_quotes() -> None:
    sentence = "“We will keep going,” said Maria Lopez, a nurse. The shift ended late. "
    text = sentence * 400  # about 28,000 characters on one line
    found = quotes(text)
    assert len(found) == 400
    assert all(q.speaker == "Maria Lopez" for q in found)


def test_number_of_quotes_is_capped() -> None:
    text = "\n".join("“Number %d is here,” she said." % i for i in range(MAX_QUOTES + 200))
    assert len(quotes(text)) == MAX_QUOTES
