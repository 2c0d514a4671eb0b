"""Fictional companies, their people, products and investors, in real cities and universities.

Relation names mix the styles business KBs use: verb phrases (`works at`, `founded`,
`makes`, `invested in`, `studied at`), UPPER types (`CEO_OF`, `HEADQUARTERED_IN`,
`IN_COUNTRY`), and nouns (`industry`, `parent company`, `subsidiaries`). Ownership is
stored from either end: `parent company` on the subsidiary, or `subsidiaries` on the owner.
"""

from __future__ import annotations

from domains.base import IN, OUT, Domain, Triple, back, either, out, template

COMPANIES = {
    # company: (headquarters city, industry)
    "Kestrel Aerospace": ("Toulouse", "Aerospace"),
    "Norland Bioworks": ("Basel", "Biotechnology"),
    "Smith, Jones & Partners": ("Edinburgh", "Legal services"),
    "Bread, Butter and Jam Ltd.": ("Manchester", "Food processing"),
    "Oakhaven Foods": ("Chicago", "Food processing"),
    "Sunny Side Dairy": ("Madison", "Food processing"),
    "Meridian Robotics": ("Osaka", "Robotics"),
    "Meridian Robotics Europe GmbH": ("Munich", "Robotics"),
    "Copperline Telecom": ("São Paulo", "Telecommunications"),
    "BlueHarbor Analytics": ("Toronto", "Software"),
    "Quillfeather Publishing": ("Dublin", "Publishing"),
    "Lumen Grid Energy": ("Copenhagen", "Renewable energy"),
    "Sable & Finch": ("Milan", "Fashion"),
    "Tidewater Logistics": ("Rotterdam", "Logistics"),
    "Cedar Lane Health": ("Boston", "Healthcare"),
    "Pinecrest Capital": ("San Francisco", "Venture capital"),
    "Arrowroot Ventures": ("London", "Venture capital"),
    "Halvorsen & Daughters Holdings": ("Oslo", "Investment management"),
}

CITIES = {
    "Toulouse": "France",
    "Basel": "Switzerland",
    "Edinburgh": "United Kingdom",
    "Manchester": "United Kingdom",
    "Chicago": "United States",
    "Madison": "United States",
    "Osaka": "Japan",
    "Munich": "Germany",
    "São Paulo": "Brazil",
    "Toronto": "Canada",
    "Dublin": "Ireland",
    "Copenhagen": "Denmark",
    "Milan": "Italy",
    "Rotterdam": "Netherlands",
    "Boston": "United States",
    "San Francisco": "United States",
    "London": "United Kingdom",
    "Oslo": "Norway",
}

