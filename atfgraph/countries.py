"""Countries as analysts name them, resolved to ISO 3166 through pycountry.

pycountry is the list of countries; nothing here lists them again. On top of it sits a small alias table for
names analysts write that pycountry does not know (old names like "Turkey" and "FYR Macedonia", short ones
like "UK" and "Russia"). Lookup ignores case, accents, punctuation, spacing and a leading "the", and also
knows two forms derived from pycountry's own names: "Korea, Republic of" read as "Republic of Korea", and
the first part of a historic name ("Czechoslovakia" from "Czechoslovakia, Czechoslovak Socialist Republic").

Current countries always win over historic ones. Historic countries are found by alpha-4 (unique), alpha-3
and alpha-2 where no current country holds it; ISO has handed some alpha-2 codes to a second country after
withdrawing them (CS was Czechoslovakia, then Serbia and Montenegro; BY was the Byelorussian SSR, now
Belarus), so a country's :attr:`Country.key` is its alpha-2 unless the code went on to another country, in
which case it is its alpha-4.

Kosovo has no ISO 3166-1 code (XK is user-assigned, outside the standard), so it is left unresolved with a
message saying so rather than given an invented code.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import pycountry


class UnknownCountry(LookupError):
    """A country name or code that cannot be resolved; ``suggestions`` holds the closest ones."""

    def __init__(self, message: str, text: str = "", suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.text = text
        self.suggestions = suggestions


@dataclass(frozen=True)
class Country:
    """A country of ISO 3166-1, current or historic (withdrawn from the standard)."""

    alpha2: str
    alpha3: str
    numeric: str  # "" for the few historic countries ISO gave no numeric code
    name: str
    official_name: str | None = None
    common_name: str | None = None
    historic: bool = False
    withdrawn: datetime.date | None = None  # only when ISO gives the day; see withdrawn_year
    alpha4: str | None = None  # historic countries only: the code ISO 3166-3 gives the withdrawal
    withdrawn_year: int | None = None  # set for every historic country, even when only the year is known

    @property
    def key(self) -> str:
        """The code atfgraph keys this country by: its alpha-2, or its alpha-4 if that alpha-2 went on to
        another country (Czechoslovakia is CSHH, Serbia and Montenegro CS)."""
        if self.alpha4 is not None and _index().codes.get(self.alpha2) != self:
            return self.alpha4
        return self.alpha2


ALIASES: Final[Mapping[str, str]] = {
    # pycountry follows ISO's 2022 renaming to Türkiye and keeps nothing of the old names, which most
    # documents before then (and many after) use. "Turkiye" needs no entry: lookup ignores accents.
    "Turkey": "TR",
    "Republic of Turkey": "TR",
    # Macedonia's names before the 2019 Prespa agreement; pycountry knows only North Macedonia.
    # "the former Yugoslav Republic of Macedonia" needs no entry: lookup drops a leading "the".
    "Macedonia": "MK",
    "Republic of Macedonia": "MK",
    "Former Yugoslav Republic of Macedonia": "MK",
    "FYR Macedonia": "MK",
    "FYROM": "MK",
    # Short and everyday names that ISO does not use. UK is not an ISO code (GB is).
    "Bosnia": "BA",
    "Bosnia-Herzegovina": "BA",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "Russia": "RU",
    "UAE": "AE",
    "DR Congo": "CD",
    "DRC": "CD",
    "Holy See": "VA",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Palestine": "PS",
    # Names ISO has since replaced; the countries themselves are current.
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Burma": "MM",  # not the historic BU entry (withdrawn 1989): people writing Burma today mean Myanmar
    "East Timor": "TL",  # likewise not the historic TP entry, withdrawn in 2002 when Timor-Leste joined
    # Historic countries, by alpha-4 (their alpha-2 codes are not unique). The State Union's full name and
    # the Yugoslav names are not in pycountry, whose Yugoslavia entry is "Yugoslavia, (Socialist) Federal
    # Republic of".
    "State Union of Serbia and Montenegro": "CSXX",
    "Federal Republic of Yugoslavia": "YUCS",
    "Socialist Federal Republic of Yugoslavia": "YUCS",
    "FRY": "YUCS",
    "SFRY": "YUCS",
    "Soviet Union": "SUHH",
    "East Germany": "DDDE",
}
"""Names analysts write that pycountry does not know → alpha-2 (current) or alpha-4 (historic) code."""

_NO_ISO_CODE: Final[Mapping[str, str]] = {
    "kosovo": "Kosovo",
    "republic of kosovo": "Kosovo",
    "kosova": "Kosovo",
    "xk": "Kosovo",
}


def resolve_country(text: str) -> Country:
    """The country an analyst means by a code (alpha-2, alpha-3, or alpha-4 for a historic one) or a name.

    Ignores case, accents, punctuation, spacing and a leading "the". Raises :class:`UnknownCountry`, with
    up to three suggestions in its message, when nothing matches.
    """
    return _resolve(text)


def country_by_code(code: str) -> Country:
    """The country with this ISO code: alpha-2, alpha-3, or a historic country's alpha-4.

    ``country_by_code(country.key) == country`` for every country. Raises :class:`UnknownCountry`.
    """
    country = _index().codes.get(code.strip().upper())
    if country is None:
        raise UnknownCountry(f"no country has the ISO 3166 code '{code}'", code)
    return country


def all_names(country: Country) -> tuple[str, ...]:
    """The country's names for labels: pycountry's name, official and common names, then its aliases."""
    names = (country.name, country.official_name, country.common_name, *_index().aliases.get(country, ()))
    return tuple(dict.fromkeys(name for name in names if name))


def _normalise(text: str) -> str:
    # "Côte d'Ivoire", "cote d ivoire" and "COTE D'IVOIRE" meet; "U.K." becomes "uk" so codes still match.
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char)).casefold()
    folded = folded.replace(".", "").replace("&", " and ")
    words = re.sub(r"[\W_]+", " ", folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class _Index:
    codes: dict[str, Country]  # upper-case code → country
    names: dict[str, Country]  # normalised name → country
    aliases: dict[Country, tuple[str, ...]]  # country → the alias names pointing to it


@functools.cache
def _index() -> _Index:
    """Every code and name, built once: resolution runs for each of a million records."""
    current = [_country(entry, historic=False) for entry in pycountry.countries]
    # Most recently withdrawn first, so a reused alpha-2 goes to its latest holder
    # (CS to Serbia and Montenegro, not Czechoslovakia).
    historic = sorted(
        (_country(entry, historic=True) for entry in pycountry.historic_countries),
        key=lambda country: (country.withdrawn_year or 0, country.withdrawn or datetime.date.min),
        reverse=True,
    )
    codes: dict[str, Country] = {}
    for country in current:
        codes[country.alpha2] = codes[country.alpha3] = country
    for country in historic:
        if country.alpha4 is not None:
            codes[country.alpha4] = country
    for country in historic:
        codes.setdefault(country.alpha3, country)
        codes.setdefault(country.alpha2, country)

    names: dict[str, Country] = {}
    for country in current:
        _add_names(names, country, (country.name, country.official_name, country.common_name))
    aliases: dict[Country, list[str]] = {}
    for alias, code in ALIASES.items():
        names.setdefault(_normalise(alias), codes[code])
        aliases.setdefault(codes[code], []).append(alias)
    for country in historic:
        # The part before the comma is a name in its own right: "USSR, Union of Soviet Socialist Republics".
        _add_names(names, country, (country.name, country.name.split(",")[0]))
    return _Index(codes, names, {country: tuple(names) for country, names in aliases.items()})


def _add_names(names: dict[str, Country], country: Country, candidates: Iterable[str | None]) -> None:
    for candidate in candidates:
        if candidate:
            names.setdefault(_normalise(candidate), country)
            inverted = _INVERTED.fullmatch(candidate)
            if inverted:
                names.setdefault(_normalise(f"{inverted['tail']} {inverted['head']}"), country)


# "Korea, Republic of" is also written "Republic of Korea"; "Congo, The Democratic Republic of the" likewise.
_INVERTED = re.compile(r"(?P<head>[^,]+), (?P<tail>[^,]+ of(?: the)?)")


def _country(entry: Any, historic: bool) -> Country:
    fields: dict[str, str] = dict(entry)  # pycountry entries iterate as (field, value) pairs
    withdrawal = fields.get("withdrawal_date", "")
    return Country(
        alpha2=fields["alpha_2"],
        alpha3=fields["alpha_3"],
        numeric=fields.get("numeric", ""),
        name=fields["name"],
        official_name=fields.get("official_name"),
        common_name=fields.get("common_name"),
        historic=historic,
        # pycountry gives some withdrawals as a year only ("1977"): no day is invented for those.
        withdrawn=datetime.date.fromisoformat(withdrawal) if len(withdrawal) == 10 else None,
        alpha4=fields.get("alpha_4") if historic else None,
        withdrawn_year=int(withdrawal[:4]) if withdrawal else None,
    )


@functools.lru_cache(maxsize=1 << 12)
def _resolve(text: str) -> Country:
    index = _index()
    key = _normalise(text)
    if not key:
        raise UnknownCountry("the country is empty; write an ISO 3166-1 code or an English name", text)
    if " " not in key and 2 <= len(key) <= 4:
        by_code = index.codes.get(key.upper())
        if by_code is not None:
            return by_code
    by_name = index.names.get(key)
    if by_name is not None:
        return by_name
    if key in _NO_ISO_CODE:
        name = _NO_ISO_CODE[key]
        raise UnknownCountry(
            f"'{text.strip()}' cannot be resolved: {name} has no ISO 3166-1 code (XK is user-assigned, "
            "outside the standard), and atfgraph does not invent one",
            text,
        )
    suggestions = _suggestions(key, index)
    if suggestions:
        *others, last = suggestions
        hint = f"did you mean {', '.join(others)} or {last}?" if others else f"did you mean {last}?"
    else:
        hint = "write an ISO 3166-1 code (TR or TUR) or the country's English name"
    raise UnknownCountry(f"unknown country '{text.strip()}'; {hint}", text, suggestions)


def _suggestions(key: str, index: _Index) -> tuple[str, ...]:
    # A cutoff above difflib's 0.6 keeps "Tukey" from suggesting Kenya; a historic country is offered
    # only after every close current one, as a typo seldom means a state withdrawn decades ago.
    close = difflib.get_close_matches(key, index.names, n=12, cutoff=0.7)
    if not close:  # "Korea" is too short to be close to either Korea; it is a word of both names
        close = [name for name in index.names if f" {key} " in f" {name} "]
    ranked = sorted((index.names[name] for name in close), key=lambda country: country.historic)
    countries = dict.fromkeys(ranked)  # keeps the order, drops repeats
    return tuple(f"{country.name} ({country.key})" for country in list(countries)[:3])


__all__ = ["ALIASES", "Country", "UnknownCountry", "all_names", "country_by_code", "resolve_country"]
