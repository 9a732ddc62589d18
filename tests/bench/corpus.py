"""A synthetic, deterministic news corpus with syndicated near-duplicates.

The clustering benchmark needs 100,000 realistic articles with a known answer,
and no copied text. Stories are composed from templates over invented names,
places and bodies, so distinct stories rarely share a sentence by chance -- as
in real news -- while the traps real syndication sets are built in:

* reprints by other outlets (about half the stories get 1-4): the story cut
  short, a dateline, "FILE - " photo captions, straight vs curly typography,
  hard-wrapped lines, two paragraphs run together, an "UPDATE:" paragraph
  lifted from another story, a rewritten headline, the outlet's chrome;
* hard negatives: one story in five copies a background paragraph from an
  earlier story on the same beat (same people, same topic), and every outlet
  appends the same sign-off paragraph to the bodies it prints.

``generate(n, seed)`` returns ``n`` articles, each with its story id, the
cleaned ``body`` (what a perfect page cleaner returns) and the raw ``page``
text (chrome, captions and sidebar included) for end-to-end tests.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass

FIRST = (
    "Adele Marcus Priya Tomas Grace Daniel Helena Victor Rosa Kenji Leila Samuel Irene Owen Mira Elliot "
    "Nadia Julian Clara Felix Ingrid Marco Tessa Ravi Louisa Andre Yasmin Gordon Elena Patrick Sofia "
    "Henry Amara Lucas Beatrix Conrad Fiona Dmitri Hannah Omar Lydia Bruno Camille Desmond Esther Farid"
).split()
LAST = (
    "Brandt Oyelaran Venkatesh Lindqvist Okafor Whitcombe Marsh Amundsen Delgado Aramaki Haddad Prewitt "
    "Castellano Fairbanks Kovacs Hargrove Petrenko Ashby Reinholt Moreau Solberg Bellandi Whitlow "
    "Chandrasekar Penhallow Duvall Farouk Ashcroft Varga Donnelly Lindahl Calloway Nwosu Ferreira "
    "Holloway Weiss Gallagher Orlov Thornbury Quintero Abernathy Mbeki Sorensen Valcourt Iwasaki Redfern"
).split()
PLACE_A = (
    "Port", "North", "East", "West", "Lake", "Fort", "Glen", "New", "Upper", "South", "Mount", "Cape",
)
PLACE_B = (
    "Ellison", "Calder", "Redbank", "Granmoor", "Orrin", "Dunmere", "Caston", "Brightwater", "Fenwick",
    "Stonebridge", "Kelso", "Ardent", "Millbrook", "Westerly", "Havel", "Tessary", "Wexford", "Sable",
    "Harlow", "Ember", "Corrigan", "Ashford", "Belmont", "Quarry",
)
BODIES = (
    "Finance Committee", "Harbor Authority", "Assembly", "Teachers Union", "Transit Board",
    "Election Commission", "Chamber of Commerce", "Energy Council", "Appeals Court", "Budget Office",
    "Farmers Cooperative", "Water Utility", "Health Department", "Port Workers Guild", "Housing Agency",
    "Police Federation", "Hospital Trust", "Planning Board", "Nurses Association", "Tenants League",
)
ROLES = (
    "Senator", "Governor", "Mayor", "Representative", "Secretary", "Chancellor", "Commissioner",
    "Minister", "Attorney General", "Treasurer", "Speaker", "Ambassador",
)
TOPICS = (
    ("budget", "spending plan", "deficit", "tax increase", "bond measure"),
    ("election", "ballot count", "recount", "voter rolls", "primary"),
    ("strike", "contract talks", "wage offer", "picket lines", "walkout"),
    ("drought", "water rationing", "reservoir levels", "irrigation rules", "crop losses"),
    ("trade deal", "tariff schedule", "export quotas", "customs rules", "shipping costs"),
    ("housing plan", "rent controls", "zoning reform", "building permits", "eviction rules"),
    ("transit overhaul", "fare increase", "rail extension", "bus routes", "station closures"),
    ("court ruling", "appeal", "injunction", "settlement", "class action"),
    ("energy bill", "power outages", "grid upgrade", "fuel prices", "wind farm"),
    ("school reform", "teacher shortage", "test scores", "class sizes", "school funding"),
)
VERBS = (
    "criticized", "defended", "questioned", "praised", "rejected", "endorsed", "delayed", "proposed",
    "challenged", "welcomed", "dismissed", "backed", "blocked", "revised", "announced", "opposed",
)
ADJS = (
    "sweeping", "modest", "controversial", "long-awaited", "contested", "temporary", "costly",
    "bipartisan", "narrow", "ambitious", "unexpected", "limited", "revised", "final", "emergency",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
OUTLETS = (
    "Valley Courier", "Daily Meridian", "Harbor Gazette", "Northern Ledger", "Evening Post",
    "Capital Wire", "Lakeside Times", "Summit Herald", "Coastal Record", "Riverside Tribune",
)

TEMPLATES = (
    "{role} {person} {verb} the {adj} {t0} on {day}, saying it would cost {place} about ${n} million over {k} years.",
    "The {t0} has divided {org}, where {k} of its {n} members signed a letter on {day} asking for a review of the {t1}.",
    "\"We cannot keep asking families in {place} to pay ${k} more a month for the {t1},\" {person} told reporters after meeting {org}.",
    "Officials said the {t2} would be reviewed again on {month} {d}, after {org} logged {n} complaints from {place2}.",
    "{person}, who has led {org} since {year}, said the {adj} {t0} was \"the only realistic option left for {place}.\"",
    "Critics argued that the {t1} favored {place} over {place2}, where turnout fell {k} points in {year}.",
    "A spokesperson for {org} said on {day} that it had not seen the final text of the {t0} that {person} circulated in {month}.",
    "In {place2}, about {n} residents packed a hearing on {day} night, and {k} speakers urged {person} to drop the {t3}.",
    "The {adj} {t2} follows {k} months of talks between {org} and {org2}, which broke down on {month} {d}.",
    "\"This is not about politics, it is about the {t1} and who pays for it in {place},\" said {person2} of {org2}.",
    "According to figures released by {org} on {day}, the {t3} affected about {n},{m:03d} people in {place} in {year}.",
    "{person2} said on {day} that {org2} would challenge the {t0} in court if {person} signed it in its current form.",
    "The vote on the {t0} is expected by {month} {d}, although {person} said {org} could delay it by {k} weeks.",
    "Analysts at {org2} estimated that the {t4} would add {k} percent to household costs in {place} by {year2}.",
    "Both {person} and {person2} agree that the {t2} needs changes, but they split on {day} over paying ${n} million for them.",
    "The {adj} proposal drew a sharp response from {person2}, who called the {k}-page draft \"{adj2} and badly timed.\"",
    "In {month} {year}, {org} approved a similar {t1} for {place2}, which {person2} is still challenging in court.",
    "{person} has said that the {t3} will not be reopened, but aides said talks with {org2} resumed on {day} in {place}.",
    "The dispute over the {t4} has become a test for {role} {person} ahead of the {year2} {t0b} in {place2}.",
    "Shop owners on {street} Street in {place} said they had lost about ${n},{m:03d} since the {t2} began in {month}.",
    "{person} was first elected in {year} on a promise to cut the {t4}, and won {place2} by {k} points.",
    "Records obtained by the {outlet_hint} show that {org} spent ${n},{m:03d} on consultants for the {t1} in {year}.",
)
QUOTE_SAID = (
    "\"{q}\" {person} said.",
    "\"{q},\" said {person2}, who spoke on condition that the meeting notes not be published.",
)
QUOTES = (
    "We will not accept a deal that leaves {place} behind",
    "Nobody in this building expected the {t0} to pass this quickly",
    "The numbers simply do not add up for {place}",
    "I have asked {org} to publish every page of the {t1}",
    "There is still time to fix the {t2} before it takes effect",
    "Our members have waited {k} years for a fair {t3}",
)
SIGNOFF = "This story was edited for the {outlet} by its regional news desk. Send tips and corrections to the newsroom through the contact page."


@dataclass(frozen=True, slots=True)
class Article:
    """One generated article: what it is (story) and how it reads (page, body)."""

    key: str
    story: int
    title: str
    body: str
    page: str


@dataclass(slots=True)
class _Story:
    title: str
    beat: int
    paragraphs: list[str]


def _sentence(rng: random.Random, beat: int, cast: list[str], places: list[str], orgs: list[str]) -> str:
    topic = TOPICS[beat]
    slots = {
        "d": rng.randint(1, 28),
        "street": rng.choice(LAST),
        "outlet_hint": rng.choice(("newspaper", "broadcaster", "wire service", "news site")),
        "role": rng.choice(ROLES),
        "person": cast[0] if rng.random() < 0.5 else rng.choice(cast),
        "person2": rng.choice(cast[1:]),
        "place": places[0],
        "place2": rng.choice(places[1:]),
        "org": orgs[0],
        "org2": rng.choice(orgs[1:]),
        "verb": rng.choice(VERBS),
        "adj": rng.choice(ADJS),
        "adj2": rng.choice(ADJS),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "year": rng.randint(1998, 2023),
        "year2": rng.randint(2025, 2035),
        "n": rng.randint(2, 980),
        "m": rng.randint(0, 999),
        "k": rng.randint(2, 60),
        "t0": topic[0], "t1": topic[1], "t2": topic[2], "t3": topic[3], "t4": topic[4],
        "t0b": rng.choice(TOPICS)[0],
    }
    if rng.random() < 0.15:
        slots["q"] = rng.choice(QUOTES).format(**slots)
        return rng.choice(QUOTE_SAID).format(**slots)
    return rng.choice(TEMPLATES).format(**slots)


def _story(rng: random.Random) -> _Story:
    beat = rng.randrange(len(TOPICS))
    cast = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4)]
    places = [f"{rng.choice(PLACE_A)} {rng.choice(PLACE_B)}" for _ in range(3)]
    orgs = [f"the {p.split()[1]} {rng.choice(BODIES)}" for p in places]
    paras = []
    for _ in range(rng.randint(5, 22)):
        paras.append(" ".join(_sentence(rng, beat, cast, places, orgs) for _ in range(rng.choice((1, 2, 2, 3)))))
    title = f"{cast[0].split()[1]} {rng.choice(VERBS)} {rng.choice(ADJS)} {TOPICS[beat][0]} in {places[0]}"
    return _Story(title=title[0].upper() + title[1:], beat=beat, paragraphs=paras)


def _curly(text: str) -> str:
    """Straight quotes and double hyphens as a typesetting outlet prints them."""
    parts = text.replace("'", "\u2019").replace(" -- ", " \u2014 ").split('"')
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        out.append("\u201c" if i % 2 == 0 else "\u201d")
        out.append(part)
    return "".join(out)


def _reprint(rng: random.Random, story: _Story, outlet: str, others: list[_Story]) -> tuple[str, list[str], list[str]]:
    """An outlet's version: (title, body paragraphs, captions)."""
    paras = list(story.paragraphs)
    if len(paras) > 4 and rng.random() < 0.4:  # cut short
        paras = paras[: rng.randint(3, len(paras) - 1)]
    if rng.random() < 0.5:
        paras[0] = f"{rng.choice(PLACE_B).upper()} ({outlet.upper()}) -- {paras[0]}"
    if len(paras) > 3 and rng.random() < 0.3:  # paragraphs run together
        i = rng.randrange(len(paras) - 1)
        paras[i : i + 2] = [paras[i] + " " + paras[i + 1]]
    if others and rng.random() < 0.2:
        paras.append("UPDATE: " + rng.choice(rng.choice(others).paragraphs))
    if rng.random() < 0.5:
        paras = [_curly(p) for p in paras]
    title = story.title
    if rng.random() < 0.4:
        title = rng.choice(("UPDATED: ", "", "Report: ")) + title.replace(" in ", " across ", 1)
    captions = []
    if rng.random() < 0.3:
        captions.append(f"FILE - {paras[0][:80].rstrip()}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, 2024.")
    return title, paras, captions