# person: (works at, founded, CEO of, studied at)
PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None, tuple[str, ...]]] = {
    "Margaux Delacroix": (("Kestrel Aerospace",), ("Kestrel Aerospace",), "Kestrel Aerospace",
                          ("École Polytechnique",)),
    "Julien Marchand": (("Kestrel Aerospace",), (), None, ("ISAE-SUPAERO",)),
    "Chloé Bernard": (("Kestrel Aerospace",), (), None, ("Imperial College London",)),
    "Amara Okonkwo": ((), ("Norland Bioworks",), "Norland Bioworks",
                      ("ETH Zurich", "Stanford University")),
    "Henrik Solberg": (("Norland Bioworks",), ("Norland Bioworks",), None,
                       ("University of Oslo",)),
    "Lena Vogt": (("Norland Bioworks",), (), None, ("ETH Zurich",)),
    "Alistair Smith": (("Smith, Jones & Partners",), ("Smith, Jones & Partners",), None,
                       ("University of Edinburgh",)),
    "Fiona Jones": ((), ("Smith, Jones & Partners",), "Smith, Jones & Partners",
                    ("University of Edinburgh",)),
    "Callum Reid": (("Smith, Jones & Partners",), (), None, ("University of Glasgow",)),
    "Gwen Parry": (("Bread, Butter and Jam Ltd.",), ("Bread, Butter and Jam Ltd.",), None,
                   ("University of Manchester",)),
    "Tom Whitaker": ((), (), "Bread, Butter and Jam Ltd.", ("University of Leeds",)),
    "Priya Nair": (("Bread, Butter and Jam Ltd.",), (), None, ("University of Manchester",)),
    "Walter Oakes": ((), ("Oakhaven Foods",), None, ("University of Chicago",)),
    "Denise Carver": ((), (), "Oakhaven Foods", ("Harvard University",)),
    "Marcus Bell": (("Oakhaven Foods",), (), None, ("University of Wisconsin-Madison",)),
    "Rick Lindgren": (("Sunny Side Dairy",), (), "Sunny Side Dairy",
                      ("University of Wisconsin-Madison",)),
    "Hannah Schultz": (("Sunny Side Dairy",), (), None, ("Iowa State University",)),
    "Kenji Watanabe": ((), ("Meridian Robotics",), "Meridian Robotics", ("Kyoto University",)),
    "Yuki Tanaka": (("Meridian Robotics",), ("Meridian Robotics",), None, ("Osaka University",)),
    "Hiroshi Sato": (("Meridian Robotics",), (), None, ("Kyoto University",)),
    "Lukas Brandt": ((), (), "Meridian Robotics Europe GmbH",
                     ("Technical University of Munich",)),
    "Sofia Weber": (("Meridian Robotics Europe GmbH",), (), None,
                    ("Technical University of Munich",)),
    "Rafael Moreira": (("Copperline Telecom",), ("Copperline Telecom",), None,
                       ("Universidade de São Paulo",)),
    "Beatriz Lima": ((), (), "Copperline Telecom", ("Fundação Getulio Vargas",)),
    "Thiago Alves": (("Copperline Telecom",), (), None, ("Universidade de São Paulo",)),
    "Priyanka Rao": ((), ("BlueHarbor Analytics",), "BlueHarbor Analytics",
                     ("University of Toronto",)),
    "Ethan Blake": (("BlueHarbor Analytics",), ("BlueHarbor Analytics",), None,
                    ("Stanford University",)),
    "Olivia Chen": (("BlueHarbor Analytics", "Pinecrest Capital"), (), None,
                    ("University of Toronto",)),
    "Orla Byrne": (("Quillfeather Publishing",), ("Quillfeather Publishing",), None,
                   ("Trinity College Dublin",)),
    "Seán Whelan": ((), (), "Quillfeather Publishing", ("Trinity College Dublin",)),
    "Aisling Murphy": (("Quillfeather Publishing",), (), None, ("University College Cork",)),
    "Freja Madsen": ((), ("Lumen Grid Energy",), "Lumen Grid Energy",
                     ("Technical University of Denmark",)),
    "Mads Kjær": (("Lumen Grid Energy",), (), None, ("Technical University of Denmark",)),
    "Giulia Sabatini": ((), ("Sable & Finch",), "Sable & Finch", ("Politecnico di Milano",)),
    "Oliver Finch": (("Sable & Finch",), ("Sable & Finch",), None, ("Central Saint Martins",)),
    "Chiara Conti": (("Sable & Finch",), (), None, ("Politecnico di Milano",)),
    "Pieter de Vries": (("Tidewater Logistics",), ("Tidewater Logistics",), None,
                        ("Delft University of Technology",)),
    "Sanne Bakker": ((), (), "Tidewater Logistics", ("Erasmus University Rotterdam",)),
    "Daan Visser": (("Tidewater Logistics",), (), None, ("Delft University of Technology",)),
    "Grace Okafor": (("Cedar Lane Health",), ("Cedar Lane Health",), None,
                     ("Harvard University",)),
    "Daniel Reyes": ((), (), "Cedar Lane Health", ("Stanford University",)),
    "Maya Goldberg": (("Cedar Lane Health",), (), None, ("Boston University",)),
    "Howard Lin": ((), ("Pinecrest Capital",), "Pinecrest Capital", ("Stanford University",)),
    "Nathan Brooks": (("Pinecrest Capital",), (), None,
                      ("University of California, Berkeley",)),
    "Sophie Hart": ((), ("Arrowroot Ventures",), "Arrowroot Ventures",
                    ("Imperial College London",)),
    "Emily Carter": (("Arrowroot Ventures",), (), None, ("London School of Economics",)),
    "Ingrid Halvorsen": ((), ("Halvorsen & Daughters Holdings",), None,
                         ("University of Oslo",)),
    "Marit Halvorsen": ((), (), "Halvorsen & Daughters Holdings",
                        ("BI Norwegian Business School",)),
    "Lars Eriksen": (("Halvorsen & Daughters Holdings",), (), None, ("University of Oslo",)),
}  # fmt: skip

