"""Tables are shown for a person: words for true and false, nothing for a missing value,
fractions rounded, columns named in words; the CSV download keeps the warehouse's own."""

from __future__ import annotations

import pandas as pd

from dashboards.ui import column_label, column_labels, presentable


def test_a_table_shows_words_and_rounded_numbers_under_named_columns():
    frame = pd.DataFrame(
        {
            "is_contactable": [True, False, None],
            "csat_pct_90d": [70.4918, None, 12.04],
            "first_reply_business_minutes": [1200, 35, 7],
            "next_best_action": ["Chase the late delivery", None, "Cross-sell"],
        }
    )
    shown = presentable(frame)
    assert shown["is_contactable"].tolist() == ["yes", "no", ""]
    assert shown["csat_pct_90d"].iloc[0] == 70.5 and pd.isna(shown["csat_pct_90d"].iloc[1])
    assert shown["next_best_action"].tolist() == ["Chase the late delivery", "", "Cross-sell"]
    assert frame["is_contactable"].tolist() == [True, False, None], "the download keeps the values"
    # a column the catalogue names, and one it does not, in words
    assert column_label("csat_pct_90d") == "CSAT, 90 days"
    assert column_label("first_reply_business_minutes") == "First reply business minutes"
    config = column_labels(frame)
    assert config["first_reply_business_minutes"]["label"] == "First reply business minutes"
    assert config["first_reply_business_minutes"]["type_config"]["format"] == "localized"
    assert config["is_contactable"] == "Contactable"
