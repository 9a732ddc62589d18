"""Loading and checking config.yaml: the documented defaults plus the user's changes.

A bad config must stop start-up with one line that names the file and line and
says what is wrong, never a traceback, so the YAML is read as a node tree (which
keeps line numbers) and checked against the shape of the packaged default
``config.yaml``: unknown settings (with a did-you-mean), wrong types, bad key
names, unknown actions and keys bound twice are all caught before anything runs.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tui import keymap as km

MAX_CONFIG_BYTES = 1_000_000
MAX_NODES = 50_000


class ConfigError(Exception):
    """A one-line, user-facing config problem: ``file:line: setting: what``."""


@dataclass(slots=True)
class Config:
    """The effective configuration."""

    data: dict[str, Any]
    keys: dict[str, tuple[str, ...]]
    source: str | None = None  # the user's file, if any
    feeds: list[dict[str, Any]] = field(default_factory=list)

    def cluster_settings(self) -> Any:
        from tui.cluster import ClusterSettings

        return ClusterSettings(**self.data["clustering"])

    def store_path(self) -> Path:
        from tui.paths import data_dir

        raw = self.data["store"]["path"]
        return Path(os.path.expanduser(raw)) if raw else data_dir() / "newsreader.db"

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node


def default_config_text() -> str:
    return resources.files("tui").joinpath("config.yaml").read_text(encoding="utf-8")


def user_config_path(cli_path: str | None, env: Mapping[str, str] | None = None) -> Path | None:
    """``--config``, then ``$NEWSREADER_CONFIG``, then ``$XDG_CONFIG_HOME/newsreader/config.yaml``."""
    env = os.environ if env is None else env
    if cli_path:
        return Path(cli_path)
    if env.get("NEWSREADER_CONFIG"):
        return Path(env["NEWSREADER_CONFIG"])
    from tui.paths import config_dir

    p = config_dir(env) / "config.yaml"
    return p if p.exists() else None


def _compose(text: str, name: str) -> yaml.Node | None:
    # libyaml when it is there: the pure-Python parser cost 20-60 ms of every launch.
    # On any error the pure-Python one parses again, for its exact file:line message.
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except (yaml.YAMLError, RecursionError, ValueError):
            pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}" if mark else "?"
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{name}:{line}: YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ConfigError(f"{name}:{line}: not YAML text: {exc.reason} character {exc.character!r}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}:1: YAML error: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise ConfigError(f"{name}:{_deepest_line(text)}: config nested too deeply") from None


def _deepest_line(text: str, limit: int = 100) -> int:
    """The line where brackets or indentation first nest past ``limit`` (for the error message)."""
    depth = 0
    for n, line in enumerate(text.splitlines(), 1):
        if len(line) - len(line.lstrip(" ")) > 2 * limit:
            return n
        for ch in line:
            depth += (ch in "[{") - (ch in "]}")
            if depth > limit:
                return n
    return 1


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:null": type(None),
}


class _Reader:
    """Turns a node tree into plain data, checked against the defaults' shape."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.seen_anchors: set[int] = set()

    def where(self, node: yaml.Node) -> str:
        return f"{self.name}:{node.start_mark.line + 1}"

    def fail(self, node: yaml.Node, path: str, msg: str) -> ConfigError:
        return ConfigError(f"{self.where(node)}: {path}: {msg}" if path else f"{self.where(node)}: {msg}")

    def plain(self, node: yaml.Node, path: str) -> Any:
        """A node as data, refusing alias bombs and oversized trees."""
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"config too large (more than {MAX_NODES:,} values)")
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except ValueError as exc:
                raise self.fail(node, path, str(exc)) from None
        if id(node) in self.seen_anchors:
            raise self.fail(node, path, "repeated YAML aliases are not allowed in config")
        self.seen_anchors.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(n, f"{path}[{i}]") for i, n in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    raise self.fail(k, path, "setting names must be plain words")
                out[str(k.value)] = self.plain(v, f"{path}.{k.value}" if path else str(k.value))
            return out
        raise self.fail(node, path, "unsupported YAML value")