PRODUCTS = {
    "Kestrel Aerospace": ("Peregrine X1 drone", "Skylark S2 satellite"),
    "Norland Bioworks": ("Norvax flu vaccine", "GeneTrace test kit"),
    "Bread, Butter and Jam Ltd.": ("Proper Sourdough Loaf", "Seville Orange Marmalade"),
    "Oakhaven Foods": ("Oakhaven Honey Granola",),
    "Sunny Side Dairy": ("Sunny Side Greek Yogurt",),
    "Meridian Robotics": ("Meribot Home Assistant", "Cobalt Arm"),
    "Copperline Telecom": ("Copperline 5G Router",),
    "BlueHarbor Analytics": ("HarborView dashboard", "TideStream"),
    "Quillfeather Publishing": ("The Quill Quarterly",),
    "Lumen Grid Energy": ("LumenCell battery", "SunStack solar panel"),
    "Sable & Finch": ("Finch Trench Coat", "Sable Tote Bag"),
    "Tidewater Logistics": ("PortPilot freight tracker",),
    "Cedar Lane Health": ("CareNote app",),
}

# stored as `parent company` on the subsidiary, `subsidiaries` on the owner, or both
OWNERSHIP = (
    ("Bread, Butter and Jam Ltd.", "parent company", "Oakhaven Foods"),
    ("Oakhaven Foods", "subsidiaries", "Sunny Side Dairy"),
    ("Meridian Robotics", "subsidiaries", "Meridian Robotics Europe GmbH"),
    ("Meridian Robotics Europe GmbH", "parent company", "Meridian Robotics"),
    ("Cedar Lane Health", "parent company", "Norland Bioworks"),
    ("Lumen Grid Energy", "parent company", "Halvorsen & Daughters Holdings"),
    ("Halvorsen & Daughters Holdings", "subsidiaries", "Tidewater Logistics"),
)

INVESTMENTS = {
    "Pinecrest Capital": (
        "Meridian Robotics",
        "Norland Bioworks",
        "BlueHarbor Analytics",
        "Cedar Lane Health",
    ),
    "Arrowroot Ventures": (
        "Kestrel Aerospace",
        "Meridian Robotics",
        "Quillfeather Publishing",
        "Sable & Finch",
    ),
    "Halvorsen & Daughters Holdings": ("Copperline Telecom", "Kestrel Aerospace"),
}


def triples() -> list[Triple]:
    facts: list[Triple] = []
    for company, (city, industry) in COMPANIES.items():
        facts.append(Triple(company, "HEADQUARTERED_IN", city))
        facts.append(Triple(company, "industry", industry))
    for person, (employers, founded, ceo_of, schools) in PEOPLE.items():
        facts.extend(Triple(person, "works at", company) for company in employers)
        facts.extend(Triple(person, "founded", company) for company in founded)
        if ceo_of:
            facts.append(Triple(person, "CEO_OF", ceo_of))
        facts.extend(Triple(person, "studied at", school) for school in schools)
    for company, products in PRODUCTS.items():
        facts.extend(Triple(company, "makes", product) for product in products)
    facts.extend(Triple(*owned) for owned in OWNERSHIP)
    for investor, companies in INVESTMENTS.items():
        facts.extend(Triple(investor, "invested in", company) for company in companies)
    facts.extend(Triple(city, "IN_COUNTRY", country) for city, country in CITIES.items())
    return facts


def types() -> dict[str, str]:
    kinds = dict.fromkeys(COMPANIES, "Company")
    kinds.update({industry: "Industry" for _, industry in COMPANIES.values()})
    kinds.update(dict.fromkeys(CITIES, "City"))
    kinds.update(dict.fromkeys(CITIES.values(), "Country"))
    kinds.update(dict.fromkeys(PEOPLE, "Person"))
    for _, _, _, schools in PEOPLE.values():
        kinds.update(dict.fromkeys(schools, "University"))
    for products in PRODUCTS.values():
        kinds.update(dict.fromkeys(products, "Product"))
    return kinds


WORKS, STAFF = out("works at"), back("works at")
FOUNDED, FOUNDERS = out("founded"), back("founded")
RUNS, CEO = out("CEO_OF"), back("CEO_OF")
HQ, INDUSTRY, COUNTRY = out("HEADQUARTERED_IN"), out("industry"), out("IN_COUNTRY")
OWNER = either("owner", ("parent company", OUT), ("subsidiaries", IN))
OWNS = either("owns", ("subsidiaries", OUT), ("parent company", IN))
MAKES, MAKER = out("makes"), back("makes")
BACKS, BACKERS = out("invested in"), back("invested in")
STUDIED, ALUMNI = out("studied at"), back("studied at")

