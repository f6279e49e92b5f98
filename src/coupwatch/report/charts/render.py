"""SVG and PNG of an Altair chart, rendered by vl-convert without a browser."""

from __future__ import annotations

import altair as alt


def to_svg(chart: alt.TopLevelMixin, validate: bool = True) -> str:
    """SVG of an Altair chart. ``validate=False`` skips Altair's schema check (a tenth of the rendering time),
    for specs the tests already check against the Vega-Lite schema."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(chart.to_dict(validate=validate)))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.to_dict(), scale=scale))
