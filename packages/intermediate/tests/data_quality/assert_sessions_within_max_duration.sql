-- 004's test_reasonable_session_duration: no web session lasts longer than the
-- max_session_duration_hours var (12). One failing row per session.

select *
from {{ ref('int_web_sessions') }}
where duration_seconds > {{ var('max_session_duration_hours', 12) }} * 3600
