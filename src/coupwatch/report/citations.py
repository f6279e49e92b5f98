"""Plain-text references from the adapters' BibTeX, for the sources list of briefs.

Only what a reader needs: authors, year, title, where it appeared, and a DOI or URL. A full BibTeX entry
is always available from ``coupwatch data cite``.
"""

from __future__ import annotations

import re

_ACCENTS = {
    "'": {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "E": "É", "A": "Á", "O": "Ó"},
    "`": {"a": "à", "e": "è", "o": "ò", "u": "ù"},
    '"': {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"},
    "^": {"a": "â", "e": "ê", "o": "ô"},
    "~": {"n": "ñ", "a": "ã", "o": "õ"},
}
_LETTERS = {"aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ"}
_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_FIELD = re.compile(r"(\w+)\s*=\s*")


def _delatex(text: str) -> str:
    def accent(match: re.Match[str]) -> str:
        mark, letter = match.group(1), match.group(2)
        return _ACCENTS.get(mark, {}).get(letter, letter)

    text = re.sub(r"\{?\\(['`\"^~])\{?(\w)\}?\}?", accent, text)
    text = re.sub(r"\{?\\(aa|AA|ss|ae|o|O)\}", lambda m: _LETTERS[m.group(1)], text)
    text = re.sub(r"\\url\{([^}]*)\}", r"\1", text)
    text = text.replace("--", "–").replace("\\&", "&").replace("\\_", "_")
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def _value(text: str, start: int) -> tuple[str, int]:
    """The value starting at ``start`` (braced, quoted or bare) and the index after it."""
    if text[start] == "{":
        depth, index = 0, start
        while index < len(text):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                return text[start + 1:index], index + 1
            index += 1
        return text[start + 1:], len(text)
    if text[start] == '"':
        end = text.find('"', start + 1)
        return text[start + 1:end], end + 1
    match = re.match(r"[^,}\s]+", text[start:])
    return (match.group(0) if match else ""), start + (match.end() if match else 0)


def parse_bibtex(text: str) -> list[dict[str, str]]:
    """Entries of a BibTeX string as dicts of lower-case field names (plus ``type`` and ``key``)."""
    entries = []
    starts = [m for m in _ENTRY.finditer(text)]
    for number, entry in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        body = text[entry.end():end]
        fields = {"type": entry.group(1).lower(), "key": entry.group(2)}
        index = 0
        while (match := _FIELD.search(body, index)) is not None:
            if match.end() >= len(body):
                break
            value, index = _value(body, match.end())
            fields[match.group(1).lower()] = value
        entries.append(fields)
    return entries


def _split_names(raw: str) -> list[str]:
    """Split an author list at ' and ', except inside braces (corporate authors keep their 'and')."""
    names, depth, current = [], 0, ""
    tokens = re.split(r"(\s+and\s+|[{}])", raw)
    for token in tokens:
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth == 0 and re.fullmatch(r"\s+and\s+", token):
            names.append(current.strip())
            current = ""
        else:
            current += token
    names.append(current.strip())
    return [n for n in names if n]


def _authors(raw: str) -> str:
    names = _split_names(raw)
    shown = []
    for name in names:
        if name.startswith("{") and name.endswith("}"):
            shown.append(_delatex(name))
            continue
        last, _, first = (part.strip() for part in name.partition(","))
        initials = " ".join(f"{p[0]}." for p in re.split(r"[\s.]+", _delatex(first)) if p) if first else ""
        shown.append(f"{_delatex(last)}{', ' + initials if initials else ''}")
    if len(shown) > 5:
        return ", ".join(shown[:5]) + " et al."
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " & " + shown[-1]


def reference(entry: dict[str, str]) -> str:
    """One entry as a reference line: Authors (year). Title. Venue. DOI or URL."""
    parts = [f"{_authors(entry.get('author', 'Anonymous'))} ({entry.get('year', 'n.d.')}).",
             _delatex(entry.get("title", "")).rstrip(".") + "."]
    venue = entry.get("journal") or entry.get("publisher") or entry.get("institution") \
        or entry.get("organization") or entry.get("howpublished")
    if venue:
        detail = _delatex(venue)
        if entry.get("volume"):
            detail += f" {entry['volume']}"
            if entry.get("number"):
                detail += f"({entry['number']})"
        if entry.get("pages"):
            detail += f": {_delatex(entry['pages'])}"
        parts.append(detail.rstrip(".") + ".")
    if entry.get("note"):
        parts.append(_delatex(entry["note"]).rstrip(".") + ".")
    if entry.get("doi"):
        parts.append(f"https://doi.org/{entry['doi']}")
    elif entry.get("url"):
        parts.append(entry["url"])
    return " ".join(p for p in parts if p.strip(". "))


def references(bibtex: str) -> list[str]:
    """Every entry of a BibTeX string as a reference line."""
    return [reference(entry) for entry in parse_bibtex(bibtex)]
