create table if not exists identity.match_runs (
    run_id varchar, level varchar, records bigint, nodes bigint, pairs_compared bigint,
    probabilistic_links bigint, threshold double, trained varchar, model_json varchar, finished_at timestamp)