def _scalar(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise ValueError(exc.problem or "bad value") from None
    finally:
        loader.dispose()


def _type_name(v: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "a mapping", type(None): "empty"}.get(type(v), type(v).__name__)


def _check_value(reader: _Reader, node: yaml.Node, path: str, default: Any, value: Any) -> Any:
    """Check ``value`` (from ``node``) against the default's type."""
    if default is None:
        return value  # optional settings whose default is empty accept any scalar or list
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise reader.fail(node, path, f"expected true or false, got {_type_name(value)}")
        return value
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise reader.fail(node, path, f"expected {_type_name(default)}, got {_type_name(value)}")
        if isinstance(default, int) and not isinstance(value, int):
            raise reader.fail(node, path, f"expected a whole number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise reader.fail(node, path, f"expected a finite number, got {value!r}")
        if value < 0:
            raise reader.fail(node, path, f"must not be negative, got {value!r}")
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise reader.fail(node, path, f"expected text, got {_type_name(value)}")
        return value
    if isinstance(default, list):
        if not isinstance(value, list):
            raise reader.fail(node, path, f"expected a list, got {_type_name(value)}")
        return value
    return value


def _merge(reader: _Reader, node: yaml.MappingNode, path: str, defaults: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise reader.fail(knode, path, "setting names must be plain words")
        key = str(knode.value)
        sub = f"{path}.{key}" if path else key
        if key not in defaults:
            hint = difflib.get_close_matches(key, list(defaults), n=1, cutoff=0.6)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise reader.fail(knode, sub, f"unknown setting{extra}")
        if path == "" and key == "keys":
            out[key] = vnode
            continue
        if path == "" and key == "feeds":
            out[key] = _feeds(reader, vnode)
            continue
        if isinstance(defaults[key], dict):
            if isinstance(vnode, yaml.ScalarNode) and vnode.value in ("", "~", "null"):
                continue
            if not isinstance(vnode, yaml.MappingNode):
                raise reader.fail(vnode, sub, f"expected a mapping of settings, got {_type_name(reader.plain(vnode, sub))}")
            out[key] = _merge(reader, vnode, sub, defaults[key])
        else:
            out[key] = _check_value(reader, vnode, sub, defaults[key], reader.plain(vnode, sub))
    return out


def _feeds(reader: _Reader, node: yaml.Node) -> list[dict[str, Any]]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise reader.fail(node, "feeds", "expected a list of feeds")
    feeds = []
    for i, item in enumerate(node.value):
        p = f"feeds[{i}]"
        if isinstance(item, yaml.ScalarNode):
            url = reader.plain(item, p)
            feed: dict[str, Any] = {"url": url, "name": None, "tags": []}
        elif isinstance(item, yaml.MappingNode):
            feed = {"url": None, "name": None, "tags": []}
            for k, v in item.value:
                key = str(k.value)
                if key not in feed:
                    hint = difflib.get_close_matches(key, list(feed), n=1, cutoff=0.6)
                    extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                    raise reader.fail(k, f"{p}.{key}", f"unknown setting{extra}")
                feed[key] = reader.plain(v, f"{p}.{key}")
            if isinstance(feed["tags"], str):
                feed["tags"] = [feed["tags"]]
        else:
            raise reader.fail(item, p, "expected a URL or a mapping with url, name, tags")
        url = feed["url"]
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise reader.fail(item, f"{p}.url", "expected an http:// or https:// URL")
        if not isinstance(feed["tags"], list) or not all(isinstance(t, str) for t in feed["tags"]):
            raise reader.fail(item, f"{p}.tags", "expected a list of words")
        feeds.append(feed)
    return feeds


def _keys(reader: _Reader, node: yaml.Node | None, base: dict[str, tuple[str, ...]],
          where: dict[str, str]) -> dict[str, tuple[str, ...]]:
    effective = dict(base)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return effective
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, "keys", "expected a mapping of contexts (global, list, article, panes)")
    for cnode, anode in node.value:
        ctx = str(cnode.value)
        if ctx not in km.CONTEXTS:
            hint = difflib.get_close_matches(ctx, km.CONTEXTS, n=1, cutoff=0.5)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise reader.fail(cnode, f"keys.{ctx}", f"unknown context{extra}; contexts are {', '.join(km.CONTEXTS)}")
        if isinstance(anode, yaml.ScalarNode) and anode.value in ("", "~", "null"):
            continue
        if not isinstance(anode, yaml.MappingNode):
            raise reader.fail(anode, f"keys.{ctx}", "expected a mapping of action: key")
        for an, kn in anode.value:
            action = str(an.value)
            path = f"keys.{ctx}.{action}"
            aid = f"{ctx}.{action}"
            if aid not in km.ACTIONS_BY_ID:
                hint = km.suggest_action(action, ctx)
                other = [a.id for a in km.ACTIONS if a.name == action]
                if other:
                    extra = f" (it is in '{other[0].split('.')[0]}')"
                elif hint:
                    extra = f" (did you mean '{hint}'?)"
                else:
                    extra = ""
                raise reader.fail(an, path, f"unknown action{extra}")
            raw = reader.plain(kn, path)
            if isinstance(raw, str):
                items = [raw]
            elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
                items = raw
            elif raw is None or raw == []:
                raise reader.fail(kn, path, "needs at least one key")
            else:
                raise reader.fail(kn, path, "expected a key or a list of keys")
            keys: list[str] = []
            for item in items:
                norm = km.normalize_key(item)
                if norm is None:
                    hint = km.suggest_key(item)
                    extra = f" (did you mean '{hint}'?)" if hint else ""
                    raise reader.fail(kn, path, f"unknown key name '{item}'{extra}")
                if norm not in keys:
                    keys.append(norm)
            effective[aid] = tuple(keys)
            where[aid] = reader.where(kn)
    return effective


def load_config(user_path: Path | None = None) -> Config:
    """The packaged defaults merged with the user's file; raises ConfigError."""
    default_text = default_config_text()
    dreader = _Reader("config.yaml (built-in)")
    dnode = _compose(default_text, dreader.name)
    defaults = dreader.plain(dnode, "") if dnode is not None else {}
    defaults.pop("keys", None)
    default_feeds = defaults.pop("feeds", None) or []
    defaults["keys"] = {}
    defaults["feeds"] = []
    # The shipped config.yaml lists every clustering threshold (a test keeps it equal to
    # ClusterSettings), so start-up need not import the clustering code.
    defaults["clustering"] = dict(defaults.get("clustering") or {})
    default_keys_node = None
    if isinstance(dnode, yaml.MappingNode):
        for k, v in dnode.value:
            if k.value == "keys":
                default_keys_node = v
    base_keys = _keys(_Reader(dreader.name), default_keys_node, km.default_keymap(), {})
    where: dict[str, str] = {}
    data = dict(defaults)
    data["feeds"] = default_feeds
    effective = dict(base_keys)
    source = None
    if user_path is not None:
        source = str(user_path)
        name = str(user_path)
        try:
            raw = user_path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{name}: cannot read config: {exc.strerror or exc}") from None
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{name}:1: config file too large ({len(raw):,} bytes; limit {MAX_CONFIG_BYTES:,})")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ConfigError(f"{name}:{line}: config is not UTF-8 text") from None
        reader = _Reader(name)
        node = _compose(text, name)
        if node is not None:
            if not isinstance(node, yaml.MappingNode):
                raise ConfigError(f"{name}:{node.start_mark.line + 1}: config must be a mapping of settings")
            try:
                merged = _merge(reader, node, "", defaults)
                keys_node = merged.pop("keys", None)
                data = merged
                if not isinstance(keys_node, yaml.Node):
                    keys_node = None
                effective = _keys(reader, keys_node, base_keys, where)
            except RecursionError:
                raise ConfigError(f"{name}:{_deepest_line(text)}: config nested too deeply") from None
            if not isinstance(data.get("feeds"), list):
                data["feeds"] = default_feeds
    data.pop("keys", None)
    clashes = km.conflicts(effective)
    if clashes:
        key, a, b = clashes[0]
        loc = where.get(b) or where.get(a) or (source or "config.yaml")
        raise ConfigError(
            f"{loc}: keys: '{km.display_key(key)}' is bound to both {a} and {b}; give one of them another key"
        )
    return Config(data=data, keys=effective, source=source, feeds=list(data.get("feeds") or []))


def effective_yaml(cfg: Config) -> str:
    """The effective config as YAML (``newsreader --print-config``)."""
    out = dict(cfg.data)
    keys: dict[str, dict[str, Any]] = {}
    for aid, ks in cfg.keys.items():
        ctx, name = aid.split(".", 1)
        shown = [km.display_key(k) for k in ks]
        keys.setdefault(ctx, {})[name] = shown[0] if len(shown) == 1 else shown
    out["keys"] = keys
    return yaml.safe_dump(out, sort_keys=False, allow_unicode=True, default_flow_style=None)
