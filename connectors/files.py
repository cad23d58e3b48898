"""Landed files: which part of each is new, how its lines become records, and whether its text
can be what the company wrote.

Which part is new is remembered in dlt's state (committed only with a load). Each file is
remembered by its path, how many bytes of it were loaded, and the SHA-256 of those bytes;
whole files also by their content hash. So a folder delivered twice, or the same file under
another name (also twice in one delivery), loads nothing twice; a file that grew (the PBX
still writing today's log) loads only its new complete lines; a file replaced by different
content loads again from the start."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from c360.config import Config, check_encoding, check_folder
from connectors.batches import repeated
from connectors.loader import SOURCE


def check_landing_section(config: Config, section: dict, where: str) -> None:
    """The config section of a source that drops files: its landing folder exists, and its
    encoding (if given) is one Python can read text in."""
    check_folder(config, section, "landing_dir", where)
    if section.get("encoding") is not None:
        check_encoding(section["encoding"], f"{where}.encoding", config.path)


@dataclass
class NewPart:
    relative: str
    data: bytes  # the new complete lines (for a whole file: all of it)
    already_loaded_lines: int  # lines of this file loaded by an earlier run
    header: bytes  # the file's first line, for CSV parts that start mid-file
    starts_at_beginning: bool
    loaded_bytes: int  # how far the file is loaded once this part is
    loaded_sha256: str  # hash of those bytes
    whole_sha256: str | None  # the file's hash when this part completes it
    same_as: str | None = None  # for a content already loaded under another name: that name
    already_loaded_records: int = 0  # and the records (non-blank lines) it holds


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileLedger:
    """Wraps the `files` and `contents` entries of a dlt resource state dict."""

    def __init__(self, state: dict):
        self.files: dict = state.setdefault("files", {})
        self.contents: dict = state.setdefault("contents", {})
        self.handed: dict[str, str] = {}  # content hash -> name, of whole files handed to this load

    def new_part(self, path: Path, relative: str, growing: bool) -> NewPart | None:
        """What of `path` is still to load; None when nothing is. A `growing` file loads up
        to its last newline only; the partial last line waits for the next run. A whole file
        whose content was loaded before, or is in this load under another name, is a part
        without data that says which name it came under."""
        raw = path.read_bytes()
        entry = self.files.get(relative)
        end = raw.rfind(b"\n") + 1 if growing else len(raw)
        whole = None  # the file's hash, computed only when the ledger's own hash does not settle it
        same_as = None
        if entry and entry["bytes"] <= len(raw) and _sha(raw[: entry["bytes"]]) == entry["sha256"]:
            start = entry["bytes"]  # the common nightly case: one hash of what was loaded, no more
        else:
            whole = _sha(raw)
            same_as = None if growing else self.handed.get(whole) or self.contents.get(whole)
            start = len(raw) if same_as else 0  # same drop again, or new
        newline = raw.find(b"\n")
        header = b"" if not raw else (raw if newline < 0 else raw[:newline]) + b"\n"  # split() copies the file
        if end <= start:
            if entry is None:  # a known content under a new name: remember the name too
                self.files[relative] = {"bytes": len(raw), "sha256": whole}
                return NewPart(
                    relative, b"", raw.count(b"\n"), header, False, len(raw), whole, whole, same_as, record_count(raw)
                )
            return None
        loaded_sha = whole if whole and end == len(raw) else _sha(raw[:end])
        if whole and end == len(raw):
            self.handed[whole] = relative
        return NewPart(
            relative,
            raw[start:end],
            raw[:start].count(b"\n"),
            header,
            start == 0,
            end,
            loaded_sha,
            loaded_sha if end == len(raw) else None,
        )

    def remember(self, part: NewPart) -> None:
        """Record that `part` was handed to the load (stored with the load's state)."""
        self.files[part.relative] = {"bytes": part.loaded_bytes, "sha256": part.loaded_sha256}
        if part.whole_sha256:
            self.contents[part.whole_sha256] = part.relative


# --- Records: one physical line each --------------------------------------------------------
#
# Every file format c360 reads is line-oriented: one record a line. So a record ends at its
# line's end whatever its quotes say: a quote left open on one line must not take the lines
# after it (it does, in any CSV reader: a value may span lines in RFC 4180; pyarrow's
# `newlines_in_values=False` does not stop it). Every record is counted from the bytes
# themselves, not by the parser; Arrow parses the file in bulk, and when it made fewer rows
# than there are records, the lines it read past their end are found (in bulk), kept aside
# alone with their line number and why, and the rest parsed again. What still does not add
# up is left to the reconciliation, which then fails the load.

# A line Arrow's reader ends outside a quoted value (its rules: a field that starts with a
# quote is quoted until a lone quote, `""` being a quote inside; after it, or in a field that
# does not start with one, a quote is a plain character; a CR outside quotes ends a row).
_FIELD = r'(?:"(?:[^"]|"")*"[^,\r]*|[^",\r][^,\r]*)?'
CLOSED_LINE = rf"^{_FIELD}(?:,{_FIELD})*$"


@dataclass
class Parsed:
    """One part of a file, read: the rows that parsed (text columns), the physical line number
    of each, the lines kept aside with their reasons, and how many records (non-blank lines)
    the part holds, counted from its bytes."""

    table: pa.Table | None
    line_numbers: pa.Array | None  # int64, aligned with `table`; None where they could not be aligned
    quarantined: list[dict]
    records: int
    whole_file_reason: str | None = None  # set when the whole part was kept aside


class PendingParts:
    """The parsed parts of one table that wait to be loaded as one batch. `add` counts each part
    into the table's tally (records read, lines kept aside) and says when a whole part was kept
    aside; `take` hands over the rows, their origins and line numbers, and starts again."""

    def __init__(self) -> None:
        self._start_again()

    def _start_again(self) -> None:
        self.tables: list[pa.Table] = []
        self.origins: list[pa.Array] = []
        self.lines: list[pa.Array] = []

    def add(self, source: str, relative: str, parsed: Parsed, counts, log) -> None:
        counts.read += parsed.records
        counts.quarantined += parsed.quarantined
        if parsed.whole_file_reason:
            log(f"{source}: {relative} quarantined whole ({parsed.records:,} lines): {parsed.whole_file_reason}")
        table = parsed.table
        if table is not None and table.num_rows:
            self.tables.append(table)
            self.origins.append(repeated(relative, table.num_rows))
            numbers = parsed.line_numbers
            self.lines.append(numbers if numbers is not None else pa.nulls(table.num_rows, pa.int64()))

    @property
    def rows(self) -> int:
        return sum(t.num_rows for t in self.tables)

    def take(self) -> tuple[list[pa.Table], pa.Array, pa.Array]:
        taken = (self.tables, pa.concat_arrays(self.origins), pa.concat_arrays(self.lines))
        self._start_again()
        return taken


class Lines:
    """The physical lines of `data` (split at LF; CRs before it belong to the line end), numbered
    from `first` in the file. Bytes only, in bulk: any ASCII-compatible encoding will do."""

    def __init__(self, data: bytes, first: int):
        self.data, self.first = data, first
        self._bytes = np.frombuffer(data, np.uint8)
        step = 1 << 26  # LFs found 64 MB at a time: no file-sized temporaries
        if len(data) <= step:
            self.ends = np.flatnonzero(self._bytes == 10)  # where each LF is
        else:
            self.ends = np.concatenate(
                [np.flatnonzero(self._bytes[i : i + step] == 10) + i for i in range(0, len(data), step)]
            )
        self.count = len(self.ends) + (1 if data and not data.endswith(b"\n") else 0)
        self.has_cr = data.find(b"\r") >= 0
        # a CR that does not end a line: Arrow's reader ends a row there
        self.lone_cr = self.has_cr and data.count(b"\r") != data.count(b"\r\n")
        self._raw: pa.Array | None = None
        self._text: pa.Array | None = None
        self._blank: np.ndarray | None = None

    @property
    def raw(self) -> pa.Array:
        """Each line as it is in the file, without its LF (large_binary)."""
        if self._raw is None:
            offsets = pa.array([0, len(self.data)], pa.int64()).buffers()[1]
            whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(self.data)])  # no copy
            lines = pc.split_pattern(whole, b"\n").flatten()
            self._raw = lines.slice(0, self.count)  # not the empty rest after the last LF
        return self._raw

    @property
    def text(self) -> pa.Array:
        """Each line without its line end (LF and the CRs before it)."""
        if self._text is None:
            self._text = self.raw
            if self.has_cr:  # trimmed as bytes: a view, not a check that the text is UTF-8
                self._text = pc.ascii_rtrim(self.raw.view(pa.large_string()), "\r").view(pa.large_binary())
        return self._text

    @property
    def blank(self) -> np.ndarray:
        """Which lines hold nothing (or only CRs)."""
        if self._blank is None:
            if self.lone_cr:
                self._blank = np.asarray(pc.equal(pc.binary_length(self.text), 0))
            else:  # from where the LFs are: an empty line, or a lone CR before its LF
                self._blank = np.zeros(self.count, dtype=bool)  # a last line without LF is not blank
                if len(self.ends):
                    length = np.diff(self.ends, prepend=-1) - 1
                    blank = self._blank[: len(self.ends)]
                    np.equal(length, 0, out=blank)
                    if self.has_cr:
                        one = np.flatnonzero(length == 1)
                        blank[one] = self._bytes[self.ends[one] - 1] == 13
        return self._blank

    @property
    def records(self) -> int:
        """Lines that hold something: a blank line is no record (no CSV reader makes a row of it)."""
        return self.count - int(self.blank.sum())

    def not_closed(self) -> np.ndarray:
        """The lines Arrow's reader would read past their end (sorted indices)."""
        text = self.text
        suspect = pc.match_substring(text, b'"')
        if self.lone_cr:
            suspect = pc.or_(suspect, pc.match_substring(text, b"\r"))
        suspect = np.flatnonzero(np.asarray(suspect))
        if not len(suspect):
            return suspect
        return suspect[~np.asarray(pc.match_substring_regex(text.take(suspect), CLOSED_LINE))]

    def without(self, drop: np.ndarray) -> bytes:
        """The data without the lines at `drop` (sorted indices): a few slices, not a rebuild."""
        pieces, at = [], 0
        for i in drop:
            pieces.append(self.data[at : int(self.ends[i - 1]) + 1 if i else 0])
            at = int(self.ends[i]) + 1 if i < len(self.ends) else len(self.data)
        pieces.append(self.data[at:])
        return b"".join(pieces)


