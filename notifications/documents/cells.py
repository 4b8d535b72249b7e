"""Spreadsheet cells that cannot run: the OWASP guard against CSV (formula) injection for every export.

A response typed as ``=HYPERLINK(...)`` or ``@SUM(...)`` must reach the inspectorate's spreadsheet as text, never as
a formula: a value starting with one of ``= + - @``, a tab or a carriage return gets a leading apostrophe, as OWASP
advises, so Excel and LibreOffice show it and never evaluate it.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` as it may go into a spreadsheet cell: text that a spreadsheet would read as a formula is prefixed
    with an apostrophe; everything else (numbers, dates, ordinary text) is unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
