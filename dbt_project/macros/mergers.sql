{#- One rule for both reference files with mergers (institutions.csv, gemeenten.csv): a code counts as the
    code at the end of its opgegaan_in chain. A subquery of each code of `relation` (keyed by `key`) with
    `end_code` (itself when it never merged) and `mergers` (how many steps it took). Ingest rejects a
    reference file with a merger cycle; the depth bound only guards the recursion. -#}
{% macro end_of_merger_chain(relation, key) %}
(
    with recursive chain(code, end_code, depth) as (
        select {{ key }}, {{ key }}, 0 from {{ relation }}
        union all
        select c.code, r.opgegaan_in, c.depth + 1
        from chain as c
        inner join {{ relation }} as r on r.{{ key }} = c.end_code
        where r.opgegaan_in is not null and c.depth < 50
    )

    select code as {{ key }}, arg_max(end_code, depth) as end_code, max(depth) as mergers
    from chain
    group by code
)
{% endmacro %}