ONE_HOP = [
    template(
        [WORKS],
        "Where does {x} work?",
        "Who employs {x}?",
        "Which company is {x} working for?",
        "{xs} employer?",
    ),
    template(
        [STAFF],
        "Who works at {x}?",
        "Who is employed by {x}?",
        "Name the staff of {x}",
        "Which people work for {x}?",
    ),
    template(
        [FOUNDERS],
        "Who founded {x}?",
        "Who started {x}?",
        "Who set up {x}?",
        "{x} was founded by whom?",
    ),
    template(
        [FOUNDED],
        "Which company did {x} found?",
        "What did {x} start?",
        "What company was set up by {x}?",
    ),
    template(
        [CEO],
        "Who is the CEO of {x}?",
        "Who runs {x}?",
        "Who is in charge of {x}?",
        "{xs} chief executive?",
        "Who heads {x}",
    ),
    template([RUNS], "Which company does {x} run?", "What company is {x} the boss of?"),
    template(
        [HQ],
        "Where is {x} headquartered?",
        "Which city is {x} based in?",
        "Where are the headquarters of {x}?",
        "{xs} head office is in which city?",
    ),
    template(
        [INDUSTRY],
        "What industry is {x} in?",
        "What sector does {x} operate in?",
        "What line of business is {x} in?",
        "{xs} industry?",
    ),
    template(
        [OWNER],
        "Who owns {x}?",
        "What is the parent company of {x}?",
        "{x} belongs to which company?",
    ),
    template([OWNS], "What are the subsidiaries of {x}?", "Which companies does {x} own?"),
    template(
        [MAKES], "What does {x} make?", "What products does {x} sell?", "What does {x} produce?"
    ),
    template([MAKER], "Who makes the {x}?", "Which company makes {x}?", "Who produces {x}?"),
    template(
        [BACKERS],
        "Who invested in {x}?",
        "Who backs {x}?",
        "Which investors put money into {x}?",
    ),
    template(
        [BACKS],
        "Which companies has {x} invested in?",
        "What does {x} have a stake in?",
        "Whose backer is {x}?",
    ),
    template(
        [STUDIED],
        "Where did {x} study?",
        "Which university did {x} go to?",
        "{xs} alma mater?",
        "Where did {x} go to college?",
    ),
    template(
        [ALUMNI], "Who studied at {x}?", "Which people went to {x}?", "Who are the alumni of {x}?"
    ),
    template([COUNTRY], "Which country is {x} in?", "{x} is in what country?"),
]