def _page(title: str, outlet: str | None, paras: list[str], captions: list[str], rng: random.Random) -> str:
    lines = [title, ""]
    if outlet:
        lines += [f"Source: {outlet} | Published: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "", "Share this article", ""]
    wrap = outlet is not None and rng.random() < 0.3
    for i, p in enumerate(paras):
        if captions and i == 1:
            lines += [captions[0], ""]
        lines += [textwrap.fill(p, 72) if wrap else p, ""]
        if outlet and i % 4 == 3:
            lines += ["Advertisement", ""]
    if outlet:
        lines += [f"Copyright 2024 {outlet}. All rights reserved.", "", "Related:"]
        lines += [f"- {rng.choice(LAST)} {rng.choice(VERBS)} {rng.choice(TOPICS)[1]}" for _ in range(3)]
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 0, *, pages: bool = True) -> list[Article]:
    """``n`` articles, deterministic for a given ``(n, seed)``, shuffled.

    ``pages=False`` leaves ``page`` empty (the clustering benchmark only needs
    bodies, and rendering pages for 100,000 articles takes a while).
    """
    rng = random.Random(seed)
    articles: list[Article] = []
    stories: list[_Story] = []
    by_beat: dict[int, list[_Story]] = {}
    while len(articles) < n:
        story = _story(rng)
        peers = by_beat.setdefault(story.beat, [])
        if peers and rng.random() < 0.2:  # borrowed background paragraph
            story.paragraphs.insert(rng.randint(1, len(story.paragraphs)), rng.choice(rng.choice(peers).paragraphs))
        sid = len(stories)
        stories.append(story)
        peers.append(story)
        if len(peers) > 50:
            del peers[0]
        articles.append(Article(f"s{sid}-0", sid, story.title, "\n\n".join(story.paragraphs), _page(story.title, None, story.paragraphs, [], rng) if pages else ""))
        copies = rng.choices((0, 1, 2, 3, 4), weights=(45, 25, 15, 10, 5))[0]
        for c in range(copies):
            outlet = rng.choice(OUTLETS)
            title, paras, captions = _reprint(rng, story, outlet, stories[-200:-1])
            # The outlet's sign-off survives cleaning: boilerplate under every story it prints.
            paras = paras + [SIGNOFF.format(outlet=outlet)]
            articles.append(Article(f"s{sid}-{c + 1}", sid, title, "\n\n".join(paras), _page(title, outlet, paras, captions, rng) if pages else ""))
    articles = articles[:n]
    rng.shuffle(articles)
    return articles
