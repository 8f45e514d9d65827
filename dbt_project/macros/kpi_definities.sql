{#- Every KPI of KPIS.md as (code, wide monthly mart, berekening, teller column, noemer column).
    berekening says how months combine into a year and how organisation rows are formed:
      telling            flow count: year = sum of months
      aandeel            flow share: teller/noemer, year and organisation from summed counts
      stand              month-end stock: year = the last month of the year in the data period
      stand_aandeel      share of a month-end stock: year = the last month's share
      gemiddelde         mean of month-end stocks: year = mean of the months; month = year-to-date mean
      gemiddeld_aandeel  monthly share, year = mean of the monthly shares -#}
{% macro kpi_definities() %}
{{ return([
    {'code': 'uitkeringen_eindstand', 'bron': 'uitkeringen_maand', 'berekening': 'stand', 'teller': 'eindstand'},
    {'code': 'instroom', 'bron': 'uitkeringen_maand', 'berekening': 'telling', 'teller': 'instroom'},
    {'code': 'uitstroom', 'bron': 'uitkeringen_maand', 'berekening': 'telling', 'teller': 'uitstroom'},
    {'code': 'uitkeringen_gemiddeld', 'bron': 'uitkeringen_maand', 'berekening': 'gemiddelde', 'teller': 'eindstand'},
    {'code': 'meldingen', 'bron': 'uitkeringen_maand', 'berekening': 'telling', 'teller': 'meldingen'},
    {'code': 'preventie', 'bron': 'uitkeringen_maand', 'berekening': 'telling', 'teller': 'preventie'},
    {'code': 'preventiequote', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'preventie', 'noemer': 'meldingen'},
    {'code': 'preventiequote_jongeren', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'preventie_jongeren', 'noemer': 'meldingen_jongeren'},
    {'code': 'instroom_aandeel_b_route', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'instroom_b_route', 'noemer': 'instroom'},
    {'code': 'uitstroom_aandeel_werk', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'uitstroom_werk', 'noemer': 'uitstroom'},
    {'code': 'uitstroom_aandeel_onderwijs', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'uitstroom_onderwijs', 'noemer': 'uitstroom'},
    {'code': 'uitstroom_aandeel_garantiebaan', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'uitstroom_garantiebaan', 'noemer': 'uitstroom'},
    {'code': 'uitstroom_aandeel_autonoom', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'uitstroom_autonoom', 'noemer': 'uitstroom'},
    {'code': 'jongeren_eindstand', 'bron': 'uitkeringen_maand', 'berekening': 'stand', 'teller': 'jongeren_eindstand'},
    {'code': 'aandeel_langer_dan_2_jaar', 'bron': 'uitkeringen_maand', 'berekening': 'stand_aandeel', 'teller': 'langer_dan_2_jaar', 'noemer': 'eindstand'},
    {'code': 'aandeel_deeltijdarbeid', 'bron': 'uitkeringen_maand', 'berekening': 'gemiddeld_aandeel', 'teller': 'deeltijdarbeid', 'noemer': 'eindstand'},
    {'code': 'aandeel_duurzame_uitstroom', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'uitstroom_werk_duurzaam', 'noemer': 'uitstroom_werk'},
    {'code': 'instroom_werk_binnen_12_maanden_aandeel', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'instroom_werk_binnen_12_maanden', 'noemer': 'instroom'},
    {'code': 'aanvraag_binnen_4_weken_aandeel', 'bron': 'uitkeringen_maand', 'berekening': 'aandeel', 'teller': 'aanvragen_binnen_4_weken', 'noemer': 'aanvragen_besloten'},
    {'code': 'schuldregelingen_lopend_msnp', 'bron': 'schuldhulp_maand', 'berekening': 'stand', 'teller': 'schuldregelingen_lopend_msnp'},
    {'code': 'schuldregelingen_lopend_wsnp', 'bron': 'schuldhulp_maand', 'berekening': 'stand', 'teller': 'schuldregelingen_lopend_wsnp'},
    {'code': 'schuldregelingen_lopend', 'bron': 'schuldhulp_maand', 'berekening': 'stand', 'teller': 'schuldregelingen_lopend'},
    {'code': 'schuldregelingen_gestart', 'bron': 'schuldhulp_maand', 'berekening': 'telling', 'teller': 'schuldregelingen_gestart'},
    {'code': 'wsnp_gestart', 'bron': 'schuldhulp_maand', 'berekening': 'telling', 'teller': 'wsnp_gestart'},
    {'code': 'schuldregelingen_geslaagd', 'bron': 'schuldhulp_maand', 'berekening': 'telling', 'teller': 'schuldregelingen_geslaagd'},
    {'code': 'schuldregelingen_geslaagd_aandeel', 'bron': 'schuldhulp_maand', 'berekening': 'aandeel', 'teller': 'schuldregelingen_geslaagd', 'noemer': 'schuldregelingen_beeindigd'},
    {'code': 'schuldhulp_intakes', 'bron': 'schuldhulp_maand', 'berekening': 'telling', 'teller': 'schuldhulp_intakes'},
    {'code': 'vroegsignalering_vervolg_aandeel', 'bron': 'schuldhulp_maand', 'berekening': 'aandeel', 'teller': 'vroegsignalen_vervolg', 'noemer': 'vroegsignalen'},
    {'code': 'assessment_uitgenodigd', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'assessment_uitgenodigd'},
    {'code': 'assessment_gestart', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'assessment_gestart'},
    {'code': 'assessment_vervolg', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'assessment_vervolg'},
    {'code': 'assessment_werk', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'assessment_werk'},
    {'code': 'werkleertrajecten_beeindigd', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'werkleertrajecten_beeindigd'},
    {'code': 'werkleertrajecten_job_ready', 'bron': 'reintegratie_maand', 'berekening': 'telling', 'teller': 'werkleertrajecten_job_ready'},
    {'code': 'werkleertrajecten_bemiddelbaar_aandeel', 'bron': 'reintegratie_maand', 'berekening': 'aandeel', 'teller': 'werkleertrajecten_job_ready', 'noemer': 'werkleertrajecten_beeindigd'},
    {'code': 'klantgroep4_eindstand', 'bron': 'reintegratie_maand', 'berekening': 'stand', 'teller': 'klantgroep4_eindstand'},
    {'code': 'klantgroep4_in_traject', 'bron': 'reintegratie_maand', 'berekening': 'stand', 'teller': 'klantgroep4_in_traject'},
    {'code': 'lks_banenafspraak_eindstand', 'bron': 'reintegratie_maand', 'berekening': 'stand', 'teller': 'lks_banenafspraak_eindstand'},
    {'code': 'lks_beschut_eindstand', 'bron': 'reintegratie_maand', 'berekening': 'stand', 'teller': 'lks_beschut_eindstand'},
    {'code': 'lks_banen_gemiddeld', 'bron': 'reintegratie_maand', 'berekening': 'gemiddelde', 'teller': 'lks_banenafspraak_eindstand'},
]) }}
{% endmacro %}
