"""Fictional travellers and their trips through real cities, countries, airlines and languages.

Relation names: verb phrases (`went on`, `flew with`, `located in`, `lives in`, `speaks`),
snake_case (`stayed_at`, `languages_spoken`), and Freebase-ish nouns (`destination`,
`country`, `currency`, `hub`). Hotels are fictional; airlines, their hubs, the countries'
languages and currencies are real.
"""

from __future__ import annotations

from domains.base import Domain, Triple, back, out, template

COUNTRIES = {
    # country: (currency, languages spoken, cities)
    "Portugal": ("Euro", ("Portuguese",), ("Lisbon", "Porto")),
    "Spain": ("Euro", ("Spanish",), ("Seville", "Madrid")),
    "Japan": ("Japanese yen", ("Japanese",), ("Kyoto", "Tokyo")),
    "Morocco": ("Moroccan dirham", ("Arabic", "Tamazight"), ("Marrakesh", "Fes", "Casablanca")),
    "Canada": ("Canadian dollar", ("English", "French"), ("Montreal", "Vancouver", "Toronto")),
    "Switzerland": (
        "Swiss franc",
        ("German", "French", "Italian", "Romansh"),
        ("Zermatt", "Zurich"),
    ),
    "Iceland": ("Icelandic króna", ("Icelandic",), ("Reykjavík",)),
    "Peru": ("Peruvian sol", ("Spanish", "Quechua", "Aymara"), ("Cusco", "Lima")),
    "Chile": ("Chilean peso", ("Spanish",), ("Santiago",)),
    "Australia": ("Australian dollar", ("English",), ("Cairns", "Sydney")),
    "Turkey": ("Turkish lira", ("Turkish",), ("Istanbul",)),
    "Finland": ("Euro", ("Finnish", "Swedish"), ("Helsinki", "Rovaniemi")),
    "Netherlands": ("Euro", ("Dutch",), ("Amsterdam",)),
    "Ireland": ("Euro", ("Irish", "English"), ("Galway", "Dublin")),
    "Vietnam": ("Vietnamese đồng", ("Vietnamese",), ("Hanoi", "Ho Chi Minh City")),
    "Hungary": ("Hungarian forint", ("Hungarian",), ("Budapest",)),
}

AIRLINE_HUBS = {
    "TAP Air Portugal": ("Lisbon",),
    "Iberia": ("Madrid",),
    "Japan Airlines": ("Tokyo",),
    "Royal Air Maroc": ("Casablanca",),
    "Air Canada": ("Toronto", "Montreal", "Vancouver"),
    "Swiss International Air Lines": ("Zurich",),
    "Icelandair": ("Reykjavík",),
    "LATAM Airlines": ("Santiago", "Lima"),
    "Qantas": ("Sydney",),
    "Turkish Airlines": ("Istanbul",),
    "Finnair": ("Helsinki",),
    "KLM": ("Amsterdam",),
    "Aer Lingus": ("Dublin",),
    "Vietnam Airlines": ("Hanoi", "Ho Chi Minh City"),
}

HOTELS = {
    "Ryokan Hanamizuki": "Kyoto",
    "Shinjuku Sky Tower Hotel": "Tokyo",
    "Riad Dar Zitoun": "Marrakesh",
    "Riad Bab Boujloud": "Fes",
    "Harbour Light Guesthouse": "Reykjavík",
    "Hostal Inti Raymi": "Cusco",
    "The Claddagh Inn": "Galway",
    "Reef & Rainforest Lodge": "Cairns",
    "Bosphorus Garden Suites": "Istanbul",
    "Old Quarter Boutique Hotel": "Hanoi",
    "Saigon River Lofts": "Ho Chi Minh City",
    "Danube Pearl Hotel": "Budapest",
    "Hotel Kallio, Sauna & Spa": "Helsinki",
    "Aurora Glass Igloos": "Rovaniemi",
    "Canal House Inn": "Amsterdam",
    "Hôtel du Vieux-Port": "Montreal",
    "Maple & Moss B&B": "Vancouver",
    "Casa da Saudade": "Lisbon",
    "Hotel Alcázar Garden": "Seville",
    "Chalet Edelweiss": "Zermatt",
    "Miradouro Guesthouse": "Porto",
    "Harbourside Backpackers": "Sydney",
    "The Queen West Loft": "Toronto",
}

