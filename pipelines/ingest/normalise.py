"""Header and value normalisation shared by every `duo/` layout (raw-data contract, section 5)."""

from __future__ import annotations

import re

# Header spellings that mean the same column, after `canonical_header` normalisation.
HEADER_SYNONYMS: dict[str, str] = {
    "BRIN NUMMER ACTUEEL": "INSTELLINGSCODE ACTUEEL",
    "CROHO ONDERDEEL": "ONDERDEEL",
    "CROHO SUBONDERDEEL": "SUBONDERDEEL",
    "BRINNUMMER": "BRIN NUMMER",
    "INSTELLINGSCODE": "BRIN NUMMER",
    "PROVINCIENAAM": "PROVINCIE",
    "VESTIGINGSCODE": "VESTIGINGSNUMMER",  # the exam file (10.5) vs its older layout (11.4)
}

OPLEIDINGSVORM = {
    "voltijd onderwijs": "VT",
    "deeltijd onderwijs": "DT",
    "duaal onderwijs": "DU",
    "vt": "VT",
    "dt": "DT",
    "du": "DU",
}

_SPACES = re.compile(r"\s+")


def canonical_header(raw: str) -> str:
    """Trim, upper-case, `_` = space, collapse runs of spaces, then apply synonyms."""
    text = _SPACES.sub(" ", raw.replace("\ufeff", "").replace("_", " ").strip()).upper()
    return HEADER_SYNONYMS.get(text, text)


def canonical_value(raw: str | None) -> str:
    """Values compare case-insensitively with `_` = space: `GEDRAG_EN_MAATSCHAPPIJ` = `gedrag en maatschappij`."""
    if raw is None:
        return ""
    return _SPACES.sub(" ", raw.replace("_", " ").strip()).lower()


def canonical_opleidingsvorm(raw: str) -> str:
    """`voltijd onderwijs` = `VT` etc.; an unknown spelling is returned as-is for the schema to reject."""
    value = canonical_value(raw)
    return OPLEIDINGSVORM.get(value, raw.strip())
