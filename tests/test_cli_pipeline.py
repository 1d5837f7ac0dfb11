"""`cleaner clean` as a pipeline step: stdin/stdout, gzip, JSON Lines, bad input."""

import gzip
import json

from conftest import SEEDS, run_cleaner

SEED = SEEDS / "001_78fd2d6b24cce357.txt"
# Big enough to show a line past lines.MAX_LINE_CHARS (1 MB) passes through, small
# enough to keep the test fast.
BIG_INPUT_BYTES = 20_000_000


def jsonl(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def test_gzip_in_and_out_by_extension(tmp_path):
    source = tmp_path / "page.txt.gz"
    source.write_bytes(gzip.compress(SEED.read_bytes()))
    plain = run_cleaner("clean", SEED)
    result = run_cleaner("clean", source, "-o", tmp_path / "clean.txt.gz")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert gzip.decompress((tmp_path / "clean.txt.gz").read_bytes()) == plain.stdout


def test_jsonl_one_record_per_line_fields_passed_through(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        jsonl(
            {"url": "https://example.org/a", "body": SEED.read_text(encoding="utf-8"), "n": 1},
            {"url": "https://example.org/b", "body": "", "n": 2},
        )
    )
    result = run_cleaner("clean", "--format", "jsonl", source, "--text-field", "body")
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert first["url"] == "https://example.org/a" and first["n"] == 1
    assert first["input_line"] == 1 and second["input_line"] == 2
    assert first["body"].startswith("Iran Launches Missiles on U.S. Military Base in Iraq\n\n")
    assert "Fabrice Coffrini—AFP" not in first["body"]
    [article] = first["articles"]
    assert article["byline"] == "Staff Report" and article["index"] == 0
    assert second["body"] == "" and second["articles"] == []


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path):
    good = {"id": "ok", "text": "A short line of text that says very little at all."}
    data = jsonl(good) + b"{not json\n" + jsonl({"id": "no-text"}, [1, 2], good)
    result = run_cleaner("clean", "-", "--input-format", "jsonl", stdin=data)
    assert result.returncode == 2
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["input_line"] for r in records] == [1, 5]
    errors = result.stderr.decode().splitlines()
    assert errors == [
        "cleaner: <stdin>:2: not JSON (Expecting property name enclosed in double quotes); line skipped",
        "cleaner: <stdin>:3: no 'text' field; line skipped",
        "cleaner: <stdin>:4: not a JSON object; line skipped",
    ]


def test_pipeline_is_silent_on_stderr():
    result = run_cleaner("clean", "-", stdin=SEED.read_bytes())
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.startswith(b"Iran Launches Missiles")


def test_missing_binary_and_folder_inputs_fail_alone(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "nul.txt").write_bytes(b"text\x00with nul")
    result = run_cleaner(
        "clean", tmp_path / "missing.txt", tmp_path / "image.png", SEED, tmp_path / "nul.txt"
    )
    assert result.returncode == 2
    assert result.stdout == run_cleaner("clean", SEED).stdout  # the good file still cleaned
    stderr = result.stderr.decode()
    assert f"cleaner: {tmp_path / 'missing.txt'}: no such file or directory" in stderr
    assert f"cleaner: {tmp_path / 'image.png'}: binary input (a PNG image)" in stderr
    assert f"cleaner: {tmp_path / 'nul.txt'}: binary input (NUL bytes)" in stderr
    assert "Traceback" not in stderr
    explain = run_cleaner("explain", tmp_path)
    assert explain.returncode == 2
    assert explain.stderr.decode() == f"cleaner: {tmp_path}: is a directory, expected a file\n"


def test_empty_file_and_invalid_utf8_are_not_errors(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes(
        "Caf\u00e9 owners in the old town say business is slow.\n".encode("cp1252") + b"\xff\n"
    )
    empty = run_cleaner("clean", tmp_path / "empty.txt")
    assert (empty.returncode, empty.stdout, empty.stderr) == (0, b"", b"")
    latin = run_cleaner("clean", tmp_path / "latin.txt")
    assert latin.returncode == 0, latin.stderr
    assert latin.stdout.decode("utf-8").startswith("Café owners in the old town")


def test_huge_line_without_newline_passes_through(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (BIG_INPUT_BYTES // 5))
    result = run_cleaner("clean", big)
    assert result.returncode == 0
    assert result.stdout == big.read_bytes() + b"\n"
    assert b"passed through unchanged" in result.stderr


def test_input_format_html_extracts_first(tmp_path):
    paragraph = "The council approved the new budget on Tuesday after a long debate in the chamber."
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><title>x</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Council approves budget</h1><p>{paragraph}</p>"
        f"<p>{paragraph.replace('Tuesday', 'Wednesday')}</p></article></body></html>",
        encoding="utf-8",
    )
    result = run_cleaner("clean", page)
    assert result.returncode == 0, result.stderr
    assert paragraph in result.stdout.decode()
    assert "<p>" not in result.stdout.decode()
    forced = run_cleaner("clean", "--input-format", "text", page)
    assert "<p>" in forced.stdout.decode()
    feed = tmp_path / "pages.jsonl"
    feed.write_bytes(jsonl({"url": "u", "text": page.read_text(encoding="utf-8")}))
    [record] = [
        json.loads(line)
        for line in run_cleaner("clean", "--input-format", "html", feed).stdout.splitlines()
    ]
    assert paragraph in record["text"] and "<p>" not in record["text"] and record["url"] == "u"


def test_text_format_with_jsonl_input_is_a_usage_error(tmp_path):
    (tmp_path / "in.jsonl").write_bytes(jsonl({"text": "x"}))
    result = run_cleaner("clean", "--format", "text", tmp_path / "in.jsonl")
    assert result.returncode == 2
    assert b"JSON Lines input gives JSON Lines output" in result.stderr


def test_every_subcommand_help_has_examples():
    for command in ("clean", "check", "fix", "explain", "rules"):
        result = run_cleaner(command, "--help")
        assert result.returncode == 0
        examples = result.stdout.split(b"examples:\n", 1)[1]
        assert b"cleaner " + command.encode() + b" " in examples