TRAVELLERS = {
    # traveller: (lives in, speaks)
    "Hannah Berg": ("Zurich", ("German", "English", "French")),
    "Lucas Moreau": ("Montreal", ("French", "English")),
    "Aiko Suzuki": ("Tokyo", ("Japanese", "English")),
    "Sinéad Walsh": ("Galway", ("Irish", "English")),
    "Björn Sigurðsson": ("Reykjavík", ("Icelandic", "English", "Danish")),
    "Fatima Zahra Benali": ("Fes", ("Arabic", "French", "Tamazight")),
    "Tom Harper": ("Sydney", ("English",)),
    "Jess Harper": ("Sydney", ("English", "Spanish")),
    "Nguyen Thi Lan": ("Hanoi", ("Vietnamese", "English")),
    "Emre Yılmaz": ("Istanbul", ("Turkish", "German")),
    "Sofía Delgado": ("Seville", ("Spanish", "English")),
    "Eero Virtanen": ("Helsinki", ("Finnish", "Swedish", "English")),
    "Zsófia Kovács": ("Budapest", ("Hungarian", "German")),
    "Rui Costa": ("Porto", ("Portuguese", "Spanish")),
    "Mateo Quispe": ("Lima", ("Spanish", "Quechua")),
}

TRIPS = {
    # trip: (travellers, destinations, airlines, hotels)
    "Cherry Blossom Week 2024": (
        ("Hannah Berg",),
        ("Kyoto", "Tokyo"),
        ("Swiss International Air Lines", "Japan Airlines"),
        ("Ryokan Hanamizuki", "Shinjuku Sky Tower Hotel"),
    ),
    "Atlas Mountains Trek": (
        ("Lucas Moreau",),
        ("Marrakesh",),
        ("Royal Air Maroc",),
        ("Riad Dar Zitoun",),
    ),
    "Northern Lights Escape": (
        ("Aiko Suzuki",),
        ("Reykjavík",),
        ("Icelandair",),
        ("Harbour Light Guesthouse",),
    ),
    "Andean Adventure 2022": (
        ("Hannah Berg",),
        ("Cusco", "Lima"),
        ("LATAM Airlines",),
        ("Hostal Inti Raymi",),
    ),
    "Celtic Coast Road Trip": (
        ("Emre Yılmaz",),
        ("Galway", "Dublin"),
        ("Turkish Airlines", "Aer Lingus"),
        ("The Claddagh Inn",),
    ),
    "Great Barrier Reef Dive Trip": (
        ("Eero Virtanen",),
        ("Cairns",),
        ("Finnair", "Qantas"),
        ("Reef & Rainforest Lodge",),
    ),
    "Anatolian Odyssey": (
        ("Sofía Delgado",),
        ("Istanbul",),
        ("Iberia", "Turkish Airlines"),
        ("Bosphorus Garden Suites",),
    ),
    "Mekong Delta Journey": (
        ("Zsófia Kovács",),
        ("Ho Chi Minh City", "Hanoi"),
        ("Vietnam Airlines",),
        ("Saigon River Lofts", "Old Quarter Boutique Hotel"),
    ),
    "Danube by Night": (
        ("Aiko Suzuki",),
        ("Budapest",),
        ("Turkish Airlines",),
        ("Danube Pearl Hotel",),
    ),
    "Saunas, Lakes & Snow": (
        ("Tom Harper", "Jess Harper"),
        ("Helsinki", "Rovaniemi"),
        ("Qantas", "Finnair"),
        ("Hotel Kallio, Sauna & Spa", "Aurora Glass Igloos"),
    ),
    "Tulip Season Getaway": (
        ("Nguyen Thi Lan",),
        ("Amsterdam",),
        ("Vietnam Airlines", "KLM"),
        ("Canal House Inn",),
    ),
    "Maple Leaf Autumn Tour": (
        ("Sinéad Walsh",),
        ("Montreal", "Vancouver"),
        ("Aer Lingus", "Air Canada"),
        ("Hôtel du Vieux-Port", "Maple & Moss B&B"),
    ),
    "Lisbon Long Weekend": (
        ("Björn Sigurðsson",),
        ("Lisbon",),
        ("Icelandair", "TAP Air Portugal"),
        ("Casa da Saudade",),
    ),
    "Tapas & Flamenco Tour": (("Rui Costa",), ("Seville",), (), ("Hotel Alcázar Garden",)),
    "Alpine Rail Tour": (
        ("Fatima Zahra Benali",),
        ("Zermatt", "Zurich"),
        ("Royal Air Maroc", "Swiss International Air Lines"),
        ("Chalet Edelweiss",),
    ),
    "Port Wine & Azulejos": (
        ("Emre Yılmaz",),
        ("Porto", "Lisbon"),
        ("TAP Air Portugal",),
        ("Miradouro Guesthouse", "Casa da Saudade"),
    ),
    "Medina & Sahara Honeymoon": (
        ("Sofía Delgado", "Rui Costa"),
        ("Marrakesh", "Fes"),
        ("Royal Air Maroc",),
        ("Riad Dar Zitoun", "Riad Bab Boujloud"),
    ),
    "Temples of Kyoto Retreat": (
        ("Nguyen Thi Lan",),
        ("Kyoto",),
        ("Vietnam Airlines", "Japan Airlines"),
        ("Ryokan Hanamizuki",),
    ),
    "Pacific Northwest Ramble": (
        ("Zsófia Kovács",),
        ("Vancouver",),
        ("KLM", "Air Canada"),
        ("Maple & Moss B&B",),
    ),
    "Gap Year 2019": (
        ("Björn Sigurðsson",),
        ("Sydney", "Cairns", "Hanoi"),
        ("Qantas", "Vietnam Airlines"),
        ("Harbourside Backpackers", "Reef & Rainforest Lodge", "Old Quarter Boutique Hotel"),
    ),
    "Film Festival Week 2023": (
        ("Mateo Quispe",),
        ("Toronto",),
        ("LATAM Airlines", "Air Canada"),
        ("The Queen West Loft",),
    ),
    "Inca Trail Trek": (
        ("Lucas Moreau",),
        ("Cusco",),
        ("Air Canada", "LATAM Airlines"),
        ("Hostal Inti Raymi",),
    ),
}


