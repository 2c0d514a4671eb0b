"""Small, general cue-word lists the offline extractor types names with.

These are closed-class English words (function words, honorifics, corporate suffixes, head
nouns of organisation and place names); there is deliberately no gazetteer of cities,
countries or people, so the extractor generalises the same way to any text.
"""

from __future__ import annotations

# Capitalised only because they start a sentence: never part of a name.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those there here it its he him his she her hers they them their
    theirs we us our ours you your yours i me my mine myself who whom whose which what when
    where why how whether if then than so and or but nor not no yes of in on at by for from to
    into onto with without about above below under over after before during since until while
    as also just only even still yet both either neither each every all any some many most
    more much few several such other another is are was were be been being am do does did
    done have has had having will would shall should can could may might must let lets
    according because although though however meanwhile moreover thus therefore instead
    today tomorrow yesterday tonight now later once again hi hello hey thanks thank please
    ok okay sure well oh yeah dear madam
    """.split()
)

MONTHS_AND_DAYS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """.split()
)

# Courtesy titles stay part of a name ("Dr. Smith", "President Lincoln"): it is how people
# are referred to. Office titles are dropped ("Gov. James Thompson" -> "James Thompson"):
# offices change, and the title often follows a place or organisation ("Illinois Gov.").
COURTESY_TITLES = frozenset(
    """
    mr mrs ms miss dr prof president prince princess king queen pope rev sir dame lord lady
    """.split()
)
OFFICE_TITLES = frozenset(
    """
    sen rep gov gen col capt lt sgt cmdr adm maj premier chancellor senator governor mayor
    judge justice minister ambassador professor general colonel captain lieutenant sergeant
    commander admiral major attorney secretary chairman chief prime
    """.split()
)
HONORIFICS = COURTESY_TITLES | OFFICE_TITLES

# Job acronyms written in capitals that are roles, not organisations ("the CEO of").
ROLE_ACRONYMS = frozenset("ceo cto cfo coo cio cmo vp svp evp md".split())

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

# The last word of an organisation's name.
ORGANIZATION_HEADS = frozenset(
    """
    inc corp corporation co company ltd llc plc gmbh ag sa group holdings partners
    industries enterprises technologies systems labs laboratory laboratories studios
    bank university college institute school academy association society foundation
    agency commission committee council department ministry party union league federation
    police army navy force forces court senate congress parliament government administration
    press times post news television tv radio network airlines airways museum hospital church
    club team board bureau office service services organization organisation center centre
    properties motors communications media magazine journal clinic firm
    """.split()
)

# Words that, inside a name, say it names a place.
PLACE_HEADS = frozenset(
    """
    city county province state states district republic kingdom island islands river lake
    mountain mountains valley bay sea ocean square street avenue road beach coast desert
    channel peninsula region territory village town gulf strait harbor harbour falls
    """.split()
)

# Buildings and sites; also common surnames ("Andrew Hall"), so only a weak hint unless the
# name opens with them ("Palace of Fine Arts").
FACILITY_HEADS = frozenset(
    "palace hall tower bridge airport station stadium park castle cathedral temple mosque".split()
)

# First words that make a name a place: "South Carolina", "San Francisco", "Fort Scott".
PLACE_PREFIXES = frozenset(
    """
    north south east west northern southern eastern western central new san santa los las
    st saint fort mount mt port lake cape upper lower greater
    """.split()
)

# "in central Idaho", "northeast of Boise": direction words before or around a place.
COMPASS_WORDS = frozenset(
    """
    north south east west northeast northwest southeast southwest northern southern eastern
    western central northeastern northwestern southeastern southwestern downtown suburban
    rural coastal
    """.split()
)

# Endings of capitalised adjectives for peoples and regions ("Chilean", "Thai" excepted).
ADJECTIVE_SUFFIXES = ("an", "ish", "ese", "ic", "ern")

# Lowercase words that may join two capitalised words into one name ("Bank of America").
NAME_CONNECTORS = frozenset({"of", "for", "and", "on", "de", "du", "da", "van", "von", "der", "al"})

# After these, a capitalised name with no article is most likely a place.
PLACE_PREPOSITIONS = frozenset(
    {"in", "from", "near", "to", "into", "across", "throughout", "outside", "inside", "around"}
)

# Verbs of saying: the name next to them is a speaker, hence a person.
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "asked", "stated", "explained"})

# Endings of lowercase words that usually name a person's role ("spokesman", "director").
AGENT_SUFFIXES = ("man", "woman", "er", "or", "ist", "ian", "ant", "ent", "eer", "ee")

# Lowercase words with an agent ending that are not roles.
NOT_AGENTS = frozenset(
    """
    other another after under over per never whether either neither rather later ever every
    her their our your for or together however moreover further former latter cover order
    water paper number member summer winter center centre percent recent current
    than then when enter matter letter offer
    """.split()
)

# Family words: "Y's wife X" is a relation, not an employment role.
SPOUSE_WORDS = frozenset({"wife", "husband", "spouse"})
FAMILY_WORDS = SPOUSE_WORDS | frozenset(
    """
    son daughter father mother brother sister child children parent parents uncle aunt
    nephew niece cousin grandson granddaughter grandfather grandmother widow widower
    """.split()
)

GREETINGS = frozenset(
    """
    hi hello hey thanks thank you ok okay sure great cool bye goodbye good morning afternoon
    evening night yes no yeah yep nope please welcome cheers nice awesome alright right there
    all everyone guys
    """.split()
)
