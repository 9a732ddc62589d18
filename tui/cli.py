"""The ``newsreader`` command: the reader by default, and subcommands for import,
extraction, clustering and feeds.

Every failure a user can cause ends here as one line on stderr and a non-zero
status; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__


def _cmd_extract(args: argparse.Namespace) -> int:
    from tui.analysis import analyze_text, contract_record
    from tui.textio import UnreadableError, decode_bytes

    status = 0
    out = sys.stdout
    for path in args.files:
        try:
            text = decode_bytes(Path(path).read_bytes())
        except (OSError, UnreadableError) as exc:
            print(f"newsreader: {path}: skipped: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        analysis = analyze_text(text, name=path, clean=not args.no_clean)
        rec = contract_record(path, analysis)
        if args.json:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            _print_extract_listing(rec, out)
    return status


def _print_extract_listing(rec: dict, out) -> None:
    from tui.sanitize import display_line

    out.write(f"== {display_line(rec['path'])}\n")
    out.write(f"title:     {display_line(rec['title'] or '-')}\n")
    out.write(f"source:    {display_line(rec['source'] or '-')}   published: {rec['published'] or '-'}\n")
    out.write(f"quotes ({len(rec['quotes'])}):\n")
    for q in rec["quotes"]:
        out.write(f"  “{display_line(q['text'], 120)}” — {display_line(q['speaker'] or '?')}\n")
    out.write(f"entities ({len(rec['entities'])}):\n")
    for e in sorted(rec["entities"], key=lambda e: (e["type"], -len(e["mentions"]))):
        out.write(f"  {e['type']:<12} {display_line(e['name'])} ×{len(e['mentions'])}\n")
    out.write("\n")


def _cmd_cluster(args: argparse.Namespace) -> int:
    from tui.cluster import ClusterSettings, canonical, cluster
    from tui.pages import parse_page
    from tui.sources import iter_article_paths
    from tui.textio import UnreadableError, decode_bytes

    items: list[tuple[str, str]] = []
    status = 0
    for p in iter_article_paths(args.paths):
        try:
            text = decode_bytes(p.read_bytes())
        except (OSError, UnreadableError) as exc:
            print(f"newsreader: {p}: skipped: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        items.append((str(p), parse_page(text, name=str(p)).body))
    settings = ClusterSettings()
    bodies = dict(items)
    groups = cluster(items, settings)
    stories = [{"articles": g, "canonical": canonical([(k, bodies[k]) for k in g])} for g in groups]
    if args.json:
        json.dump({"stories": stories}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for s in stories:
            print(f"{len(s['articles'])}  {s['canonical']}")
            for a in s["articles"]:
                if a != s["canonical"]:
                    print(f"   {a}")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A terminal news reader: duplicate stories collapsed, quotes and entities extracted.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="print title, body, quotes and entities of article files")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per file (eval/CONTRACT.md)")
    p.add_argument("--no-clean", action="store_true", help="analyse the file text as is (offsets into the file)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("cluster", help="group article files into stories")
    p.add_argument("--json", action="store_true", help="one JSON object (eval/CONTRACT.md)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=_cmd_cluster)

    from tui import feedcmds

    feedcmds.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