def triples() -> list[Triple]:
    facts: list[Triple] = []
    for trip, (travellers, destinations, airlines, hotels) in TRIPS.items():
        facts.extend(Triple(traveller, "went on", trip) for traveller in travellers)
        facts.extend(Triple(trip, "destination", city) for city in destinations)
        facts.extend(Triple(trip, "flew with", airline) for airline in airlines)
        facts.extend(Triple(trip, "stayed_at", hotel) for hotel in hotels)
    for traveller, (home, languages) in TRAVELLERS.items():
        facts.append(Triple(traveller, "lives in", home))
        facts.extend(Triple(traveller, "speaks", language) for language in languages)
    facts.extend(Triple(hotel, "located in", city) for hotel, city in HOTELS.items())
    for airline, hubs in AIRLINE_HUBS.items():
        facts.extend(Triple(airline, "hub", city) for city in hubs)
    for country, (currency, languages, cities) in COUNTRIES.items():
        facts.extend(Triple(city, "country", country) for city in cities)
        facts.append(Triple(country, "currency", currency))
        facts.extend(Triple(country, "languages_spoken", language) for language in languages)
    return facts


def types() -> dict[str, str]:
    kinds = dict.fromkeys(COUNTRIES, "Country")
    for currency, languages, cities in COUNTRIES.values():
        kinds[currency] = "Currency"
        kinds.update(dict.fromkeys(languages, "Language"))
        kinds.update(dict.fromkeys(cities, "City"))
    kinds.update(dict.fromkeys(AIRLINE_HUBS, "Airline"))
    kinds.update(dict.fromkeys(HOTELS, "Hotel"))
    kinds.update(dict.fromkeys(TRIPS, "Trip"))
    for traveller, (_, languages) in TRAVELLERS.items():
        kinds[traveller] = "Person"
        kinds.update(dict.fromkeys(languages, "Language"))
    return kinds


