"""The ``cleaner`` command: a thin layer over cleaner.pipeline.

Exit codes follow black/ruff: 0 success, 1 (check) some file would change, 2 error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .decode import BinaryInputError
from .pipeline import clean, clean_records
from .render import render_text
from .rules import RuleError

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2

CLEAN_EPILOG = """\
examples:
  cleaner clean seeds/000_8ff13bd2cb8732cc.txt          clean text to stdout
  cat page.txt | cleaner clean -                        read stdin
  cleaner clean --format jsonl seeds/*.txt              one JSON record per article
  cleaner clean --format jsonl --explain page.txt       add `removed`: each dropped
                                                        line and the rule that dropped it
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Turn scraped news text into clean articles: strip site chrome, "
        "repair encoding, one record per article.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    clean_cmd = commands.add_parser(
        "clean",
        help="clean files (or stdin) and print clean text or JSON records",
        description="Clean scraped files and write the clean articles to stdout.",
        epilog=CLEAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    clean_cmd.add_argument("paths", nargs="+", metavar="PATH", help="input files; - for stdin")
    clean_cmd.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: title, blank line, body (default); jsonl: one record per article",
    )
    clean_cmd.add_argument(
        "--explain",
        action="store_true",
        help="with --format jsonl, add `removed`: every dropped line with its rule id",
    )
    clean_cmd.add_argument(
        "--input-format",
        choices=("auto", "text", "html"),
        default="auto",
        help="how to read the input: auto-detect HTML (default), or force text/html",
    )
    return parser


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _error(path: str, message: str) -> None:
    print(f"cleaner: {path}: {message}", file=sys.stderr)


def run_clean(args: argparse.Namespace) -> int:
    status = EXIT_OK
    out = sys.stdout
    for path in args.paths:
        try:
            data = _read(path)
            source = "<stdin>" if path == "-" else path
            if args.format == "jsonl":
                for record in clean_records(
                    data, source, args.explain, input_format=args.input_format
                ):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                out.write(
                    render_text(clean(data, input_format=args.input_format, detect_lang=False))
                )
        except (OSError, BinaryInputError) as exc:
            _error(path, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))
            status = EXIT_ERROR
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run_clean(args)
    except RuleError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `cleaner clean … | head` closed the pipe: not an error
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
