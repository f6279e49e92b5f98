"""How often every interval refits the model: one count and one seed for the watchlist, scenarios and briefs.

The web, the CLI, the API and the briefs use these defaults, so the same scenario gives the same number
everywhere and a scenario's baseline interval is the forecast's interval (the same refits score both).
"""

REFITS = 50
SEED = 2024
