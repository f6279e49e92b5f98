"""Regions and country groups used for contagion features and regional views.

Regions follow the Gleditsch-Ward code blocks, with North Africa kept in the Middle East and North Africa
block as the codes do; ``AFRICA`` is the whole continent for Africa-wide views.
"""

from __future__ import annotations

REGION_NAMES = (
    "Americas",
    "Europe",
    "Sub-Saharan Africa",
    "Middle East and North Africa",
    "Asia",
    "Oceania",
)

_NORTH_AFRICA = {600, 615, 616, 620, 625, 626, 651}

# Country groups by ISO3. The Sahel is the G5 Sahel; West Africa is ECOWAS plus Mauritania.
GROUPS: dict[str, tuple[str, ...]] = {
    "sahel": ("MLI", "NER", "BFA", "TCD", "MRT"),
    "coastal_west_africa": ("GIN", "CIV", "BEN", "TGO"),
    "west_africa": (
        "BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER", "NGA", "SEN",
        "SLE", "TGO",
    ),
}


def region_of(gwcode: int) -> str:
    """The region of a Gleditsch-Ward code (by the code blocks of the G&W list)."""
    if gwcode < 200:
        return "Americas"
    if gwcode < 400:
        return "Europe"
    if gwcode < 600:
        return "Sub-Saharan Africa"
    if gwcode < 700:
        return "Middle East and North Africa"
    if gwcode < 900:
        return "Asia"
    return "Oceania"


def is_african(gwcode: int) -> bool:
    return 400 <= gwcode < 600 or gwcode in _NORTH_AFRICA
