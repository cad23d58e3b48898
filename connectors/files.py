"""Which part of a landed file is new, remembered in dlt's state (committed only with a load).

Each file is remembered by its path, how many bytes of it were loaded, and the SHA-256 of
those bytes; whole files also by their content hash. So a folder delivered twice, or the
same file under another name, loads nothing twice; a file that grew (the PBX still writing
today's log) loads only its new complete lines; a file replaced by different content
loads again from the start."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


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


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileLedger:
    """Wraps the `files` and `contents` entries of a dlt resource state dict."""

    def __init__(self, state: dict):
        self.files: dict = state.setdefault("files", {})
        self.contents: dict = state.setdefault("contents", {})

    def new_part(self, path: Path, relative: str, growing: bool) -> NewPart | None:
        """What of `path` is still to load; None when nothing is. A `growing` file loads up
        to its last newline only; the partial last line waits for the next run."""
        raw = path.read_bytes()
        entry = self.files.get(relative)
        end = raw.rfind(b"\n") + 1 if growing else len(raw)
        whole = None  # the file's hash, computed only when the ledger's own hash does not settle it
        if entry and entry["bytes"] <= len(raw) and _sha(raw[: entry["bytes"]]) == entry["sha256"]:
            start = entry["bytes"]  # the common nightly case: one hash of what was loaded, no more
        else:
            whole = _sha(raw)
            start = len(raw) if not growing and whole in self.contents else 0  # same drop again, or new
        newline = raw.find(b"\n")
        header = b"" if not raw else (raw if newline < 0 else raw[:newline]) + b"\n"  # split() copies the file
        if end <= start:
            if entry is None:  # a known content under a new name: remember the name too
                self.files[relative] = {"bytes": len(raw), "sha256": whole}
                return NewPart(relative, b"", _line_count(raw), header, False, len(raw), whole, whole)
            return None
        loaded_sha = whole if whole and end == len(raw) else _sha(raw[:end])
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


def _line_count(raw: bytes) -> int:
    return raw.count(b"\n") + (1 if raw and not raw.endswith(b"\n") else 0)
