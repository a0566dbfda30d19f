"""Text clean-ups shared by every output that is not HTML."""

import re

# XML 1.0 allows tab, newline and carriage return, and nothing else below 0x20;
# DEL and the C1 controls are legal but invisible and break some readers.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    """The text without control characters, so a feed or an export always parses."""
    return CONTROL_CHARACTERS.sub("", text or "")