def _not_closed(line: str) -> str:
    """Why `line` (one that CLOSED_LINE does not match) would run past its end, in words."""
    field, opened, quoted, start, i = 1, None, False, True, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == '"' and line[i + 1 : i + 2] == '"':
                i += 1
            elif c == '"':
                quoted = False
        elif c == ",":
            field, start, i = field + 1, True, i + 1
            continue
        elif c == "\r":
            return f"a carriage return inside field {field} would split the line (only a line end may hold one)"
        elif c == '"' and start:
            quoted, opened = True, field
        start = False
        i += 1
    if quoted:
        return (
            f"unclosed quote: the quote that opens field {opened} is not closed on its line "
            "(the line is kept aside alone; the lines after it load)"
        )
    return "the line's quotes cannot be read as one record"


def kept_aside(relative: str, line: str, reason: str, number: int | None) -> dict:
    """One line for `ops.quarantine`: the file, the line's text, why, and its line number."""
    return {"row": {SOURCE: relative, "line": line}, "reasons": [reason], "line_number": number}


def whole_part(data: bytes, first: int, relative: str, encoding: str, reason: str) -> Parsed:
    """Every record (non-blank line) of `data` kept aside with `reason` and its line number."""
    quarantined = []
    for i, line in enumerate(data.split(b"\n")):
        line = line.rstrip(b"\r")
        if line:  # the same records Lines counts
            quarantined.append(
                kept_aside(relative, line.decode(encoding, errors="backslashreplace"), reason, first + i)
            )
    return Parsed(None, None, quarantined, len(quarantined), reason)