WENT, TRAVELLERS_ON = out("went on"), back("went on")
DESTINATION, TRIPS_TO = out("destination"), back("destination")
AIRLINE, TRIPS_WITH = out("flew with"), back("flew with")
HOTEL, GUEST_TRIPS = out("stayed_at"), back("stayed_at")
HOTEL_CITY, COUNTRY = out("located in"), out("country")
CURRENCY, LANGUAGES = out("currency"), out("languages_spoken")
LIVES, SPEAKS, HUB = out("lives in"), out("speaks"), out("hub")

ONE_HOP = [
    template([WENT], "Which trips did {x} go on?", "What trips has {x} taken?", "{xs} trips?"),
    template(
        [TRAVELLERS_ON],
        "Who went on {x}?",
        "Who travelled on the {x} trip?",
        "Which travellers took part in {x}?",
    ),
    template(
        [DESTINATION],
        "Which cities did the {x} trip visit?",
        "What was the destination of {x}?",
        "Where did the {x} trip go?",
    ),
    template(
        [AIRLINE],
        "Which airline was used for {x}?",
        "Who did the {x} trip fly with?",
        "What airline flew the {x} travellers?",
    ),
    template([HOTEL], "Where did they stay on {x}?", "Which hotel was booked for {x}?"),
    template(
        [HOTEL_CITY],
        "Which city is {x} in?",
        "Where is {x} located?",
        "In what city would I find {x}?",
    ),
    template([COUNTRY], "Which country is {x} in?", "{x} is in what country?"),
    template(
        [CURRENCY],
        "What currency does {x} use?",
        "What money do they use in {x}?",
        "{xs} currency?",
    ),
    template(
        [LANGUAGES],
        "What languages are spoken in {x}?",
        "What do people speak in {x}?",
        "Which languages do they speak in {x}",
    ),
    template(
        [LIVES], "Where does {x} live?", "Which city is {x} based in?", "What's {xs} home town?"
    ),
    template([SPEAKS], "What languages does {x} speak?", "Which languages can {x} speak?"),
    template(
        [HUB],
        "Which city is the hub of {x}?",
        "Where does {x} have its hub?",
        "{xs} main hub city?",
    ),
    template([back("lives in")], "Who lives in {x}?"),
    template([TRIPS_TO], "Which trips went to {x}?"),
]

