{{ config(materialized='table', schema='semantic') }}
-- The month grid of each organisation's data period per municipality (int_maanden): the
-- number of months behind a *_gemiddeld metric, also where a stand was zero.
select organisatie, gemeente, maand from {{ ref('int_maanden') }}
