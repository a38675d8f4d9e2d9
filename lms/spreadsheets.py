"""Spreadsheet exports: cells that Excel or LibreOffice would run as formulas.

A cell starting with = + - @ (or a tab or carriage return) is read as a formula by
spreadsheet programs, so text written by users (names, course titles, reasons)
could run there. Such text gets a leading apostrophe, which shows it as text.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
