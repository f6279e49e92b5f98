"""Every chart of the package, built with Altair: one Vega-Lite spec serves every medium.

``backtest`` draws the backtest report's and the accuracy page's curves, ``brief`` the country briefs and the
regional comparison, ``dashboard`` the country page of the web dashboard; ``render`` turns a spec into SVG or
PNG with vl-convert, without a browser.
"""
