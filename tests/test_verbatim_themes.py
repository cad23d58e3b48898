"""The lexicon of comment themes (dbt_project/seeds/verbatim_themes.csv) finds each theme in
English and Chinese sentences of the kind customers write, and not in words that merely contain
its letters ("translated" is not late). Python's `re` reads these patterns as RE2 (DuckDB) and
Java (Spark) do: classes, groups and alternation only, with no backslash and no quote, which
dbt-spark's seed loader would write unescaped into a Spark SQL string (where `\b` is a backspace)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "verbatim_themes.csv"

SENTENCES = {
    "late": [
        "The truck came two days late.",
        "Delivery delayed again",
        "It all took far too long",
        "货物延迟了一周",
        "处理太慢",
    ],
    "wrong_item": ["You sent the wrong model", "Not what we ordered at all", "又发错了货", "型号不对"],
    "installation": ["The installer never showed up", "Installation took a month", "安装师傅没来"],
    "claim": ["Our claim for compensation is ignored", "Still waiting for the refund", "索赔一直没处理"],
    "no_answer": ["Nobody answers our emails", "No response in three weeks", "打电话没人接", "邮件没有回复"],
    "price": ["Far too expensive for what it is", "We were overcharged", "价格太高", "报价不透明"],
    "quality": ["The unit arrived damaged", "It doesn't work since day one", "质量很差", "设备故障"],
}
UNRELATED = [
    "We translated the manual ourselves",  # late inside a word
    "Please relate this to our account manager",
    "The plate fits well",
    "Great people, quick help",
    "贵公司的服务很好",  # "your company" (贵) is no price
    "非常满意",
]


def themes() -> dict[str, re.Pattern]:
    with SEED.open(encoding="utf-8", newline="") as f:
        return {row["theme"]: re.compile(row["pattern"]) for row in csv.DictReader(f)}


def found(sentence: str) -> set[str]:
    return {theme for theme, pattern in themes().items() if pattern.search(sentence.lower())}


@pytest.mark.parametrize("theme", list(SENTENCES))
def test_each_theme_is_found_in_english_and_chinese(theme):
    assert set(themes()) == set(SENTENCES), "every theme of the seed has its sentences here"
    for sentence in SENTENCES[theme]:
        assert theme in found(sentence), sentence


def test_the_patterns_are_written_as_every_engine_loads_them():
    for theme, pattern in themes().items():
        assert "\\" not in pattern.pattern and "'" not in pattern.pattern, theme


def test_words_that_only_contain_a_themes_letters_carry_no_theme():
    for sentence in UNRELATED:
        assert found(sentence) == set(), sentence
