/**
 * Seeded randomness as pure SQL: a draw is a hash of (seed, key, salt), so any row can be
 * recomputed from its id alone, in any order, on any number of threads, with the same result.
 */
/**
 * The largest count mg_repeat can repeat a row by. Every count joined to it is bounded by
 * construction well below this (order lines ≤ 7, events of a session ≤ 7, touches ≤ 3, payments ≤ 2); a
 * larger one would lose rows, so keep new counts under it.
 */
export const REPEAT_MAX = 16;

export const RANDOM_MACROS_SQL = `
-- Row estimates after unnest() are tiny, which makes DuckDB run ASOF joins as nested loops over
-- millions of rows; always use the sort-merge ASOF join.
set asof_loop_join_threshold = 0;
-- DuckDB's multi-argument hash combines per-argument hashes linearly: hash(s, k, 1) xor
-- hash(s, k, 2) is the same for every k, so draws salted that way are strongly correlated.
-- Hashing the key hash xor the salt hash again gives independent draws at the same cost.
create or replace temp macro mg_h(s, k, salt) as hash(xor(hash((s)::bigint, (k)::bigint), hash((salt)::integer)));
create or replace temp macro mg_h2(s, k1, k2, salt) as hash(xor(hash((s)::bigint, (k1)::bigint, (k2)::bigint), hash((salt)::integer)));
-- 53 high bits of the hash as a double in [0, 1).
-- hash % n as a BIGINT: UBIGINT arithmetic would widen everything it touches to HUGEINT.
create or replace temp macro mg_m(s, k, salt, n) as (mg_h(s, k, salt) % (n)::ubigint)::bigint;
create or replace temp macro mg_m2(s, k1, k2, salt, n) as (mg_h2(s, k1, k2, salt) % (n)::ubigint)::bigint;
create or replace temp macro mg_u(s, k, salt) as ((mg_h(s, k, salt) >> 11)::double / 9007199254740992.0);
create or replace temp macro mg_u2(s, k1, k2, salt) as ((mg_h2(s, k1, k2, salt) >> 11)::double / 9007199254740992.0);
-- Seconds into a day for a uniform u: few orders at night, most around 19:00 UTC (US afternoon,
-- European evening). The warp u - a*sin(2*pi*u)/(2*pi) is monotone for a < 1.
create or replace temp macro mg_tod(u) as floor(86400 * (
  (u - 0.55 * sin(2 * pi() * u) / (2 * pi()) + 0.79)
  - floor(u - 0.55 * sin(2 * pi() * u) / (2 * pi()) + 0.79)))::bigint;
-- mg_repeat: for each n in 1…${REPEAT_MAX}, n rows j = 0 … n - 1. A hash join on n = <count> repeats
-- a row count times: several times cheaper than unnest(range(count)), and a plain equality
-- join, so the planner never sorts for it (an inequality join against range(7) sorts both sides).
create or replace temp table mg_repeat as
select n, unnest(range(n)) as j from range(1, ${REPEAT_MAX + 1}) as t(n);
create or replace temp macro mg_ts(secs) as make_timestamp((secs)::bigint * 1000000);
create or replace temp macro mg_s(ts) as (epoch_us(ts) // 1000000);
`;
