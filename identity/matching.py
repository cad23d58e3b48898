"""Probabilistic matching with splink on DuckDB: the links deterministic rules cannot make
(a typo in a name or mailbox, a name in characters on one side and pinyin on the other with
no shared key).

Parameters are estimated from the data every run: u by random sampling, m by
expectation-maximisation on two independent blocking rules. A company too small for EM to
converge keeps the prior m values written below (from the demo company, documented in
DECISIONLOG.md); either way the model used is returned to be saved with the run."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

# Below this many records EM has too few pairs per comparison level to be trusted.
MIN_RECORDS_FOR_EM = 2_000
# splink's own DuckDB: beyond this it spills to disk instead of growing (the rest of
# resolution holds the records in pandas beside it)
SPLINK_MEMORY_LIMIT = "4GB"
# An organization's name, web domain, phone, registration number or street address that more
# than this many organization records carry identifies none of them: an office tower many
# tenants share, a street number every town repeats, a chain's name. Blocking on it compares
# every pair among them for nothing (at 1,000,000 accounts, 8,192 street addresses made 150 M of
# the night's 165 M compared pairs). Such a value does not block; it is still compared in the
# pairs the other rules find. The biggest true cluster of organization records is a handful
# (an account, its desk organization, a duplicate or two), far below this.
MAX_RECORDS_PER_BLOCKING_VALUE = 50
ORGANIZATION_BLOCKING_COLUMNS = ("name_key", "domain", "phone", "registration_number", "address")


@dataclass
class MatchResult:
    links: pd.DataFrame  # left, right (node ids), probability
    pairs_compared: int
    model: dict
    trained: str  # "em" or "prior"
    # per blocking column, how many of its values were too common to block on
    not_blocked: dict[str, int] = field(default_factory=dict)


def _person_name_comparison() -> cl.CustomComparison:
    """Name keys are sorted tokens; a typo can change the order, so each level also accepts
    the other side's tokens reversed."""

    def close(threshold: float) -> cll.CustomLevel:
        return cll.CustomLevel(
            f"greatest(jaro_winkler_similarity(name_key_l, name_key_r), "
            f"jaro_winkler_similarity(name_reversed_l, name_key_r)) >= {threshold}",
            label_for_charts=f"Jaro-Winkler >= {threshold} in either token order",
        )

    return cl.CustomComparison(
        output_column_name="name_key",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            close(0.95),
            close(0.88),
            cll.ElseLevel(),
        ],
        comparison_description="person name (pinyin/Latin tokens)",
    )