TWO_HOP = [
    template(
        [WORKS, HQ],
        "Which city is the employer of {x} based in?",
        "Where is the company {x} works for headquartered?",
        "In which city is {xs} company based?",
        "Where's {xs} employer's head office?",
    ),
    template(
        [WORKS, INDUSTRY],
        "What industry does {x} work in?",
        "Which sector is {xs} employer in?",
        "What line of business is the company {x} works for in?",
    ),
    template(
        [WORKS, CEO],
        "Who is {xs} boss?",
        "Who runs the company {x} works for?",
        "Who is the chief executive of {xs} employer?",
        "Who is the CEO at {xs} workplace?",
    ),
    template(
        [WORKS, FOUNDERS],
        "Who founded the company {x} works at?",
        "Who started {xs} employer?",
        "Who set up the firm that employs {x}?",
    ),
    template(
        [WORKS, OWNER],
        "Who owns the company {x} works for?",
        "What is the parent company of {xs} employer?",
    ),
    template(
        [WORKS, MAKES],
        "What does {xs} company make?",
        "What products does the employer of {x} sell?",
    ),
    template(
        [WORKS, STAFF],
        "Who are {xs} colleagues?",
        "Who works with {x}?",
        "Who else works at {xs} company?",
    ),
    template(
        [CEO, STUDIED],
        "Where did the CEO of {x} study?",
        "Which university did {xs} chief executive go to?",
        "Where did the person running {x} go to college?",
    ),
    template(
        [FOUNDERS, STUDIED],
        "Where did the founder of {x} study?",
        "Which university did the people who started {x} attend?",
        "{xs} founders' alma mater?",
    ),
    template(
        [OWNER, HQ],
        "Where is the parent company of {x} headquartered?",
        "Which city is {xs} owner based in?",
    ),
    template(
        [OWNER, CEO],
        "Who runs the company that owns {x}?",
        "Who is the CEO of {xs} parent company?",
    ),
    template(
        [MAKER, HQ],
        "Where is the maker of {x} based?",
        "In which city is the company that makes {x} headquartered?",
    ),
    template(
        [MAKER, CEO],
        "Who runs the company that makes {x}?",
        "Who is the boss of the {x} maker?",
    ),
    template(
        [MAKER, FOUNDERS],
        "Who founded the company behind {x}?",
        "Who started the firm that makes {x}?",
    ),
    template([MAKER, INDUSTRY], "What industry is the maker of {x} in?"),
    template(
        [BACKS, INDUSTRY],
        "What industries does {x} invest in?",
        "Which sectors are the companies backed by {x} in?",
    ),
    template([BACKS, HQ], "Where are the companies {x} invested in based?"),
    template(
        [BACKERS, HQ],
        "Where are the investors of {x} based?",
        "Which city are {xs} backers headquartered in?",
    ),
    template(
        [HQ, COUNTRY],
        "In which country is {x} headquartered?",
        "Which country is {x} based in?",
        "{xs} home country?",
    ),
    template(
        [OWNS, MAKES],
        "What do {xs} subsidiaries make?",
        "What products do the companies owned by {x} sell?",
    ),
    template([OWNS, HQ], "Where are {xs} subsidiaries based?"),
    template(
        [ALUMNI, WORKS],
        "Where do alumni of {x} work?",
        "Which companies employ people who studied at {x}?",
    ),
    template([ALUMNI, FOUNDED], "Which companies were founded by people who studied at {x}?"),
    template(
        [FOUNDED, HQ],
        "Where is the company {x} founded based?",
        "In which city is the firm {x} started headquartered?",
    ),
    template([FOUNDED, MAKES], "What does the company {x} founded make?"),
    template([RUNS, HQ], "Where is the company {x} runs based?"),
    template([STUDIED, ALUMNI], "Who went to the same university as {x}?"),
]

THREE_HOP = [
    template(
        [WORKS, HQ, COUNTRY],
        "In which country is {xs} employer based?",
        "Which country is the company {x} works for headquartered in?",
        "What country is {xs} workplace in?",
    ),
    template(
        [MAKER, CEO, STUDIED],
        "Where did the CEO of the company that makes {x} study?",
        "Which university did the boss of the {x} maker attend?",
    ),
    template(
        [WORKS, OWNER, HQ],
        "Where is the parent company of {xs} employer based?",
        "In which city is the owner of the company {x} works for headquartered?",
    ),
    template(
        [WORKS, CEO, STUDIED],
        "Where did {xs} boss study?",
        "Which university did the CEO of {xs} company go to?",
    ),
    template(
        [MAKER, HQ, COUNTRY],
        "In which country is the maker of {x} based?",
        "What country is the company behind {x} headquartered in?",
    ),
    template(
        [BACKS, HQ, COUNTRY],
        "In which countries are the companies {x} invests in headquartered?",
        "Which countries are the companies backed by {x} based in?",
    ),
    template([WORKS, OWNER, INDUSTRY], "What industry is the parent company of {xs} employer in?"),
    template(
        [WORKS, FOUNDERS, STUDIED],
        "Where did the founder of {xs} company study?",
        "Which university did the person who started {xs} employer attend?",
    ),
    template([OWNER, CEO, STUDIED], "Where did the CEO of {xs} parent company study?"),
    template([BACKERS, CEO, STUDIED], "Where did the heads of {xs} investors study?"),
    template(
        [ALUMNI, WORKS, HQ],
        "In which cities do the alumni of {x} work?",
        "Where are the employers of {x} graduates based?",
    ),
    template([FOUNDED, HQ, COUNTRY], "In which country is the company {x} founded based?"),
    template([MAKER, OWNER, HQ], "Where is the owner of the company that makes {x} based?"),
    template([OWNS, CEO, STUDIED], "Where did the heads of {xs} subsidiaries study?"),
    template([MAKER, STAFF, STUDIED], "Where did the people who work at the maker of {x} study?"),
]


def build() -> Domain:
    return Domain(
        name="company",
        triples=triples(),
        types=types(),
        templates=ONE_HOP + TWO_HOP + THREE_HOP,
    )
