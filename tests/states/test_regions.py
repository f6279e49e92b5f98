"""The one region vocabulary: every view, filter and label names a group that exists."""

from __future__ import annotations

from coupwatch.states.regions import (
    AFRICA,
    GROUP_WORDS,
    GROUPS,
    LABELS,
    REGION_FILTERS,
    REGION_NAMES,
    REGIONAL_VIEWS,
    is_african,
    region_of,
)


def test_every_regional_view_compares_known_groups() -> None:
    for key, view in REGIONAL_VIEWS.items():
        assert view.groups, key
        for _, group in view.groups:
            assert group in GROUPS, f"{key}: unknown group {group}"
        # The first group is the one the view is named after, under its own label.
        assert view.groups[0] == (LABELS[key], key)
    assert REGIONAL_VIEWS["sahel"].groups[1] == ("Coastal watch", "coastal_west_africa")


def test_filters_and_labels_cover_the_groups() -> None:
    assert set(REGION_FILTERS) <= {*GROUPS, AFRICA}
    assert set(LABELS) == {*GROUPS, AFRICA}
    assert set(GROUP_WORDS) == set(GROUPS)
    # The Sahel (G5) lies inside West Africa (ECOWAS and Mauritania) except Chad.
    assert set(GROUPS["sahel"]) - set(GROUPS["west_africa"]) == {"TCD"}


def test_gleditsch_ward_blocks() -> None:
    assert region_of(432) == "Sub-Saharan Africa"  # Mali
    assert region_of(651) == "Middle East and North Africa"  # Egypt
    assert {region_of(code) for code in (2, 200, 432, 651, 750, 900)} == set(REGION_NAMES)
    assert is_african(651) and is_african(432)
    assert not is_african(666)  # Israel, in the same block as North Africa
