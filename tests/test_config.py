"""Config: defaults, lookup order, and every kind of error as one line with file:line and exit 2."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from tui import keymap as km
from tui.cli import main
from tui.config import ConfigError, load_config, user_config_path

REPO_CONFIG = __import__("pathlib").Path(__file__).resolve().parents[1] / "config.yaml"


def write(tmp_path, text: str):
    p = tmp_path / "config.yaml"
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def check(capsys, path) -> tuple[int, str]:
    status = main(["--config", str(path), "--check-config"])
    err = capsys.readouterr().err
    return status, err


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ui:\n  theme: a: b\n", ":2: YAML syntax error: mapping values are not allowed here"),
        ("ui:\n  thme: nord\n", ":2: ui.thme: unknown setting (did you mean 'theme'?)"),
        ("limits:\n  max_article_bytes: lots\n", ":2: limits.max_article_bytes: expected a whole number, got text"),
        ("ui:\n  show_captions: 3\n", ":2: ui.show_captions: expected true or false"),
        ("keys:\n  list:\n    opne: o\n", ":3: keys.list.opne: unknown action (did you mean 'open'?)"),
        ("keys:\n  list:\n    open: entr\n", ":3: keys.list.open: unknown key name 'entr' (did you mean 'enter'?)"),
        ("keys:\n  lst:\n    open: o\n", ":2: keys.lst: unknown context (did you mean 'list'?)"),
        ("keys:\n  list:\n    open: j\n", "'j' is bound to both list.cursor_down and list.open"),
        ("keys:\n  global:\n    toggle_read: j\n", "'j' is bound to both"),
        ("feeds:\n  - ftp://example.org/feed\n", ":2: feeds[0].url: expected an http:// or https:// URL"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "unknown setting"),
        ("ui: &u {theme: nord}\nstore: *u\n", "unknown setting"),
    ],
    ids=["yaml-syntax", "unknown-setting", "wrong-type-int", "wrong-type-bool", "unknown-action",
         "bad-key-name", "unknown-context", "duplicate-key", "global-vs-context", "bad-feed-url",
         "alias-bomb", "alias-reuse"],
)
def test_bad_config_stops_with_one_line_and_status_2(tmp_path, capsys, text, expected):
    path = write(tmp_path, text)
    status, err = check(capsys, path)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    assert expected in lines[0]


def test_alias_bomb_inside_a_valid_setting_is_refused(tmp_path, capsys):
    path = write(tmp_path, "ui:\n  browser: &b [x, x]\nfeeds: &f [*b, *b]\n")
    status, err = check(capsys, path)
    assert status == 2 and "config.yaml:" in err


def test_good_config_changes_only_what_it_sets(tmp_path, capsys):
    path = write(tmp_path, "ui:\n  theme: nord\nkeys:\n  list:\n    open: [e, enter]\n")
    cfg = load_config(path)
    assert cfg.get("ui.theme") == "nord"
    assert cfg.get("ui.show_captions") is True
    assert cfg.keys["list.open"] == ("e", "enter")
    assert cfg.keys["list.cursor_down"] == ("j", "down")
    assert main(["--config", str(path), "--check-config"]) == 0


def test_print_config_shows_the_effective_settings(tmp_path, capsys):
    path = write(tmp_path, "ui:\n  theme: nord\nkeys:\n  global:\n    quit: ctrl+q\n")
    assert main(["--config", str(path), "--print-config"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["ui"]["theme"] == "nord"
    assert data["keys"]["global"]["quit"] == "ctrl+q"
    assert data["keys"]["global"]["help"] == "?"


def test_lookup_order_cli_then_env_then_xdg(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    (xdg / "newsreader").mkdir(parents=True)
    (xdg / "newsreader" / "config.yaml").write_text("ui: {theme: nord}\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    assert user_config_path(None) == xdg / "newsreader" / "config.yaml"
    env_file = tmp_path / "env.yaml"
    env_file.write_text("ui: {theme: gruvbox}\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(env_file))
    assert user_config_path(None) == env_file
    assert user_config_path(str(tmp_path / "cli.yaml")) == tmp_path / "cli.yaml"


def test_missing_config_file_is_a_one_line_error(tmp_path, capsys):
    status, err = check(capsys, tmp_path / "nope.yaml")
    assert status == 2 and "cannot read config" in err


def test_shipped_config_documents_every_action_with_its_default_keys():
    data = yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))
    documented = {f"{ctx}.{name}" for ctx, actions in data["keys"].items() for name in actions}
    assert documented == set(km.ACTIONS_BY_ID)
    cfg = load_config(None)
    assert cfg.keys == km.default_keymap()


def test_config_error_is_raised_not_printed_by_the_loader(tmp_path):
    with pytest.raises(ConfigError):
        load_config(write(tmp_path, "nonsense: 1\n"))


def test_shipped_clustering_section_matches_the_clustering_defaults():
    from dataclasses import asdict

    from tui.cluster import ClusterSettings

    data = yaml.safe_load(REPO_CONFIG.read_text(encoding="utf-8"))
    assert data["clustering"] == asdict(ClusterSettings())


def test_a_clustering_threshold_from_the_user_config_reaches_the_clusterer(tmp_path):
    cfg = load_config(write(tmp_path, "clustering:\n  min_containment: 0.95\n"))
    assert cfg.cluster_settings().min_containment == 0.95
    assert cfg.cluster_settings().short_tokens == 40


def test_key_names_match_textuals_for_every_character():
    from textual.keys import _character_to_key

    chars = [chr(c) for c in range(32, 127)] + ["\t", "é", "ß", "€", "£", "→", "中", "\x7f"]
    assert {c: km._char_key(c) for c in chars} == {c: _character_to_key(c) for c in chars}
