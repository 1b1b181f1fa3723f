"""CSV cells that a spreadsheet shows as text and never runs as a formula."""

from __future__ import annotations

# A spreadsheet runs a cell that starts with one of these as a formula (or mangles it).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def protect(value: str) -> str:
    """Prefix a risky cell with an apostrophe, which spreadsheets show as text."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def protect_reversibly(value: str) -> str:
    """As protect(), but also escapes a leading apostrophe, so unprotect() gives back exactly
    the original text. Used for the diary's own lossless CSV."""
    if value and (value.startswith(FORMULA_TRIGGERS) or value.startswith("'")):
        return "'" + value
    return value


def unprotect(value: str) -> str:
    return value[1:] if value.startswith("'") else value
