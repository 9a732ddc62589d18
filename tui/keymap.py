"""Every action the reader offers, its default keys, and checks on a user's keymap.

The registry is the single source for the app's bindings, the help screen and
config validation. Textual's ``set_keymap`` ignores unknown ids and silently
steals a key from another binding, so the whole effective keymap is checked
here first and only a clean one is applied.
"""

from __future__ import annotations

import difflib
import string
import unicodedata
from dataclasses import dataclass

CONTEXTS: tuple[str, ...] = ("global", "list", "article", "panes")


@dataclass(frozen=True, slots=True)
class Action:
    """A bindable action: ``context.name`` is its id in config and in Textual."""

    context: str
    name: str
    keys: tuple[str, ...]
    description: str
    show: bool = False  # shown in the key hints line
    hint: str = ""  # the word the hints line uses (short: it must fit 80 columns)

    @property
    def id(self) -> str:
        return f"{self.context}.{self.name}"


ACTIONS: tuple[Action, ...] = (
    Action("global", "quit", ("q",), "Quit", True, "quit"),
    Action("global", "help", ("?",), "Help: all keys", True, "help"),
    Action("global", "search", ("/",), "Search stories", True, "search"),
    Action("global", "clear_filter", ("escape",), "Clear search or entity filter"),
    Action("global", "focus_next", ("tab",), "Next pane", True, "pane"),
    Action("global", "focus_previous", ("shift+tab",), "Previous pane"),
    Action("global", "toggle_read", ("m",), "Toggle read", True, "read"),
    Action("global", "toggle_starred", ("s",), "Toggle starred", True, "star"),
    Action("global", "next_unread", ("n",), "Next unread story"),
    Action("global", "previous_unread", ("N",), "Previous unread story"),
    Action("global", "versions", ("v",), "Versions of this story", True, "versions"),
    Action("global", "next_version", ("]",), "Show next version"),
    Action("global", "previous_version", ("[",), "Show previous version"),
    Action("global", "diff", ("d",), "Diff this version against the canonical"),
    Action("global", "split_version", ("x",), "Split the shown version out of its story"),
    Action("global", "mark_merge", ("M",), "Mark story to merge / merge marked into this"),
    Action("global", "open_browser", ("o",), "Open in browser"),
    Action("global", "refresh", ("r",), "Refresh feed of this story"),
    Action("global", "refresh_all", ("R",), "Refresh all feeds"),
    Action("global", "toggle_sidebar", ("i",), "Show/hide entities and quotes", True, "sidebar"),
    Action("list", "cursor_down", ("j", "down"), "Next story"),
    Action("list", "cursor_up", ("k", "up"), "Previous story"),
    Action("list", "page_down", ("pagedown", "space"), "Page down"),
    Action("list", "page_up", ("pageup", "b"), "Page up"),
    Action("list", "first", ("g", "home"), "First story"),
    Action("list", "last", ("G", "end"), "Last story"),
    Action("list", "open", ("enter", "l"), "Open story"),
    Action("article", "scroll_down", ("j", "down"), "Scroll down"),
    Action("article", "scroll_up", ("k", "up"), "Scroll up"),
    Action("article", "page_down", ("pagedown", "space"), "Page down"),
    Action("article", "page_up", ("pageup", "b"), "Page up"),
    Action("article", "top", ("g", "home"), "Top"),
    Action("article", "bottom", ("G", "end"), "Bottom"),
    Action("article", "back", ("h", "left"), "Back to the story list"),
    Action("panes", "cursor_down", ("j", "down"), "Next item"),
    Action("panes", "cursor_up", ("k", "up"), "Previous item"),
    Action("panes", "select", ("enter",), "Jump to quote / filter by entity"),
    Action("panes", "group_by_speaker", ("p",), "Group quotes by speaker"),
    Action("panes", "speaker_quotes", ("Q",), "All quotes of this person"),
)

ACTIONS_BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}

_NAMED_KEYS = frozenset(
    {"enter", "escape", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup",
     "pagedown", "up", "down", "left", "right"} | {f"f{i}" for i in range(1, 25)}
)
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super")


# Textual's own naming of a typed character (textual.keys._character_to_key), kept here
# because importing textual.keys imports all of Textual (~0.1 s) and config is read
# before the first screen is painted. A test checks both agree on every character.
_KEY_NAME_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                          "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}


def _char_key(ch: str) -> str:
    if ch.isalnum():
        key = ch
    else:
        try:
            key = unicodedata.name(ch).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            key = {"\t": "tab"}.get(ch, ch)
    return _KEY_NAME_REPLACEMENTS.get(key, key)


def _char_names() -> dict[str, str]:
    return {_char_key(c): c for c in string.punctuation}


def normalize_key(key: str) -> str | None:
    """Textual's name for a key as a user writes it, or None when it is not a key."""
    key = key.strip()
    if not key:
        return None
    if len(key) == 1:
        return _char_key(key) if key.isprintable() and not key.isspace() else None
    *mods, base = key.split("+")
    if any(m.lower() not in _MODIFIERS for m in mods) or not base:
        return None
    if len(base) == 1:
        base_n = _char_key(base) if base.isprintable() else None
    else:
        low = base.lower()
        base_n = low if low in _NAMED_KEYS or low in _char_names() else None
    if base_n is None:
        return None
    return "+".join([m.lower() for m in mods] + [base_n])


def suggest_key(key: str) -> str | None:
    choices = sorted(_NAMED_KEYS | set(_char_names()))
    base = key.split("+")[-1].lower()
    match = difflib.get_close_matches(base, choices, n=1, cutoff=0.6)
    if not match:
        return None
    return "+".join(key.split("+")[:-1] + [match[0]])


def suggest_action(name: str, context: str | None = None) -> str | None:
    pool = [a.name for a in ACTIONS if context is None or a.context == context]
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    return match[0] if match else None


def display_key(key: str) -> str:
    """How a key is shown in help: the character where there is one."""
    names = _char_names()
    parts = key.split("+")
    parts[-1] = names.get(parts[-1], parts[-1])
    return "+".join(parts)


def conflicts(effective: dict[str, tuple[str, ...]]) -> list[tuple[str, str, str]]:
    """(key, action id, action id) for keys bound twice where both would fire.

    A context's keys shadow the global ones while that pane has focus, so a
    key bound in a context and globally is a conflict too.
    """
    seen: dict[tuple[str, str], str] = {}
    out: list[tuple[str, str, str]] = []
    for action_id, keys in effective.items():
        ctx = action_id.split(".", 1)[0]
        for k in keys:
            scopes = CONTEXTS[1:] if ctx == "global" else (ctx,)
            for scope in scopes:
                other = seen.get((scope, k))
                if other is not None and other != action_id:
                    out.append((k, other, action_id))
                    break
            else:
                for scope in scopes:
                    seen[(scope, k)] = action_id
    return out


def default_keymap() -> dict[str, tuple[str, ...]]:
    return {a.id: tuple(normalize_key(k) or k for k in a.keys) for a in ACTIONS}


def textual_keymap(effective: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The mapping ``App.set_keymap`` takes: binding id -> comma-separated keys."""
    return {aid: ",".join(keys) for aid, keys in effective.items()}
