"""Spreadsheet cells that cannot run: OWASP's guidance on CSV injection, as one rule for the CSV and Excel exports.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3``), and a response or an owner's name is text
anyone with a link could type. Such a text is prefixed with a single quote, which spreadsheets show as text and never
evaluate (https://owasp.org/www-community/attacks/CSV_Injection). Numbers and dates are left as they are.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` as a spreadsheet may hold it safely: a text that a spreadsheet would take for a formula, quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