def person_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="node_id",
        probability_two_random_records_match=1e-4,
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("email"),
            block_on("organization_key", "family_key"),
        ],
        comparisons=[
            _person_name_comparison().configure(
                m_probabilities=[0.8, 0.08, 0.07, 0.05], u_probabilities=[0.002, 0.003, 0.01, 0.985]
            ),
            # whole addresses only: the mailbox name is made from the person's name, so a shared
            # mailbox name (gyang@a.com, gyang@b.com) says nothing the name has not said already
            cl.DamerauLevenshteinAtThresholds("email", [2]).configure(
                m_probabilities=[0.8, 0.1, 0.1], u_probabilities=[1e-5, 1e-4, 0.99989]
            ),
            cl.ExactMatch("phone").configure(
                term_frequency_adjustments=True, m_probabilities=[0.8, 0.2], u_probabilities=[1e-5, 0.99999]
            ),
            cl.ExactMatch("organization_key").configure(m_probabilities=[0.95, 0.05], u_probabilities=[0.001, 0.999]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def organization_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="node_id",
        probability_two_random_records_match=1e-4,
        blocking_rules_to_generate_predictions=[
            block_on(f"{column}_block") for column in ORGANIZATION_BLOCKING_COLUMNS
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("name_key", [0.97, 0.9]).configure(
                term_frequency_adjustments=True,
                m_probabilities=[0.7, 0.1, 0.1, 0.1],
                u_probabilities=[0.001, 0.002, 0.01, 0.987],
            ),
            cl.ExactMatch("city").configure(m_probabilities=[0.9, 0.1], u_probabilities=[0.1, 0.9]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.88]).configure(
                m_probabilities=[0.6, 0.15, 0.1, 0.15], u_probabilities=[0.0005, 0.001, 0.01, 0.9885]
            ),
            cl.ExactMatch("domain").configure(m_probabilities=[0.9, 0.1], u_probabilities=[1e-4, 0.9999]),
            cl.ExactMatch("phone").configure(m_probabilities=[0.7, 0.3], u_probabilities=[1e-4, 0.9999]),
            cl.ExactMatch("registration_number").configure(
                m_probabilities=[0.95, 0.05], u_probabilities=[1e-6, 0.999999]
            ),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


# EM blocking rules: each leaves the other comparisons free to be estimated
_EM_RULES = {
    "persons": [block_on("phone"), block_on("organization_key", "family_key")],
    "organizations": [block_on("domain"), block_on("name_key")],
}


def _expectation_maximisation(linker: Linker, rule, level: str) -> bool:
    """One EM session; False when splink refuses its estimates. On a big company a level
    can be seen (almost) never among the pairs one rule blocks, its m estimate underflows to
    0.0, and splink raises (found at 100,000 customers, organizations blocked on domain):
    the levels that session would have trained keep their priors and the
    other session's estimates, rather than the whole night failing."""
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0, max_pairs=5e6, estimate_without_term_frequencies=True
        )
        return True
    except ValueError as error:
        if "below the minimum allowed value" not in str(error):
            raise
        logging.getLogger(__name__).warning("identity: %s: EM session skipped, priors kept: %s", level, error)
        return False


def with_blocking_columns(nodes: pd.DataFrame, columns, most: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """`nodes` with a `<column>_block` copy of each column, empty where its value is carried by
    more than `most` records; and, per column, how many values were too common to block on."""
    blocking = {}
    too_common = {}
    for column in columns:
        counts = nodes[column].map(nodes[column].value_counts())
        common = counts > most
        blocking[f"{column}_block"] = nodes[column].where(~common)
        too_common[column] = int(nodes.loc[common, column].nunique())
    return nodes.assign(**blocking), too_common


def match(nodes: pd.DataFrame, level: str, threshold: float) -> MatchResult:
    """Score the candidate pairs of `nodes` (one row per node, `node_id` unique) and return the
    pairs at or above `threshold` match probability."""
    settings = person_settings() if level == "persons" else organization_settings()
    if len(nodes) < 2:
        return MatchResult(pd.DataFrame(columns=["left", "right", "probability"]), 0, {}, "prior")
    not_blocked = {}
    if level == "organizations":
        nodes, not_blocked = with_blocking_columns(nodes, ORGANIZATION_BLOCKING_COLUMNS, MAX_RECORDS_PER_BLOCKING_VALUE)
    logging.getLogger("splink").setLevel(logging.ERROR)  # "level not observed" notes are expected
    connection = duckdb.connect()
    connection.execute(f"set memory_limit = '{SPLINK_MEMORY_LIMIT}'")
    db_api = DuckDBAPI(connection=connection)
    linker = Linker(db_api.register(nodes), settings, log_level=logging.ERROR)
    trained = "prior"
    if len(nodes) >= MIN_RECORDS_FOR_EM:
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
        sessions = [_expectation_maximisation(linker, rule, level) for rule in _EM_RULES[level]]
        trained = "em" if all(sessions) else "em, partly prior" if any(sessions) else "prior"
    # blocked pairs are computed once, counted, and reused by predict (splink caches them)
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    pairs = blocked.as_duckdbpyrelation().count("*").fetchall()[0][0]
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    links = (
        predictions.as_duckdbpyrelation()
        .select("node_id_l as left, node_id_r as right, match_probability as probability")
        .df()
    )
    model = json.loads(json.dumps(linker.misc.save_model_to_json(), default=str))
    connection.close()  # give splink's tables back before the next step
    return MatchResult(links, int(pairs), model, trained, {k: v for k, v in not_blocked.items() if v})
