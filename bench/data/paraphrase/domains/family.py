"""Five fictional families over three generations (Ireland, Portugal, Poland, Lebanon, India).

Relation names in the Freebase / snake_case style of people KBs: `spouse`, `children`,
`parents`, `sibling`, `gender`, `nationality`, `religion`, `profession`, `place_of_birth`,
`place_of_death`, `cause_of_death`, and `located_in` from a city to its country. As in a
real KB, not every fact is there, nor both directions of every one: a parent link is
stored as `children`, as `parents`, or both; a couple's `spouse` once or twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from domains.base import IN, OUT, Domain, Triple, ask, either, out, template


@dataclass(frozen=True)
class Person:
    name: str
    gender: str
    born: str
    nationality: str
    religion: str | None
    profession: str
    died: tuple[str, str] | None = None  # (city, cause)


M, F = "Male", "Female"
PEOPLE = (
    Person("Patrick O'Sullivan", M, "Cork", "Ireland", "Catholicism", "Fisherman",
           ("Cork", "Heart attack")),
    Person("Bridget O'Sullivan", F, "Galway", "Ireland", "Catholicism", "Schoolteacher",
           ("Boston", "Pneumonia")),
    Person("Declan O'Sullivan", M, "Cork", "Ireland", "Catholicism", "Carpenter"),
    Person("Siobhán Kelleher", F, "Cork", "Ireland", "Catholicism", "Nurse"),
    Person("Michael Kelleher", M, "Limerick", "Ireland", "Catholicism", "Bus driver",
           ("Dublin", "Car accident")),
    Person("Aoife O'Sullivan", F, "Boston", "United States", "Catholicism", "Lawyer"),
    Person("Ronan O'Sullivan", M, "Washington, D.C.", "United States", None,
           "Software engineer"),
    Person("Niamh Kelleher", F, "Dublin", "Ireland", "Catholicism", "Veterinarian"),
    Person("António Fernandes", M, "Porto", "Portugal", "Catholicism", "Tailor",
           ("Lisbon", "Stroke")),
    Person("Rosa Fernandes", F, "Braga", "Portugal", "Catholicism", "Seamstress",
           ("Porto", "Breast cancer")),
    Person("Maria Fernandes", F, "Porto", "Portugal", "Catholicism", "Pharmacist"),
    Person("João Fernandes", M, "Porto", "Portugal", "Catholicism", "Architect"),
    Person("Inês Carvalho", F, "Coimbra", "Portugal", None, "Journalist"),
    Person("Tiago Fernandes", M, "Lisbon", "Portugal", None, "Chef"),
    Person("Beatriz Fernandes", F, "Lisbon", "Portugal", "Catholicism", "Physician"),
    Person("Stanisław Nowak", M, "Kraków", "Poland", "Catholicism", "Coal miner",
           ("Kraków", "Tuberculosis")),
    Person("Halina Nowak", F, "Gdańsk", "Poland", "Catholicism", "Baker",
           ("Chicago", "Kidney failure")),
    Person("Piotr Nowak", M, "Kraków", "Poland", "Catholicism", "Mechanical engineer"),
    Person("Ewa Nowak", F, "Wrocław", "Poland", "Catholicism", "Accountant"),
    Person("Zofia Lindqvist", F, "Kraków", "Poland", "Lutheranism", "Dentist"),
    Person("Erik Lindqvist", M, "Gothenburg", "Sweden", "Lutheranism", "Sea captain",
           ("Stockholm", "Heart attack")),
    Person("Marek Nowak", M, "Chicago", "United States", "Catholicism", "Firefighter"),
    Person("Anna Nowak", F, "Chicago", "United States", None, "Photographer"),
    Person("Elsa Lindqvist", F, "Gothenburg", "Sweden", "Lutheranism", "Violinist"),
    Person("Nils Lindqvist", M, "Stockholm", "Sweden", None, "Marine biologist"),
    Person("Elias Haddad", M, "Beirut", "Lebanon", "Maronite Christianity", "Merchant",
           ("Montreal", "Lung cancer")),
    Person("Layla Haddad", F, "Zahlé", "Lebanon", "Maronite Christianity", "Homemaker",
           ("Montreal", "Diabetes")),
    Person("Karim Haddad", M, "Beirut", "Canada", "Maronite Christianity", "Dentist"),
    Person("Yasmin Haddad", F, "Cairo", "Egypt", "Islam", "Civil engineer"),
    Person("Nadia Roy", F, "Montreal", "Canada", "Maronite Christianity", "Translator"),
    Person("Julien Roy", M, "St. John's", "Canada", "Catholicism", "Police officer"),
    Person("Omar Haddad", M, "Montreal", "Canada", "Islam", "Accountant"),
    Person("Rania Haddad", F, "Montreal", "Canada", None, "Airline pilot"),
    Person("Camille Roy", F, "Quebec City", "Canada", "Catholicism", "Nurse"),
    Person("Rajesh Mehta", M, "Ahmedabad", "India", "Hinduism", "Textile merchant",
           ("Mumbai", "Heart failure")),
    Person("Kamala Mehta", F, "Surat", "India", "Hinduism", "Schoolteacher",
           ("London", "Stroke")),
    Person("Vikram Mehta", M, "Mumbai", "United Kingdom", "Hinduism", "Physician"),
    Person("Priya Mehta", F, "Pune", "United Kingdom", "Hinduism", "Architect"),
    Person("Anjali Shah", F, "Mumbai", "India", "Jainism", "Lawyer"),
    Person("Rohan Shah", M, "Nairobi", "United Kingdom", "Jainism", "Pharmacist"),
    Person("Arjun Mehta", M, "London", "United Kingdom", "Hinduism", "Barrister"),
    Person("Kavya Mehta", F, "London", "United Kingdom", None, "Data scientist"),
    Person("Dev Shah", M, "Leicester", "United Kingdom", "Jainism", "Optometrist"),
)  # fmt: skip

# (husband, wife): their children
FAMILIES = {
    ("Patrick O'Sullivan", "Bridget O'Sullivan"): ("Declan O'Sullivan", "Siobhán Kelleher"),
    ("Declan O'Sullivan", "Maria Fernandes"): ("Aoife O'Sullivan", "Ronan O'Sullivan"),
    ("Michael Kelleher", "Siobhán Kelleher"): ("Niamh Kelleher",),
    ("António Fernandes", "Rosa Fernandes"): ("Maria Fernandes", "João Fernandes"),
    ("João Fernandes", "Inês Carvalho"): ("Tiago Fernandes", "Beatriz Fernandes"),
    ("Stanisław Nowak", "Halina Nowak"): ("Piotr Nowak", "Zofia Lindqvist"),
    ("Piotr Nowak", "Ewa Nowak"): ("Marek Nowak", "Anna Nowak"),
    ("Erik Lindqvist", "Zofia Lindqvist"): ("Elsa Lindqvist", "Nils Lindqvist"),
    ("Elias Haddad", "Layla Haddad"): ("Karim Haddad", "Nadia Roy"),
    ("Karim Haddad", "Yasmin Haddad"): ("Omar Haddad", "Rania Haddad"),
    ("Julien Roy", "Nadia Roy"): ("Camille Roy",),
    ("Rajesh Mehta", "Kamala Mehta"): ("Vikram Mehta", "Anjali Shah"),
    ("Vikram Mehta", "Priya Mehta"): ("Arjun Mehta", "Kavya Mehta"),
    ("Rohan Shah", "Anjali Shah"): ("Dev Shah",),
}

CITIES = {
    "Ireland": ("Cork", "Galway", "Limerick", "Dublin"),
    "United States": ("Boston", "Washington, D.C.", "Chicago"),
    "Portugal": ("Porto", "Braga", "Lisbon", "Coimbra"),
    "Poland": ("Kraków", "Gdańsk", "Wrocław"),
    "Sweden": ("Gothenburg", "Stockholm"),
    "Lebanon": ("Beirut", "Zahlé"),
    "Canada": ("Montreal", "St. John's", "Quebec City"),
    "Egypt": ("Cairo",),
    "India": ("Ahmedabad", "Surat", "Mumbai", "Pune"),
    "United Kingdom": ("London", "Leicester"),
    "Kenya": ("Nairobi",),
}

# How often a fact a real people-KB often lacks is stored. A parent link is `children`
# only (55%), `parents` only (30%) or both (15%).
KEPT = {
    "gender": 0.6,
    "nationality": 0.8,
    "religion": 0.9,
    "profession": 0.75,
    "sibling": 0.5,
}


def triples(rng: random.Random) -> list[Triple]:
    """The stored facts: every birth and death, the rest as a patchy KB has them."""
    facts: list[Triple] = []
    for person in PEOPLE:
        facts.append(Triple(person.name, "place_of_birth", person.born))
        for relation, value in (
            ("gender", person.gender),
            ("nationality", person.nationality),
            ("religion", person.religion),
            ("profession", person.profession),
        ):
            if value is not None and rng.random() < KEPT.get(relation, 1.0):
                facts.append(Triple(person.name, relation, value))
        if person.died:
            facts.append(Triple(person.name, "place_of_death", person.died[0]))
            facts.append(Triple(person.name, "cause_of_death", person.died[1]))
    for (husband, wife), children in FAMILIES.items():
        first, second = (husband, wife) if rng.random() < 0.5 else (wife, husband)
        facts.append(Triple(first, "spouse", second))
        if rng.random() < 0.3:
            facts.append(Triple(second, "spouse", first))
        for parent in (husband, wife):
            for child in children:
                draw = rng.random()
                if draw < 0.55 or draw >= 0.85:
                    facts.append(Triple(parent, "children", child))
                if draw >= 0.55:
                    facts.append(Triple(child, "parents", parent))
        for i, one in enumerate(children):
            for other in children[i + 1 :]:
                if rng.random() < KEPT["sibling"]:
                    facts.append(Triple(one, "sibling", other))
    for country, cities in CITIES.items():
        facts.extend(Triple(city, "located_in", country) for city in cities)
    return facts


def types() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for person in PEOPLE:
        kinds[person.name] = "Person"
        kinds[person.born] = "City"
        kinds[person.nationality] = "Country"
        kinds[person.profession] = "Profession"
        kinds[person.gender] = "Gender"
        if person.religion:
            kinds[person.religion] = "Religion"
        if person.died:
            kinds[person.died[0]] = "City"
            kinds[person.died[1]] = "Cause"
    for country, cities in CITIES.items():
        kinds[country] = "Country"
        kinds.update(dict.fromkeys(cities, "City"))
    return kinds


SPOUSE = either("spouse", ("spouse", OUT), ("spouse", IN))
CHILD = either("child", ("children", OUT), ("parents", IN))
PARENT = either("parent", ("parents", OUT), ("children", IN))
SIBLING = either("sibling", ("sibling", OUT), ("sibling", IN))
RELIGION, NATIONALITY = out("religion"), out("nationality")
BORN, DIED_IN, DIED_OF = out("place_of_birth"), out("place_of_death"), out("cause_of_death")
JOB, GENDER, COUNTRY = out("profession"), out("gender"), out("located_in")

ONE_HOP = [
    template(
        [SPOUSE],
        "Who is {x} married to?",
        "Who is the other half of {x}?",
        ask("Who is {xs} wife?", female=0),
        ask("Who is {xs} husband?", male=0),
        "{xs} spouse?",
        "Who did {x} marry?",
    ),
    template(
        [CHILD],
        "Who are {xs} children?",
        "Who are the kids of {x}?",
        ask("Who is {xs} son?", male=0),
        ask("Who is {xs} daughter?", female=0),
        "Name {xs} offspring",
        "{x} is the parent of whom?",
    ),
    template(
        [PARENT],
        "Who are {xs} parents?",
        "Who is {x} the child of?",
        ask("Who is {xs} mother?", female=0),
        ask("Who is {xs} father?", male=0),
        "{xs} mum and dad?",
        "Who raised {x}?",
    ),
    template(
        [SIBLING],
        "Who is {xs} sibling?",
        ask("Who is {xs} brother?", male=0),
        ask("Who is {xs} sister?", female=0),
        "Does {x} have a brother or sister?",
    ),
    template(
        [RELIGION],
        "What religion is {x}?",
        "What faith does {x} follow?",
        "{xs} religion?",
        "Which religion does {x} practise?",
    ),
    template(
        [NATIONALITY],
        "What nationality is {x}?",
        "Which country is {x} a citizen of?",
        "the nation of {x}?",
        "{x} holds which citizenship?",
    ),
    template(
        [BORN],
        "Where was {x} born?",
        "{xs} birthplace?",
        "Which city does {x} come from?",
        "In what city was {x} born",
    ),
    template(
        [DIED_IN], "Where did {x} die?", "In which city did {x} pass away?", "{xs} place of death?"
    ),
    template(
        [DIED_OF],
        "What did {x} die of?",
        "What killed {x}?",
        "{xs} cause of death?",
        "How did {x} die?",
    ),
    template(
        [JOB],
        "What does {x} do for a living?",
        "What is {xs} job?",
        "{xs} occupation?",
        "What line of work is {x} in?",
    ),
    template([GENDER], "Is {x} a man or a woman?", "What is {xs} gender?"),
]

TWO_HOP = [
    template(
        [SPOUSE, RELIGION],
        ask("What religion is {xs} wife?", female=0),
        ask("What faith does {xs} husband follow?", male=0),
        "What religion does the person {x} married follow?",
        "{xs} spouse's religion?",
        "Which faith does {xs} partner practise?",
    ),
    template(
        [SPOUSE, NATIONALITY],
        "What nationality is {xs} spouse?",
        "Which country is the other half of {x} a citizen of?",
        ask("What nationality is the woman {x} married?", female=0),
        ask("{xs} husband's nationality?", male=0),
    ),
    template(
        [SPOUSE, BORN],
        "Where was {xs} spouse born?",
        ask("Where does {xs} wife come from?", female=0),
        ask("{xs} husband's birthplace?", male=0),
        "In which city was the person married to {x} born?",
    ),
    template(
        [SPOUSE, JOB],
        "What does {xs} spouse do for a living?",
        ask("What is the job of {xs} husband?", male=0),
        ask("{xs} wife's profession?", female=0),
        "What does the person {x} is married to work as?",
    ),
    template(
        [SPOUSE, DIED_OF],
        "What did {xs} spouse die of?",
        ask("What killed {xs} husband?", male=0),
        ask("How did {xs} wife die?", female=0),
    ),
    template(
        [SPOUSE, DIED_IN],
        "Where did {xs} spouse die?",
        ask("In which city did {xs} late husband pass away?", male=0),
        ask("{xs} wife's place of death?", female=0),
    ),
    template(
        [CHILD, RELIGION],
        "What faith do {xs} kids follow?",
        "{xs} offspring's faith?",
        "What religion are {xs} children?",
        ask("What religion is {xs} son?", male=0),
        ask("Which faith does {xs} daughter practise?", female=0),
    ),
    template(
        [CHILD, NATIONALITY],
        "What nationality are {xs} children?",
        ask("the nation of {xs} son?", male=0),
        ask("Which country is {xs} daughter a citizen of?", female=0),
        "What citizenship do the kids of {x} hold?",
    ),
    template(
        [CHILD, BORN],
        "Where were {xs} children born?",
        "In which cities were the kids of {x} born?",
        ask("Where was {xs} son born?", male=0),
        ask("{xs} daughter's birthplace?", female=0),
    ),
    template(
        [CHILD, JOB],
        "What do {xs} kids do for a living?",
        "What are the professions of {xs} children?",
        ask("What does {xs} son do?", male=0),
        ask("{xs} daughter's job?", female=0),
    ),
    template(
        [CHILD, SPOUSE],
        "Who did {xs} children marry?",
        ask("Who is {xs} son-in-law?", male=1),
        ask("Who is {xs} daughter-in-law?", female=1),
        "Who are {xs} kids married to?",
    ),
    template(
        [CHILD, CHILD],
        "Who are {xs} grandchildren?",
        "Who are the grandkids of {x}?",
        ask("Who is {xs} grandson?", male=1),
        ask("Who is {xs} granddaughter?", female=1),
        "Whose grandparent is {x}?",
    ),
    template(
        [PARENT, BORN],
        "Where were {xs} parents born?",
        ask("In which city was {xs} mother born?", female=0),
        ask("Where was the father of {x} born?", male=0),
        "{xs} parents' birthplaces?",
    ),
    template(
        [PARENT, DIED_OF],
        "What did {xs} parents die of?",
        ask("What did {xs} mum die of?", female=0),
        ask("What killed {xs} father?", male=0),
        ask("How did {xs} dad die?", male=0),
    ),
    template(
        [PARENT, DIED_IN],
        "Where did {xs} parents die?",
        ask("Where did {xs} mother pass away?", female=0),
        ask("In which city did {xs} father die?", male=0),
    ),
    template(
        [PARENT, RELIGION],
        "What religion are {xs} parents?",
        ask("What faith does {xs} mother follow?", female=0),
        ask("{xs} father's religion?", male=0),
    ),
    template(
        [PARENT, JOB],
        "What do {xs} parents do for a living?",
        ask("What was {xs} father's job?", male=0),
        ask("{xs} mum's occupation?", female=0),
        "What work do the parents of {x} do?",
    ),
    template(
        [PARENT, NATIONALITY],
        "Which country are {xs} parents citizens of?",
        ask("What nationality is {xs} mother?", female=0),
        ask("What nationality is {xs} father?", male=0),
    ),
    template(
        [PARENT, PARENT],
        "Who are {xs} grandparents?",
        ask("Who is {xs} grandmother?", female=1),
        ask("Who is {xs} grandfather?", male=1),
        "Who are the parents of {xs} parents?",
    ),
    template(
        [SIBLING, JOB],
        "What does {xs} sibling do for a living?",
        ask("What is {xs} brother's job?", male=0),
        ask("{xs} sister's profession?", female=0),
    ),
    template(
        [SIBLING, SPOUSE],
        "Who is {xs} sibling married to?",
        ask("Who is {xs} brother-in-law?", male=1),
        ask("Who is {xs} sister-in-law?", female=1),
    ),
    template(
        [SPOUSE, PARENT],
        "Who are {xs} in-laws?",
        ask("Who is {xs} mother-in-law?", female=1),
        ask("Who is {xs} father-in-law?", male=1),
        "Who are the parents of {xs} spouse?",
    ),
    template(
        [BORN, COUNTRY],
        "In which country was {x} born?",
        "What country does {x} come from originally?",
        "{xs} country of birth?",
    ),
    template(
        [DIED_IN, COUNTRY], "In which country did {x} die?", "What country did {x} pass away in?"
    ),
]

THREE_HOP = [
    template(
        [PARENT, BORN, COUNTRY],
        ask("In which country was the father of {x} born?", male=0),
        ask("In what country was {xs} mother born?", female=0),
        "Which country were {xs} parents born in?",
        "{xs} parents' country of birth?",
    ),
    template(
        [CHILD, BORN, COUNTRY],
        "In which countries were {xs} children born?",
        ask("Which country was {xs} son born in?", male=0),
        ask("What country was {xs} daughter born in?", female=0),
    ),
    template(
        [SPOUSE, BORN, COUNTRY],
        "Which country was {xs} spouse born in?",
        ask("What country does {xs} wife come from?", female=0),
        ask("{xs} husband was born in which country?", male=0),
        "In which country was the other half of {x} born?",
    ),
    template(
        [SPOUSE, PARENT, DIED_OF],
        ask("What did {xs} father-in-law die of?", male=1),
        ask("What killed {xs} mother-in-law?", female=1),
        "What did {xs} in-laws die of?",
    ),
    template(
        [SPOUSE, PARENT, JOB],
        ask("What did {xs} father-in-law do for a living?", male=1),
        "What are the jobs of {xs} spouse's parents?",
        ask("{xs} mother-in-law's profession?", female=1),
    ),
    template(
        [CHILD, CHILD, BORN],
        "Where were {xs} grandchildren born?",
        ask("Where was {xs} granddaughter born?", female=1),
        ask("In which city was {xs} grandson born?", male=1),
    ),
    template(
        [CHILD, CHILD, JOB],
        "What do {xs} grandchildren do for a living?",
        ask("What does {xs} grandson do?", male=1),
        ask("{xs} granddaughter's job?", female=1),
    ),
    template(
        [CHILD, CHILD, RELIGION],
        "What faith are {xs} grandkids brought up in?",
        "What religion do the grandchildren of {x} follow?",
    ),
    template(
        [PARENT, PARENT, DIED_OF],
        "What did {xs} grandparents die of?",
        ask("What killed {xs} grandfather?", male=1),
        ask("How did {xs} grandmother die?", female=1),
    ),
    template(
        [PARENT, PARENT, BORN],
        "Where were {xs} grandparents born?",
        ask("Where was {xs} grandfather born?", male=1),
        ask("{xs} grandmother's birthplace?", female=1),
    ),
    template(
        [PARENT, DIED_IN, COUNTRY],
        "In which country did {xs} parents die?",
        ask("What country did {xs} mother die in?", female=0),
        ask("In what country did {xs} dad pass away?", male=0),
    ),
    template(
        [CHILD, SPOUSE, BORN],
        ask("Where was {xs} son-in-law born?", male=1),
        ask("Where does {xs} daughter-in-law come from?", female=1),
        "Where were the people {xs} children married born?",
    ),
    template(
        [CHILD, SPOUSE, RELIGION],
        "What religion are the spouses of {xs} children?",
        ask("What faith does {xs} daughter-in-law follow?", female=1),
        ask("{xs} son-in-law's religion?", male=1),
    ),
]


def build(rng: random.Random) -> Domain:
    return Domain(
        name="family",
        triples=triples(rng),
        types=types(),
        templates=ONE_HOP + TWO_HOP + THREE_HOP,
        genders={person.name: person.gender for person in PEOPLE},
    )
