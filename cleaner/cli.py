"""The ``cleaner`` command: a thin layer over cleaner.pipeline, cleaner.batch and
cleaner.io. Each subcommand's options are declared in one ``add_*_options`` function.

Exit codes follow black/ruff: 0 success, 1 (check) some file would change, 2 error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import __version__, cache
from .batch import (
    Options,
    Progress,
    Sink,
    Summary,
    available_cpus,
    make_tasks,
    run_tasks,
    walk,
)
from .classify import RULE_DESCRIPTION as CLASSIFIER_DESCRIPTION
from .classify import RULE_ID as CLASSIFIER_RULE_ID
from .config import Config, load_config
from .decode import BinaryInputError
from .io import AtomicFile, InputError, decode_text_file, is_jsonl_name, read_input
from .pipeline import clean
from .rules import RuleError, RuleSet, builtin_pack_paths

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130

DESCRIPTION = """\
Turn scraped news text into clean articles: strip site chrome (comment widgets,
captchas, "Related Articles", captions, scraper signatures), repair broken encoding,
and give one record per article, every removal explained by the rule that made it.
"""

MAIN_EPILOG = """\
commands:
  clean     pipeline step or batch job: clean files, folders or stdin
  check     pre-commit check: exit 1 when a file would change
  fix       rewrite files in place with their clean text (atomically)
  explain   list every removed line of a file with its rule
  rules     list the rule packs and rules

Run `cleaner COMMAND --help` for each command's options and examples.

environment:
  CLEANER_CACHE_DIR   where to cache the stop-word tables, built from jusText's lists
                      on a run's first document (default: $XDG_CACHE_HOME/cleaner or
                      ~/.cache/cleaner); cached, a short run starts 0.1 s sooner
  CLEANER_NO_CACHE    any value: build the tables in memory, write no cache
"""

CLEAN_DESCRIPTION = """\
Clean scraped files, folders or stdin; write clean text or JSON records to stdout, a
file or a folder.

As a pipeline step (stdin/stdout), output is written in input order and nothing but
errors goes to stderr. Inputs ending in .gz are decompressed; an output file ending in
.gz is compressed. A .jsonl/.ndjson input (or --input-format jsonl) gives one output
record per input line: the input's fields passed through, --text-field replaced by the
clean text, plus "articles" (the article records) and "input_line" (its line number).

As a batch job (-o FOLDER), every input file gives <stem>.txt (one article),
<stem>.<n>.txt (a merged file split into articles, n from 0) or, with --format jsonl,
<stem>.jsonl; the folder layout below each input folder is kept. An input whose output
is newer is skipped unless --force. Each file is written atomically (a temporary file
renamed into place): a run that is killed never leaves a half-written one; --fsync also
flushes each to disk first (after a power cut without it, run again with --force). A
progress bar shows on stderr when it is a terminal; a one-line summary ends the run
(--quiet silences both).

