"""The region vocabulary, in one place: regions, country groups, their labels and the regional views.

Regions follow the Gleditsch-Ward code blocks, with North Africa kept in the Middle East and North Africa
block as the codes do; ``AFRICA`` is the whole continent for Africa-wide views. The country groups serve the
contagion features, the region filters of the tables and the dashboard, and the regional briefs.
"""

from __future__ import annotations

from dataclasses import dataclass

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
AFRICA = "africa"
# How tables, the dashboard and the briefs name each group (and the whole continent).
LABELS: dict[str, str] = {
    "sahel": "Sahel (G5)",
    "coastal_west_africa": "Coastal West Africa",
    "west_africa": "West Africa (ECOWAS and Mauritania)",
    AFRICA: "Africa (whole continent)",
}
# A group's members in running text: "the other G5 Sahel states".
GROUP_WORDS: dict[str, str] = {
    "sahel": "G5 Sahel", "coastal_west_africa": "coastal West African", "west_africa": "West African",
}
# The regions a table of indicators or donors can be filtered to (with medians), and the dashboard offers
# beside the Gleditsch-Ward regions.
REGION_FILTERS = ("sahel", "west_africa", AFRICA)


@dataclass(frozen=True)
class RegionalView:
    """A regional brief: its title and the groups it compares, as (label, group) in display order; groups
    after the first are drawn dashed (the "watch" groups)."""

    title: str
    groups: tuple[tuple[str, str], ...]


REGIONAL_VIEWS: dict[str, RegionalView] = {
    "sahel": RegionalView("The Sahel and the coastal watch",
                          ((LABELS["sahel"], "sahel"), ("Coastal watch", "coastal_west_africa"))),
    "west_africa": RegionalView("West Africa", ((LABELS["west_africa"], "west_africa"),)),
    "coastal_west_africa": RegionalView("Coastal West Africa",
                                        ((LABELS["coastal_west_africa"], "coastal_west_africa"),)),
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
