create or replace temp table {RECORDS}_raw as
select row_number() over (order by source_system, source_table, source_record_id) - 1 as position,
       source_system || '|' || source_table || '|' || source_record_id as record_key,
       * exclude (seen_at)
from {SOURCE_RECORDS}