Bad inputs (missing, a folder, binary, unreadable, a JSONL line that is not JSON or
lacks the text field) get a one-line message on stderr; the batch goes on, outputs are
never half-written, and the exit code is 2. An empty file gives an empty result; bytes
that are not UTF-8 are decoded as cp1252; a line over 1 MB is passed through unchanged.
"""

CLEAN_EPILOG = """\
examples:
  cat page.txt | cleaner clean - > clean.txt          pipeline step: stdin to stdout
  cleaner clean seeds/000_8ff13bd2cb8732cc.txt        clean text: title, blank line, body
  cleaner clean --format jsonl seeds/*.txt            one JSON record per article
  cleaner clean --format jsonl --explain page.txt     + "removed": each dropped line, rule
  cleaner clean in.jsonl.gz --text-field body -o out.jsonl.gz   JSON Lines in and out
  cleaner clean scraped/ -o clean/                    batch: one file per article
  cleaner clean scraped/ -o clean/ --glob '*.html' --format jsonl --jobs 4
  cleaner clean page.html --input-format html         extract with trafilatura first
"""

CHECK_DESCRIPTION = """\
Check that scraped text files are already clean, for pre-commit and CI: a file is clean
when its content equals its clean text (in its own line-ending style and BOM). Lists
the files that would change on stdout.

exit codes: 0 every file is clean, 1 some file would change, 2 an error (unreadable,
binary or HTML file, a rule timeout); errors win over changes.
"""

CHECK_EPILOG = """\
examples:
  cleaner check scraped/                       every *.txt below scraped/
  cleaner check --diff page.txt                show what fix would change
  cleaner check --glob '*.text' corpus/        other file names
"""

FIX_DESCRIPTION = """\
Rewrite scraped text files in place with their clean text. Each file is replaced
atomically (written to a temporary file in the same folder, fsynced, renamed over the
original), so a file is never half-written. A file keeps its CRLF line ends and its
UTF-8 byte order mark; a file that is not UTF-8 (decoded as cp1252) is written back as
UTF-8. HTML and JSON Lines files are refused (fix would destroy them): use clean.

exit codes: 0 nothing to fix or every file fixed, 2 an error.
"""

FIX_EPILOG = """\
examples:
  cleaner fix scraped/page.txt
  cleaner fix scraped/ --jobs 2
"""

EXPLAIN_DESCRIPTION = """\
Explain how a file was cleaned: every removed line with its line number, the id of the
rule that removed it and that rule's description, and every split decision (where a
merged file was cut into articles, and why).
"""

EXPLAIN_EPILOG = """\
examples:
  cleaner explain seeds/000_8ff13bd2cb8732cc.txt
  cleaner explain --format json page.txt | jq '.articles[].removed[].rule'
  cleaner explain --disable site.section-label page.txt
"""

RULES_DESCRIPTION = """\
List the rule packs and their rules (id, kind, description), including the packs added
with --rules or [tool.cleaner] rules, and marking the rules switched off and those
tried on every line (a pattern the RE2 screen cannot hold, such as a back-reference:
slower on big batches).
"""

RULES_EPILOG = """\
examples:
  cleaner rules
  cleaner rules --rules our-site.toml --disable site.page-id
  cleaner rules --format json | jq -r '.[].rules[].id'

configuration (pyproject.toml, nearest from the current folder upwards):
  [tool.cleaner]
  rules = ["cleaning/our-site.toml"]   # extra packs, relative to pyproject.toml
  disable = ["site.page-id"]           # rule ids switched off
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _jobs(value: str) -> int:
    jobs = int(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rules")
    group.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="add a rule pack (TOML; repeatable); also [tool.cleaner] rules",
    )
    group.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE_ID",
        help="switch a rule off (repeatable); also [tool.cleaner] disable",
    )


def add_batch_options(parser: argparse.ArgumentParser, default_glob: str) -> None:
    group = parser.add_argument_group("batch")
    group.add_argument(
        "--glob",
        default=default_glob,
        metavar="PATTERN",
        help=f"in folders, take files whose name or relative path matches (default: "
        f"{default_glob!r}; hidden files and folders are skipped)",
    )
    group.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=available_cpus(),
        metavar="N",
        help="worker processes (default: the cores this process may use); output is the "
        "same for any N",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary; errors only"
    )


def add_clean_options(parser: argparse.ArgumentParser) -> None:
    """All of clean's options, in one place (new engines or formats go here)."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="input files or folders; - for stdin"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to this file (.gz: compressed) instead of stdout; a folder when it "
        "exists, ends with /, or the inputs are a folder or several files",
    )
    parser.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default=None,
        help="text: title, blank line, body (default); jsonl: one record per article "
        "(the default for JSON Lines input)",
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", "text", "html", "jsonl"),
        default="auto",
        help="auto (default): HTML detected by content, JSON Lines by a .jsonl/.ndjson "
        "name; html: pages (or a .jsonl file's text fields) go through trafilatura "
        "extraction first; text: never HTML, never JSON Lines",
    )
    parser.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="JSON Lines input: the field that holds the scraped text (default: text)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="with JSON output, add `removed`: every dropped line with its rule id",
    )
    parser.add_argument(
        "--force", action="store_true", help="with -o FOLDER, redo inputs whose output is newer"
    )
    parser.add_argument(
        "--fsync",
        action="store_true",
        help="with -o FOLDER, flush each output file to disk before renaming it into place, "
        "so that a power cut cannot leave an empty one (about 0.4 ms a file on a local disk, "
        "more on a network file system; a single -o FILE and `fix` always do)",
    )
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local (default): this machine's cores (--jobs); dask: a dask.bag over the "
        "inputs (paths, globs or fsspec URLs such as s3://bucket/*.jsonl.gz), on the "
        "scheduler given by --scheduler; needs `pip install 'cleaner[dask]'`",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a distributed scheduler address (tcp://host:8786) or "
        "scheduler file, or threads/processes/synchronous (default: local processes)",
    )
    add_batch_options(parser, default_glob="*")
    add_rule_options(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner", description=DESCRIPTION, epilog=MAIN_EPILOG, formatter_class=_formatter
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str, epilog: str):
        return commands.add_parser(
            name, help=summary, description=description, epilog=epilog, formatter_class=_formatter
        )

    add_clean_options(
        command("clean", "clean files, folders or stdin", CLEAN_DESCRIPTION, CLEAN_EPILOG)
    )
    for name, summary, description, epilog in (
        ("check", "exit 1 when a file would change", CHECK_DESCRIPTION, CHECK_EPILOG),
        ("fix", "rewrite files with their clean text", FIX_DESCRIPTION, FIX_EPILOG),
    ):
        sub = command(name, summary, description, epilog)
        sub.add_argument("paths", nargs="+", metavar="PATH", help="text files or folders")
        if name == "check":
            sub.add_argument("--diff", action="store_true", help="print a unified diff per file")
        add_batch_options(sub, default_glob="*.txt")
        add_rule_options(sub)

    explain = command(
        "explain", "list removed lines and their rules", EXPLAIN_DESCRIPTION, EXPLAIN_EPILOG
    )
    explain.add_argument("path", metavar="FILE", help="a scraped file (text or HTML; .gz ok)")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument(
        "--input-format", choices=("auto", "text", "html"), default="auto", help="as for clean"
    )
    add_rule_options(explain)

    rules = command("rules", "list rule packs and rules", RULES_DESCRIPTION, RULES_EPILOG)
    rules.add_argument("--format", choices=("text", "json"), default="text")
    add_rule_options(rules)
    return parser


# --- helpers ------------------------------------------------------------------------------


def _error(message: str) -> None:
    print(f"cleaner: {message}", file=sys.stderr)


def _config(args: argparse.Namespace) -> Config:
    return load_config().merged(args.rules, args.disable)


def _rule_args(config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(str(p) for p in config.rules), config.disable


def _output_is_folder(args: argparse.Namespace) -> bool:
    out = args.output
    return (
        os.path.isdir(out)
        or out.endswith(("/", os.sep))
        or len(args.paths) > 1
        or any(p != "-" and os.path.isdir(p) for p in args.paths)
    )


def _progress(args: argparse.Namespace, inputs: Iterable) -> Progress | None:
    """A progress bar when stderr is a terminal; ``inputs`` is a second walk of the
    inputs, consumed here only to count them (names only, cheap)."""
    if args.quiet or not sys.stderr.isatty():
        return None
    return Progress(sum(1 for _ in inputs))


def _print_summary(args: argparse.Namespace, summary: Summary, to_files: bool) -> None:
    if not args.quiet and (to_files or sys.stderr.isatty()):
        print(summary.line(), file=sys.stderr)


# --- commands -----------------------------------------------------------------------------


def run_clean(args: argparse.Namespace) -> int:
    config = _config(args)
    rules = config.load_rules()
    inputs_jsonl = args.input_format == "jsonl" or (
        args.input_format != "text" and any(is_jsonl_name(p) for p in args.paths if p != "-")
    )
    if args.format == "text" and inputs_jsonl:
        _error("JSON Lines input gives JSON Lines output; drop --format text")
        return EXIT_ERROR
    output_format = args.format or ("jsonl" if inputs_jsonl else "text")
    out_dir = args.output if args.output and _output_is_folder(args) else None
    if out_dir and "-" in args.paths:
        _error("stdin has no file name to write into a folder; use -o FILE")
        return EXIT_ERROR
    if args.engine == "dask":
        return _run_clean_dask(args, rules, output_format, inputs_jsonl, out_dir)
    options = Options(
        mode="clean",
        output_format=output_format,
        input_format=args.input_format,
        text_field=args.text_field,
        explain=args.explain,
        out_dir=out_dir,
        fsync=args.fsync,
    )
    summary = Summary("clean")
    inputs = walk(args.paths, args.glob, exclude=out_dir)
    tasks = make_tasks(inputs, options, summary, force=args.force)
    jobs = _effective_jobs(args, inputs_jsonl)
    out_file = AtomicFile(args.output) if args.output and not out_dir else None
    sink = Sink(out_file.handle if out_file else sys.stdout.buffer, fsync=args.fsync)
    try:
        run_tasks(
            tasks,
            options,
            rules,
            _rule_args(config),
            jobs,
            summary,
            sink,
            _progress(args, walk(args.paths, args.glob, exclude=out_dir)),
        )
    except BaseException:
        if out_file:
            out_file.abort()
        raise
    if out_file:
        out_file.commit()
    sys.stdout.flush()
    _print_summary(args, summary, to_files=bool(args.output))
    return EXIT_ERROR if summary.errors else EXIT_OK


def _run_clean_dask(
    args: argparse.Namespace,
    rules: RuleSet,
    output_format: str,
    inputs_jsonl: bool,
    out_dir: str | None,
) -> int:
    """clean with --engine dask: the same records, computed by a dask.bag.

    With -o FOLDER each partition is written to its own part file in parallel;
    otherwise one stream (stdout or -o FILE) in input order."""
    try:
        from .dask import run_dask
    except ImportError:
        _error("--engine dask needs Dask: pip install 'cleaner[dask]'")
        return EXIT_ERROR
    if "-" in args.paths:
        _error("--engine dask reads files or URLs, not stdin")
        return EXIT_ERROR
    suffix = ".jsonl" if output_format == "jsonl" else ".txt"
    if out_dir:
        output = os.path.join(out_dir, f"part-*{suffix}")
        os.makedirs(out_dir, exist_ok=True)
    else:
        output = args.output or sys.stdout
    try:
        written = run_dask(
            args.paths,
            output,
            scheduler=args.scheduler,
            format=output_format,
            text_field=args.text_field if inputs_jsonl else None,
            input_format="html" if args.input_format == "html" else "auto",
            explain=args.explain,
            rules=rules,
        )
    except BrokenProcessPool:
        # Dask gives up on the whole computation; unlike the local engine, it cannot
        # tell which input killed the worker.
        _error("a Dask worker process died (killed, or out of memory?); the run stopped")
        return EXIT_ERROR
    sys.stdout.flush()
    if not args.quiet and (args.output or sys.stderr.isatty()):
        print(f"cleaner: dask engine, {written} item(s) written", file=sys.stderr)
    return EXIT_OK


def _effective_jobs(args: argparse.Namespace, inputs_jsonl: bool) -> int:
    """One process for a single text file or stdin: a pool would only add start-up time
    (a single JSON Lines input still spreads its chunks over the workers)."""
    one_document = len(args.paths) == 1 and not os.path.isdir(args.paths[0])
    return 1 if one_document and not inputs_jsonl else args.jobs


def run_check_or_fix(args: argparse.Namespace) -> int:
    if args.command == "fix" and "-" in args.paths:
        _error("fix rewrites files in place; stdin has none (use `cleaner clean -`)")
        return EXIT_ERROR
    config = _config(args)
    rules = config.load_rules()
    options = Options(mode=args.command, diff=getattr(args, "diff", False))
    summary = Summary(args.command)
    verb = "would fix" if args.command == "check" else "fixed"

    def report(result) -> None:
        if result.changed and not result.errors:
            print(f"{verb}: {result.source}", flush=True)
        if result.output:
            sys.stdout.write(result.output)

    tasks = make_tasks(walk(args.paths, args.glob), options, summary)
    jobs = args.jobs if len(args.paths) > 1 or os.path.isdir(args.paths[0]) else 1
    run_tasks(
        tasks,
        options,
        rules,
        _rule_args(config),
        jobs,
        summary,
        Sink(None),
        _progress(args, walk(args.paths, args.glob)),
        report,
    )
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    if summary.errors:
        return EXIT_ERROR
    return EXIT_CHANGED if summary.changed and args.command == "check" else EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    rules = _config(args).load_rules()
    try:
        text = decode_text_file(read_input(args.path))
    except (InputError, BinaryInputError) as exc:
        _error(f"{args.path}: {exc}")
        return EXIT_ERROR
    articles = clean(text, rules, args.input_format, detect_lang=True)
    report = _explanation(args.path, articles, rules)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(_explanation_text(report))
    if rules.timeouts:
        for rule_id, line in rules.timeouts:
            _error(f"{args.path}: rule {rule_id} timed out on {line!r}...; the line was kept")
        return EXIT_ERROR
    return EXIT_OK


def _explanation(source: str, articles, rules: RuleSet) -> dict:
    described = {r.id: r.description for r in rules.rules}
    described[CLASSIFIER_RULE_ID] = CLASSIFIER_DESCRIPTION
    return {
        "source": source,
        "articles": [
            {
                "index": index,
                "title": article.title,
                "first_line": article.lines[0].number if article.lines else None,
                "split": list(article.notes),
                "removed": [
                    dict(removed, description=described.get(removed["rule"], ""))
                    for removed in article.removed()
                ],
            }
            for index, article in enumerate(articles)
        ],
    }


def _shorten(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _explanation_text(report: dict) -> str:
    articles = report["articles"]
    removed = sum(len(a["removed"]) for a in articles)
    out = [f"{report['source']}: {len(articles)} article(s), {removed} line(s) removed\n"]
    for article in articles:
        out.append(f"\narticle {article['index']} (from line {article['first_line']}): ")
        out.append(f"{article['title'] or '(no title)'}\n")
        for reason in article["split"]:
            out.append(f"  split: {reason}\n")
        if not article["removed"]:
            out.append("  nothing removed\n")
        for item in article["removed"]:
            rule = item["rule"]
            if "score" in item:  # the classifier: say how sure it was
                rule = f"{rule} (score {item['score']:.2f})"
            out.append(f"  line {item['line']:>4}  {rule}: {_shorten(item['text'])}\n")
            out.append(f"             {item['description']}\n")
    return "".join(out)


def _pack_headers(paths: Sequence[Path]) -> dict[str, dict]:
    headers = {}
    for path in paths:
        try:
            header = tomllib.loads(path.read_text(encoding="utf-8")).get("pack") or {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            header = {}  # load_rules read it a moment ago; the listing can do without
        headers[header.get("id") or path.stem] = {
            "description": header.get("description", ""),
            "path": str(path),
        }
    return headers


def run_rules(args: argparse.Namespace) -> int:
    config = _config(args)
    rules = config.load_rules()
    headers = _pack_headers(builtin_pack_paths() + list(config.rules))
    packs: dict[str, dict] = {}
    for rule in rules.rules:
        pack = packs.setdefault(
            rule.pack, {"id": rule.pack, **headers.get(rule.pack, {}), "rules": []}
        )
        pack["rules"].append(
            {
                "id": rule.id,
                "kind": rule.kind,
                "where": rule.where,
                "description": rule.description,
                "disabled": rule.id in rules.disabled,
                "every_line": rule.id in rules.unscreened,
            }
        )
    if args.format == "json":
        print(json.dumps(list(packs.values()), ensure_ascii=False, indent=2))
        return EXIT_OK
    for pack in packs.values():
        print(f"{pack['id']}  ({pack.get('path', '')})")
        if pack.get("description"):
            print(f"  {pack['description']}")
        for rule in pack["rules"]:
            off = "  [disabled]" if rule["disabled"] else ""
            off += f"  {_EVERY_LINE}" if rule["every_line"] else ""
            print(f"    {rule['id']:<30} {rule['kind']:<14} {rule['description']}{off}")
        print()
    if rules.unscreened:
        print(
            f"Rules marked {_EVERY_LINE} have a pattern the RE2 screen cannot hold (a "
            "back-reference, say): each costs a regex search on every line."
        )
    return EXIT_OK


_EVERY_LINE = "[tried on every line]"


COMMANDS = {
    "clean": run_clean,
    "check": run_check_or_fix,
    "fix": run_check_or_fix,
    "explain": run_explain,
    "rules": run_rules,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    cache.use_default_folder()  # the stop-word tables load in 0.03 s instead of 0.2
    try:
        return COMMANDS[args.command](args)
    except RuleError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of stdout went away (`cleaner clean ... | head`): not an error.
        # Python would complain again when flushing stdout at exit; point it at devnull.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # e.g. the output folder or file cannot be created
        _error(f"{exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