TWO_HOP = [
    template(
        [WENT, DESTINATION],
        "Which cities has {x} visited?",
        "Where has {x} travelled to?",
        "What places did {x} go to?",
        "Which cities did {xs} trips take them to?",
    ),
    template(
        [WENT, AIRLINE],
        "Which airlines has {x} flown with?",
        "What airline did {x} fly on their trips?",
        "Which carriers has {x} used?",
    ),
    template(
        [WENT, HOTEL],
        "Which hotels has {x} stayed at?",
        "Where did {x} stay on holiday?",
        "What hotels did {x} book?",
    ),
    template(
        [DESTINATION, COUNTRY],
        "Which country did {x} go to?",
        "In which countries was the {x} trip?",
        "What country was {x} in?",
    ),
    template(
        [LIVES, COUNTRY],
        "Which country does {x} live in?",
        "What country is {x} living in?",
        "{x} lives in which country?",
    ),
    template(
        [HOTEL, HOTEL_CITY],
        "Which cities were the hotels on {x} in?",
        "In which city did the {x} travellers stay?",
    ),
    template(
        [AIRLINE, HUB],
        "Where is the hub of the airline {x} flew with?",
        "Which city does the airline of the {x} trip fly out of?",
    ),
    template(
        [TRAVELLERS_ON, SPEAKS],
        "Which languages does the person who went on {x} speak?",
        "What languages do the {x} travellers speak?",
    ),
    template([TRAVELLERS_ON, LIVES], "Where do the people who went on {x} live?"),
    template(
        [COUNTRY, CURRENCY],
        "What currency do they use in {x}?",
        "What money would I need in {x}?",
        "Which currency is used in {x}?",
        "What do you pay with in {x}?",
    ),
    template(
        [COUNTRY, LANGUAGES],
        "What language do people speak in {x}?",
        "Which languages are spoken in {xs} country?",
        "What do the locals speak in {x}",
    ),
    template(
        [HOTEL_CITY, COUNTRY], "Which country is {x} in?", "In which country is the hotel {x}?"
    ),
    template(
        [TRIPS_TO, TRAVELLERS_ON],
        "Who has been to {x}?",
        "Who travelled to {x}?",
        "Which travellers visited {x}?",
    ),
    template([TRIPS_WITH, TRAVELLERS_ON], "Who has flown with {x}?", "Which travellers used {x}?"),
    template([GUEST_TRIPS, TRAVELLERS_ON], "Who stayed at {x}?", "Which guests has {x} had?"),
    template([HUB, COUNTRY], "Which country is {x} from?", "In which country is {xs} hub?"),
]

THREE_HOP = [
    template(
        [WENT, DESTINATION, COUNTRY],
        "Which countries has {x} been to?",
        "What countries did {x} visit?",
        "In which countries has {x} travelled?",
    ),
    template(
        [LIVES, COUNTRY, CURRENCY],
        "What money is used where {x} lives?",
        "What currency does {x} pay with at home?",
        "Which currency is used in the country {x} lives in?",
    ),
    template([LIVES, COUNTRY, LANGUAGES], "What languages are spoken where {x} lives?"),
    template(
        [DESTINATION, COUNTRY, CURRENCY],
        "What currency did they need on {x}?",
        "Which money was used on the {x} trip?",
        "What currency is used where {x} went?",
    ),
    template(
        [DESTINATION, COUNTRY, LANGUAGES],
        "What language is spoken where {x} went?",
        "Which languages would the {x} travellers hear?",
    ),
    template(
        [HOTEL_CITY, COUNTRY, CURRENCY],
        "What currency would I pay in at {x}?",
        "What money do I need for a stay at {x}?",
    ),
    template([HOTEL_CITY, COUNTRY, LANGUAGES], "What language do the locals speak around {x}?"),
    template(
        [WENT, AIRLINE, HUB],
        "Where are the hubs of the airlines {x} flew with?",
        "Which cities do {xs} airlines fly out of?",
    ),
    template(
        [WENT, HOTEL, HOTEL_CITY],
        "In which cities were the hotels {x} stayed at?",
        "Where were the hotels {x} stayed in?",
    ),
    template([AIRLINE, HUB, COUNTRY], "Which country is the airline {x} flew with from?"),
    template(
        [back("country"), TRIPS_TO, TRAVELLERS_ON],
        "Who has travelled to {x}?",
        "Which travellers have been to {x}?",
    ),
    template([TRAVELLERS_ON, LIVES, COUNTRY], "Which country do the {x} travellers live in?"),
    template([GUEST_TRIPS, TRAVELLERS_ON, SPEAKS], "What languages do the guests of {x} speak?"),
]


def build() -> Domain:
    return Domain(
        name="travel",
        triples=triples(),
        types=types(),
        templates=ONE_HOP + TWO_HOP + THREE_HOP,
    )