def _words(line: bytes) -> str:
    return line.decode("utf-8", errors="backslashreplace")


class _CsvReader:
    """Arrow's CSV reader on whole lines, keeping the malformed rows' text and why."""

    def __init__(self, columns: list[str], header: bytes | None):
        self.columns, self.header = columns, header
        self.invalid: dict[str, str] = {}  # text -> why
        self.invalid_rows = 0

    def _keep_aside(self, row) -> str:
        self.invalid_rows += 1
        self.invalid[row.text] = f"malformed CSV row: expected {row.expected_columns} fields, got {row.actual_columns}"
        return "skip"

    def read(self, body: bytes) -> pa.Table:
        self.invalid, self.invalid_rows = {}, 0
        return pacsv.read_csv(
            io.BytesIO(body if self.header is None else self.header + b"\n" + body),
            read_options=pacsv.ReadOptions(column_names=None if self.header is not None else self.columns),
            parse_options=pacsv.ParseOptions(invalid_row_handler=self._keep_aside, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in self.columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )


def read_csv_lines(body: bytes, first: int, relative: str, columns: list[str], header: bytes | None = None) -> Parsed:
    """`body` (UTF-8, complete lines; its first line is line `first` of the file) as text columns,
    one row a line. `header` is the file's header line where it has one (its names are the
    columns, unknown extra ones kept); else `columns` name the fields. Raises
    pyarrow.ArrowInvalid for text that is not UTF-8."""
    lines = Lines(body, first)
    records = lines.records
    if not records:
        return Parsed(None, None, [], 0)
    quarantined: list[dict] = []
    drop = lines.blank.copy()  # lines that make no row: blank, kept aside, or malformed
    reader = _CsvReader(columns, header)

    def set_aside_lines_not_closed() -> bytes:
        at = lines.not_closed()
        for i, line in zip(at, lines.text.take(at).to_pylist(), strict=True):
            try:  # the reader checks the UTF-8 of the lines it reads; these it will not read
                words = line.decode("utf-8")
            except UnicodeDecodeError as e:
                raise pa.ArrowInvalid(f"invalid UTF8 in line {first + int(i)}") from e
            quarantined.append(kept_aside(relative, words, _not_closed(words), first + int(i)))
        drop[at] = True
        return lines.without(at) if len(at) else body

    # with a CR inside a line, the lines not closed are set aside before reading; else only when
    # rows went missing (a line read past its end takes the next ones into its row)
    if lines.lone_cr:
        body = set_aside_lines_not_closed()
    table = None
    if len(quarantined) < records:
        try:
            table = reader.read(body)
        except pa.ArrowInvalid:  # not UTF-8, or a quote left open across a block: see which
            if lines.lone_cr:
                raise
        # rows went missing, or a row the reader rejected is no line of the file (an open quote
        # made it of several lines, or of a line and the blank after it): set the lines aside
        unpaired = (
            bool(reader.invalid)
            and not pc.all(
                pc.is_in(pa.array([t.encode("utf-8") for t in reader.invalid], pa.large_binary()), value_set=lines.text)
            ).as_py()
        )
        if not lines.lone_cr and (table is None or table.num_rows + reader.invalid_rows < records or unpaired):
            body = set_aside_lines_not_closed()
            table = reader.read(body) if len(quarantined) < records else None
    if table is None:
        return Parsed(None, None, quarantined, records)
    if reader.invalid:  # which lines they were: every line of the same text (the same text parses the same)
        texts = pa.array([t.encode("utf-8") for t in reader.invalid], pa.large_binary())
        matched = np.asarray(pc.is_in(lines.text, value_set=texts)) & ~drop
        at = np.flatnonzero(matched)
        for i, line in zip(at, lines.text.take(at).to_pylist(), strict=True):
            quarantined.append(kept_aside(relative, _words(line), reader.invalid[_words(line)], first + int(i)))
        drop |= matched
        if len(at) != reader.invalid_rows:
            drop[:] = True  # rows and lines cannot be paired: no line numbers (the counts will not balance)
    numbers = np.flatnonzero(~drop) + first if drop.any() else np.arange(first, first + lines.count)
    aligned = pa.array(numbers, pa.int64()) if len(numbers) == table.num_rows else None
    return Parsed(table, aligned, quarantined, records)


def record_count(data: bytes) -> int:
    """Records (non-blank lines) of `data`, counted from its bytes."""
    return Lines(data, 1).records


# --- Plausible text ---------------------------------------------------------------------------
#
# A file read in the wrong single-byte encoding decodes without an error and loads garbage
# (王 read as Latin-1 is Íõ). What the company's text should look like comes from its
# configuration (its country, or a script set explicitly), never from words of its data.

# UTF-8 of a script's letters (lead and continuation bytes), to look for in bulk
SCRIPTS = {
    "han": ("Chinese (Han)", rb"[\xe3-\xe9][\x80-\xbf][\x80-\xbf]"),  # U+3000-U+9FFF
    "japanese": ("Japanese", rb"[\xe3-\xe9][\x80-\xbf][\x80-\xbf]"),  # kana and kanji
    "hangul": ("Korean (Hangul)", rb"[\xea-\xed][\x80-\xbf][\x80-\xbf]|\xe3[\x84-\x86][\x80-\xbf]"),
    "cyrillic": ("Cyrillic", rb"[\xd0-\xd3][\x80-\xbf]"),
    "greek": ("Greek", rb"\xcd[\xb0-\xbf]|[\xce\xcf][\x80-\xbf]"),
    "arabic": ("Arabic", rb"[\xd8-\xdb][\x80-\xbf]"),
    "hebrew": ("Hebrew", rb"\xd6[\x90-\xbf]|\xd7[\x80-\xbf]"),
    "thai": ("Thai", rb"\xe0[\xb8\xb9][\x80-\xbf]"),
    "latin": ("Latin", None),  # letters with diacritics are the company's own: only mojibake is checked
    "none": ("any", None),  # no check at all
}
# countries whose business text is written in a script other than Latin; any other: Latin
REGION_SCRIPTS = {
    **dict.fromkeys(["CN", "TW", "HK", "MO"], "han"),
    "JP": "japanese",
    **dict.fromkeys(["KR", "KP"], "hangul"),
    **dict.fromkeys(["RU", "BY", "UA", "BG", "RS", "MK", "KZ", "KG", "TJ", "MN"], "cyrillic"),
    "GR": "greek",
    **dict.fromkeys(["SA", "AE", "QA", "KW", "BH", "OM", "YE", "IQ", "JO", "SY", "EG", "LY", "SD", "IR"], "arabic"),
    "IL": "hebrew",
    "TH": "thai",
}
FOREIGN_SHARE = 0.01  # of all characters: Latin-1 in a non-Latin text, or non-ASCII text in none of its script
FOREIGN_MIN = 10  # characters: a single line with a foreign name is not a wrong encoding
MOJIBAKE_SHARE = 0.1  # of the non-ASCII characters: control codes, or UTF-8 read in a single-byte encoding
MOJIBAKE_MIN = 3


def expected_script(region: str | None, configured: str | None = None) -> str:
    """The script the company's text is written in: `configured` where set, else from its
    country (ISO 3166 code: the phone region or calendar country); Latin when unknown."""
    if configured:
        return configured.lower()
    return REGION_SCRIPTS.get((region or "").upper(), "latin")


def _count_bytes(arr: np.ndarray, test) -> int:
    """How many bytes of `arr` pass `test`, 16 MB at a time (no file-sized temporaries)."""
    step = 1 << 24
    return sum(int(np.count_nonzero(test(arr[i : i + step]))) for i in range(0, len(arr), step))


def implausible_text(utf8: bytes, script: str) -> str | None:
    """Why `utf8` (a file's text as decoded) cannot be text of a company writing `script`, in
    words; None when it can. Bulk byte counts (the UTF-8 of U+0080-U+00FF starts with C2 or C3).
    - Latin-1 supplement characters (U+0080-U+00FF) are more than 1 % of the characters of a
      text in a non-Latin script (its letters became two or three Latin-1 characters each);
    - non-ASCII text (over 1 %) without one character of its script;
    - in any script: C1 control codes, or pairs such as `Ã¼` (UTF-8 read as Latin-1), are more
      than a tenth of the non-ASCII characters."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r} (known: {', '.join(SCRIPTS)})")
    if script == "none" or utf8.isascii():
        return None
    name, letters = SCRIPTS[script]
    arr = np.frombuffer(utf8, np.uint8)
    latin1 = sum(utf8.count(lead) for lead in (b"\xc2", b"\xc3") if utf8.find(lead) >= 0)  # find: memchr
    has_letters = letters is None or re.search(letters, utf8) is not None
    if not latin1 and has_letters:  # the common case, settled without counting characters
        return None
    characters = len(arr) - _count_bytes(arr, lambda a: (a & 0xC0) == 0x80)
    non_ascii = _count_bytes(arr, lambda a: a >= 0xC0)
    found = []
    if letters is not None:
        if latin1 >= FOREIGN_MIN and latin1 > FOREIGN_SHARE * characters:
            found.append(
                f"{latin1 / characters:.1%} of its {characters:,} characters are in the Latin-1 supplement "
                f"(U+0080-U+00FF), too many for {name} text"
            )
        if not has_letters and non_ascii >= FOREIGN_MIN and non_ascii > FOREIGN_SHARE * characters:
            found.append(f"{non_ascii:,} non-ASCII characters but not one {name} character")
    if latin1:
        at = np.flatnonzero(arr[:-1] == 0xC2)  # C1 control codes: C2 80-9F
        c1 = int(np.count_nonzero(arr[at + 1] < 0xA0))
        at = np.flatnonzero(arr[:-3] == 0xC3)  # Â or Ã before U+00A0-U+00BF: C3 82|83 C2 A0-BF
        pairs = int(np.count_nonzero(((arr[at + 1] & 0xFE) == 0x82) & (arr[at + 2] == 0xC2) & (arr[at + 3] >= 0xA0)))
        odd = c1 + 2 * pairs
        if odd >= MOJIBAKE_MIN and odd > MOJIBAKE_SHARE * non_ascii:
            found.append(
                f"{odd / non_ascii:.0%} of its non-ASCII characters are control codes or pairs such as Ã¼ "
                "(what UTF-8 text shows when read in a single-byte encoding)"
            )
    return "; ".join(found) or None


def to_utf8(data: bytes, encoding: str) -> bytes:
    """`data` as UTF-8 without a byte-order mark. UTF-8 as delivered is not decoded here: Arrow
    checks it as it parses (a second check costs ~0.2 s a million rows). Raises
    UnicodeDecodeError for text that is not in `encoding`."""
    if codecs.lookup(encoding).name == "utf-8":
        return data.removeprefix(b"\xef\xbb\xbf")
    return data.decode(encoding).lstrip("\ufeff").encode("utf-8")


def undecodable(data: bytes, encoding: str, key: str) -> str | None:
    """Why `data` does not decode as `encoding`, naming the byte and the config key; None if it does."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as e:
        return f"file does not decode as {encoding} (byte {e.start}); check {key}"
    return None


def read_text(data: bytes, encoding: str, script: str, key: str) -> tuple[bytes | None, str | None]:
    """(the part as UTF-8, None), or (None, why the whole part is kept aside): it does not
    decode, or decodes to text that cannot be the company's (`key` names the config key)."""
    try:
        utf8 = to_utf8(data, encoding)
    except UnicodeDecodeError:
        return None, undecodable(data, encoding, key)
    problem = implausible_text(utf8, script)
    if problem is None:
        return utf8, None
    # UTF-8 is checked by the parser, later; a file that is no UTF-8 at all says so first
    return None, undecodable(data, encoding, key) or f"text is implausible read as {encoding}: {problem}; check {key}"
