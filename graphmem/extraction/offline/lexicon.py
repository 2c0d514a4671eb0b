"""Closed-class English words the sentence splitter relies on: abbreviations whose period
ends no sentence, and the words of greetings and thanks, which state nothing to remember."""

from __future__ import annotations

MONTHS_AND_DAYS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """.split()
)

# Abbreviations whose trailing period does not end a sentence.
ABBREVIATIONS = (
    frozenset(
        """
    mr mrs ms dr prof sen rep gov gen col capt lt sgt cmdr adm maj rev fr st jr sr inc corp co
    ltd bros no vs etc mt ft dept univ assn est approx
    """.split()
    )
    | MONTHS_AND_DAYS
)

# Abbreviations that end a name, so a capitalised word after them starts a new sentence.
NAME_FINAL_ABBREVIATIONS = frozenset({"inc", "corp", "co", "ltd", "llc", "plc", "bros", "jr", "sr"})

GREETINGS = frozenset(
    """
    hi hello hey thanks thank you ok okay sure great cool bye goodbye good morning afternoon
    evening night yes no yeah yep nope please welcome cheers nice awesome alright right there
    all everyone guys
    """.split()
)
