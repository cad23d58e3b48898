"""METRICS.md, made from the metric definitions' dbt doc blocks
(`dbt_project/models/marts/_metrics.md`), so that the page and `dbt docs` say the same:
`python -m c360.metrics_page` (or `make metrics`) writes it; tests/test_metrics_doc.py fails
when the page in the repository differs from what the blocks make."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = ROOT / "dbt_project" / "models" / "marts" / "_metrics.md"
PAGE = ROOT / "METRICS.md"

# written by hand: dbt reads doc blocks only as part of a whole project parse (seconds, and a
# profile); the block syntax is two tags, which this reads exactly as dbt's docs parser does
_BLOCK = re.compile(r"\{%-?\s*docs\s+(\w+)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}", re.DOTALL)


def doc_blocks(path: Path = BLOCKS) -> dict[str, str]:
    """Each block's name and text, in the file's order."""
    return {name: text.strip() for name, text in _BLOCK.findall(path.read_text(encoding="utf-8"))}


def metrics_markdown(path: Path = BLOCKS) -> str:
    return "\n\n".join(doc_blocks(path).values()) + "\n"


def main() -> int:
    PAGE.write_text(metrics_markdown(), encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
