"""Countries: ISO 3166 codes and names through pycountry, the alias layer, historic countries, suggestions."""

from __future__ import annotations

import datetime

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from atfgraph.countries import ALIASES, Country, UnknownCountry, all_names, country_by_code, resolve_country

CURRENT = sorted(pycountry.countries, key=lambda entry: entry.alpha_2)


@pytest.mark.parametrize(
    ("text", "alpha2"),
    [
        ("TR", "TR"),
        ("tr", "TR"),
        ("TUR", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("TÜRKIYE", "TR"),
        ("Turkey", "TR"),
        ("Republic of Turkey", "TR"),
        ("Republic of Türkiye", "TR"),
        ("FYR Macedonia", "MK"),
        ("FYROM", "MK"),
        ("Former Yugoslav Republic of Macedonia", "MK"),
        ("the former Yugoslav Republic of Macedonia", "MK"),
        ("Macedonia", "MK"),
        ("Republic of Macedonia", "MK"),
        ("Republic of North Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Moldova", "MD"),
        ("Republic of Moldova", "MD"),
        ("Moldova, Republic of", "MD"),
        ("Bosnia", "BA"),
        ("Bosnia-Herzegovina", "BA"),
        ("Bosnia and Herzegovina", "BA"),
        ("BiH", "BA"),
        ("USA", "US"),
        ("US", "US"),
        ("U.S.", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("the Netherlands", "NL"),
        ("Kingdom of the Netherlands", "NL"),
        ("Hellenic Republic", "GR"),
        ("Côte d'Ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("Republic of Korea", "KR"),  # from pycountry's "Korea, Republic of"
        ("South Korea", "KR"),
        ("Democratic Republic of the Congo", "CD"),
        ("Burma", "MM"),
        ("East Timor", "TL"),
        ("ATF", "TF"),  # the current French Southern Territories, not the historic FQ that had ATF too
        ("BY", "BY"),  # Belarus, not the Byelorussian SSR
    ],
)
def test_codes_names_and_aliases_resolve(text: str, alpha2: str) -> None:
    country = resolve_country(text)
    assert country.alpha2 == alpha2
    assert not country.historic


@pytest.mark.parametrize(
    "text", ["  turkey ", "TURKEY", "tUrKeY", "Republic  of\tTurkey", "republic of türkiye", "Turkey."]
)
def test_case_accents_and_spacing_are_ignored(text: str) -> None:
    assert resolve_country(text).alpha2 == "TR"


def test_country_carries_pycountrys_codes_and_names() -> None:
    turkey = resolve_country("Turkey")
    assert turkey == Country(
        alpha2="TR", alpha3="TUR", numeric="792", name="Türkiye", official_name="Republic of Türkiye",
        common_name=None, historic=False, withdrawn=None,
    )  # fmt: skip
    assert turkey.key == "TR"
    moldova = resolve_country("MD")
    assert (moldova.name, moldova.official_name, moldova.common_name) == (
        "Moldova, Republic of", "Republic of Moldova", "Moldova",
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Serbia and Montenegro",
        "Serbia & Montenegro",
        "State Union of Serbia and Montenegro",
        "CS",
        "SCG",
        "CSXX",
    ],
)
def test_serbia_and_montenegro_is_historic_cs(text: str) -> None:
    country = resolve_country(text)
    assert (country.alpha2, country.alpha3, country.alpha4, country.numeric) == ("CS", "SCG", "CSXX", "891")
    assert country.historic
    assert country.withdrawn == datetime.date(2006, 9, 26)
    assert country.withdrawn_year == 2006
    assert country.key == "CS"


@pytest.mark.parametrize("text", ["Yugoslavia", "Federal Republic of Yugoslavia", "YU", "YUG", "YUCS"])
def test_yugoslavia_is_historic_yu(text: str) -> None:
    country = resolve_country(text)
    assert (country.alpha2, country.historic, country.key) == ("YU", True, "YU")
    assert country.withdrawn == datetime.date(2003, 7, 23)


def test_a_reused_alpha2_goes_to_its_latest_holder_and_the_earlier_is_keyed_by_alpha4() -> None:
    # ISO gave CS to Czechoslovakia, withdrew it in 1993, then gave it to Serbia and Montenegro in 2003.
    czechoslovakia = resolve_country("Czechoslovakia")
    assert (czechoslovakia.alpha2, czechoslovakia.alpha3, czechoslovakia.alpha4) == ("CS", "CSK", "CSHH")
    assert czechoslovakia.key == "CSHH"
    assert resolve_country("CSK") == czechoslovakia
    assert country_by_code("CS").name == "Serbia and Montenegro"
    # A historic alpha-2 now held by a current country: the current one wins.
    byelorussia = resolve_country("BYS")
    assert byelorussia.historic and byelorussia.alpha2 == "BY" and byelorussia.key == "BYAA"


def test_year_only_withdrawals_invent_no_day() -> None:
    dahomey = resolve_country("Dahomey")
    assert dahomey.historic and dahomey.withdrawn is None and dahomey.withdrawn_year == 1977


def test_historic_country_without_numeric_code_has_an_empty_one() -> None:
    assert resolve_country("Sikkim").numeric == ""


def test_unknown_country_suggests_the_closest() -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Tukey")
    assert str(raised.value) == "unknown country 'Tukey'; did you mean Türkiye (TR)?"
    assert raised.value.suggestions == ("Türkiye (TR)",)
    assert raised.value.text == "Tukey"


def test_suggestions_are_at_most_three_current_first() -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Austra")
    assert raised.value.suggestions == ("Austria (AT)", "Australia (AU)")
    assert str(raised.value) == "unknown country 'Austra'; did you mean Austria (AT) or Australia (AU)?"
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Islands")  # close to many names: three are offered
    first, second, third = raised.value.suggestions
    assert str(raised.value) == f"unknown country 'Islands'; did you mean {first}, {second} or {third}?"


def test_a_word_of_several_names_suggests_them() -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Korea")
    assert set(raised.value.suggestions) == {
        "Korea, Republic of (KR)", "Korea, Democratic People's Republic of (KP)",
    }  # fmt: skip


def test_suggestions_come_from_aliases_too() -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Macedonie")
    assert raised.value.suggestions == ("North Macedonia (MK)",)


def test_nothing_close_says_what_to_write() -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country("Qwxz")
    assert raised.value.suggestions == ()
    assert str(raised.value) == (
        "unknown country 'Qwxz'; write an ISO 3166-1 code (TR or TUR) or the country's English name"
    )


def test_empty_country() -> None:
    with pytest.raises(UnknownCountry, match=r"^the country is empty"):
        resolve_country("  ")


@pytest.mark.parametrize("text", ["Kosovo", "kosovo", "Kosovo*", "Republic of Kosovo", "XK", "xk"])
def test_kosovo_stays_unresolved_and_says_why(text: str) -> None:
    with pytest.raises(UnknownCountry) as raised:
        resolve_country(text)
    message = str(raised.value)
    assert "Kosovo has no ISO 3166-1 code" in message
    assert f"'{text}'" in message
    assert raised.value.suggestions == ()


def test_unknown_country_is_a_lookup_error() -> None:
    assert issubclass(UnknownCountry, LookupError)


# --- the alias table


def test_every_alias_target_exists_in_pycountry() -> None:
    for alias, code in ALIASES.items():
        if len(code) == 2:
            assert pycountry.countries.get(alpha_2=code) is not None, alias
        else:
            assert pycountry.historic_countries.get(alpha_4=code) is not None, alias
        assert resolve_country(alias) == country_by_code(code), alias


def test_aliases_name_only_what_pycountry_does_not_know() -> None:
    for alias in ALIASES:
        assert pycountry.countries.get(name=alias) is None, alias
        assert pycountry.countries.get(official_name=alias) is None, alias
        assert pycountry.countries.get(common_name=alias) is None, alias
        assert pycountry.countries.get(alpha_2=alias) is None, alias  # an ISO code would shadow the alias
        assert pycountry.countries.get(alpha_3=alias) is None, alias


def test_kosovo_is_not_in_pycountry_nor_aliased() -> None:
    assert pycountry.countries.get(alpha_2="XK") is None
    assert not any("kosov" in alias.casefold() for alias in ALIASES)


# --- codes and names of every country


@pytest.mark.parametrize("entry", CURRENT, ids=lambda entry: entry.alpha_2)
def test_every_current_country_resolves_by_codes_and_names(entry: object) -> None:
    fields = dict(entry)  # type: ignore[call-overload]
    country = country_by_code(fields["alpha_2"])
    assert resolve_country(fields["alpha_2"]) == country
    assert resolve_country(fields["alpha_3"].lower()) == country
    for name in (fields["name"], fields.get("official_name"), fields.get("common_name")):
        if name:
            assert resolve_country(name) == country, name
            assert resolve_country(f"  {name.upper()} ") == country, name


def test_every_historic_country_resolves_by_alpha4_and_name() -> None:
    for entry in pycountry.historic_countries:
        country = resolve_country(entry.alpha_4)
        assert country.historic and country.alpha3 == entry.alpha_3
        if entry.name not in ALIASES:  # East Timor is an alias of the current Timor-Leste
            assert resolve_country(entry.name) == country
        assert country_by_code(country.key) == country


def test_keys_are_unique() -> None:
    countries = [country_by_code(entry.alpha_2) for entry in pycountry.countries]
    countries += [country_by_code(entry.alpha_4) for entry in pycountry.historic_countries]
    assert len({country.key for country in countries}) == len(countries)


def test_country_by_code_refuses_unknown_codes() -> None:
    with pytest.raises(UnknownCountry, match="no country has the ISO 3166 code 'ZZ'"):
        country_by_code("ZZ")


def test_all_names_lists_pycountry_names_then_aliases() -> None:
    turkey = ("Türkiye", "Republic of Türkiye", "Turkey", "Republic of Turkey")
    assert all_names(resolve_country("TR")) == turkey
    serbia_and_montenegro = ("Serbia and Montenegro", "State Union of Serbia and Montenegro")
    assert all_names(resolve_country("CS")) == serbia_and_montenegro
    names = all_names(resolve_country("MK"))
    assert names[:2] == ("North Macedonia", "Republic of North Macedonia")
    assert {"FYR Macedonia", "FYROM", "Macedonia"} <= set(names)
    hungary = resolve_country("HU")  # official name equals the name: listed once
    assert all_names(hungary) == ("Hungary",)


@given(st.sampled_from(sorted(ALIASES)), st.data())
def test_aliases_resolve_whatever_the_case_and_spacing(alias: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(alias), max_size=len(alias)))
    written = "".join(char.upper() if flip else char.lower() for char, flip in zip(alias, flips, strict=True))
    padding = data.draw(st.sampled_from(["", " ", "\t", "  "]))
    assert resolve_country(f"{padding}{written}{padding}") == resolve_country(alias)
