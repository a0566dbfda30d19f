"""Ids typed or posted by people: ASCII digits within the database's id range."""

DB_ID_MAX = 2**63 - 1  # PostgreSQL bigint; SQLite's integer has the same range


def parse_id(value: object) -> int | None:
    """The id `value` names, or None when it is not one.

    `str.isdigit()` is not enough: it accepts "²" and "١٢", which `int()`
    refuses or reads as another number, and a huge number overflows the
    database's integer.
    """
    text = str(value).strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= DB_ID_MAX else None
