"""Hand-written word lists the entity extractor reasons with.

Kept apart from the extractor so the rules read as rules and the lists can grow
without touching code.  Everything here was written for this project from
general knowledge of English news style; nothing is harvested from a corpus.
"""

from __future__ import annotations

from typing import Final

# Words that can open a sentence or headline capitalised but are not names.
COMMON_WORDS: Final[frozenset[str]] = frozenset(
    """a about above according across after afterwards again against ahead all almost along already also
    although always among an and another any anyone anything are around as at back be because been before
    being below besides between both but by can could did do does doing down during each earlier early
    either else even ever every except far few first for former from further had has have having he her
    here hers herself him himself his how however i if in including inside instead into is it its itself
    just last late later latest least less like many may maybe me meanwhile might more moreover most much
    must my near nearly neither never nevertheless new next no nobody none nor not nothing now of off
    often on once one only or other others otherwise our out outside over own per perhaps please rather
    same several she should since so some someone something sometimes soon still such than that the their
    them then there therefore these they this those though through throughout thus to today together
    tomorrow too toward towards under unless until up upon us very via was we were what whatever when
    where whereas whether which while who whom whose why will with within without would yesterday yet you
    your yours result results standings score scores table tables note notes total totals attendance
    halftime half-time played playing postponed leading winner winners runner-up quarter-final quarter-finals
    semifinal semifinals semi-final final finals round group division league teams team points
    second third fourth fifth sixth seventh eighth ninth tenth two three four five six seven eight nine ten
    one-day two-day day week month year years people police government officials official sources source
    analysts analyst traders trader dealers dealer shares share prices price market markets stocks stock
    bonds bond index company companies bank banks newspaper newspapers reporters reporter spokesman
    spokeswoman president minister chairman chief director secretary senator governor mayor judge general
    ambassador prime deputy vice foreign defence defense interior finance justice state federal national
    international world north south east west northern southern eastern western central
    photo file video caption editor editing reporting writing read more related share tweet email print
    subscribe advertisement sign login menu home search top latest breaking exclusive update updated
    opinion analysis commentary breaking live watch listen click here see also
    mr mrs ms dr prof sir lord lady st saint women men scorers scorer extras bowling fall add
    republic universities first batting innings overs wickets pitching goals played won drawn lost
    percent inning innings pct gb home away visitors hosts golf baseball basketball soccer football
    cricket tennis rugby hockey boxing athletics cycling squash racing league rbi era scoreboard
    date publish published posted taken minutes min comments comment font size newsletter
    everyone everybody everything nobody somebody anybody whoever kids
    """.split()
)

# Days, months and similar capitalised words that break a name run.
CALENDAR: Final[frozenset[str]] = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december feb mar apr jun jul aug sep sept oct nov dec
    christmas easter ramadan""".split()
)

# Titles and roles that precede a person's name (matched case-insensitively, period stripped).
TITLES: Final[frozenset[str]] = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady president vice-president chancellor premier
    minister secretary senator sen rep representative congressman congresswoman governor gov mayor judge
    justice pope cardinal bishop archbishop rabbi imam sheikh ayatollah king queen prince princess emperor
    empress sultan emir general gen lieutenant lt colonel col major maj captain capt sergeant sgt admiral
    adm commander cmdr marshal chairman chairwoman chairperson ceo chief director ambassador envoy
    spokesman spokeswoman spokesperson coach manager striker midfielder defender goalkeeper skipper
    inspector detective officer superintendent commissioner deputy leader president-elect
    dictator strongman rev reverend father brother sister adviser advisor aide negotiator
    counsel attorney lawyer prosecutor economist analyst researcher fellow scholar professor councillor
    fullback winger flanker hooker scrum-half fly-half pitcher catcher shortstop outfielder infielder
    quarterback batsman bowler wicketkeeper all-rounder jockey sprinter champion
    councilor councilman councilwoman alderman trustee mp mep superintendent principal headteacher
    hydrologist scientist engineer""".split()
)

# Abbreviations written with a period that do not end a sentence ("Mr. Kim", "St. Louis").
ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    """Mr Mrs Ms Dr Prof Gen Gov Sen Rep Col Lt Capt Sgt Adm Cmdr Rev Maj Hon Supt Insp Det Messrs
    St Mt Ft Jr Sr""".split()
)

# Words that only sharpen a following title ("Foreign Minister", "Prime Minister").
TITLE_MODIFIERS: Final[frozenset[str]] = frozenset(
    """prime foreign defence defense finance interior economy trade justice health education deputy vice
    acting former first chief senior junior state assistant attorney secretary-general secretary
    general under opposition party national security special senior""".split()
)

# A run whose last word is one of these names an organisation.
ORG_SUFFIXES: Final[frozenset[str]] = frozenset(
    """inc inc. incorporated corp corp. corporation co co. company companies ltd ltd. limited plc llc llp
    ag gmbh sa nv bv spa ab asa oyj group holdings holding industries international bank bancorp
    bankshares party ministry university institute institution fund foundation organization organisation
    council commission committee agency association union federation confederation club fc afc cf
    airlines airways motors corporation times post news journal herald tribune gazette telegraph guardian
    exchange board army navy force forces front movement congress parliament assembly senate department
    office service services authority center centre project embassy consulate reserve telecom systems
    technologies technology pharmaceuticals petroleum oil energy securities partners capital trust
    electric electronics network networks press television radio broadcasting society church school
    college academy hospital museum court tribunal police brigade brigades mission alliance coalition
    league bureau cabinet secretariat enterprises ventures investments insurance financial communications
    media studios records airlines railways railway rail mining steel chemicals foods brewery motors
    cables textiles paper glass cement shipping lines logistics pharma brands stores resources
    minerals metals mines fields managers desk kk bhd tbk pty sox newsroom batteries cooperative
    co-operative workers athletic rovers wanderers albion rangers hotspur conservatory orchestra
    philharmonic symphony choir theatre theater gallery library libraries clinic""".split()
)

# A run ending in one of these is a place ("Seoul Railway Station", "Xinjiang Province").
PLACE_SUFFIXES: Final[frozenset[str]] = frozenset(
    """station airport palace square street road avenue bridge river lake island islands mountain
    mountains valley bay sea ocean coast peninsula strait gulf park stadium province region county
    district prefecture oblast canal city town village course circuit racecourse springs falls creek
    sound lane drive boulevard plaza terrace quay wharf pier desert plateau heights hills beach harbour
    harbor port""".split()
)

# Legal-form suffixes: the name before them is the company's short name ("Pirelli SpA" -> "Pirelli").
CORP_SUFFIXES: Final[frozenset[str]] = frozenset(
    """inc corp co ltd plc llc llp ag gmbh sa nv bv spa ab asa oyj kk bhd tbk pty limited
    incorporated corporation holdings group""".split()
)

# A run starting with one of these is a place ("Port Averill", "Mount Kenya").
PLACE_PREFIXES: Final[frozenset[str]] = frozenset("port mount mt fort ft lake cape san santa sao".split())

# A run starting with one of these followed by "of"/"for" names an organisation ("Bank of Japan").
ORG_HEADS: Final[frozenset[str]] = frozenset(
    """bank university ministry department institute institution council commission committee court
    federation association union organization organisation church league office board academy college
    school center centre museum fund foundation party society agency bureau house chamber confederation
    friends people's conservatory orchestra gallery library""".split()
)

# Words that stand alone as the name of an organisation type, not a particular one.
GENERIC_ORG_WORDS: Final[frozenset[str]] = ORG_SUFFIXES | ORG_HEADS

# Lower-case particles allowed inside a name ("Luiz Inacio Lula da Silva", "Ludwig van Beethoven").
NAME_PARTICLES: Final[frozenset[str]] = frozenset(
    "da de di del della der den des do dos das du la le van von bin ibn al el y ter ten wa".split()
)

# Nationality and other group adjectives: CoNLL's MISC, which the reader does not list.
DEMONYMS: Final[frozenset[str]] = frozenset(
    """afghan albanian algerian american andorran angolan argentine argentinian armenian australian
    austrian azerbaijani azeri bahraini bangladeshi belarussian belarusian belgian bolivian bosnian
    brazilian british briton bulgarian burmese burundian cambodian cameroonian canadian chadian chilean
    chinese colombian congolese croatian croat cuban cypriot czech danish dutch ecuadorean ecuadorian
    egyptian emirati english eritrean estonian ethiopian european filipino finnish french gabonese georgian
    german ghanaian greek guatemalan guinean haitian honduran hungarian icelandic indian indonesian
    iranian iraqi irish israeli italian ivorian jamaican japanese jordanian kazakh kenyan korean kosovar
    kurdish kuwaiti kyrgyz laotian latvian lebanese liberian libyan lithuanian luxembourgish macedonian
    malagasy malawian malaysian malian maltese mauritanian mexican moldovan mongolian montenegrin moroccan
    mozambican namibian nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani palestinian
    panamanian paraguayan persian peruvian polish portuguese qatari romanian russian rwandan saudi
    scottish senegalese serb serbian sierra singaporean slovak slovenian somali spanish sri sudanese swedish
    swiss syrian taiwanese tajik tanzanian thai tibetan togolese tunisian turkish turkmen ugandan
    ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni yugoslav zambian zimbabwean
    african asian arab arabic latin nordic scandinavian balkan caucasian western eastern soviet
    communist socialist democrat democrats republican republicans conservative conservatives liberal
    liberals labour muslim muslims christian christians catholic catholics protestant protestants jewish
    jews jew islamic islamist hindu buddhist sikh sunni shi'ite shiite shia kurds basque catalan
    flemish walloon cossack chechen tamil pashtun hutu tutsi bosnians serbs croats arabs israelis
    palestinians americans europeans asians africans black blacks white whites afrikaner afrikaners
    russians germans britons olympic olympics english-language
    anglo franco sino euro west-indian swede swedes dane danes finns poles scots
    moslem moslems hebrew texan texans""".split()
)

# Sports headers ("SOCCER - ...") that mark a results page, where teams are organisations.
SPORTS: Final[frozenset[str]] = frozenset(
    """soccer football cricket tennis golf baseball basketball rugby athletics cycling motor motorcycling
    hockey ice boxing squash horse racing badminton swimming rowing skiing yachting sailing formula nfl
    nhl nba volleyball handball snooker darts judo wrestling triathlon olympics sport sports""".split()
)

# Sports whose results pages list people rather than teams.
SOLO_SPORTS: Final[frozenset[str]] = frozenset(
    """cricket tennis golf athletics cycling boxing squash motor motorcycling horse badminton swimming
    skiing formula snooker darts judo wrestling triathlon""".split()
)

# Words after which a lone capitalised word is most likely a place.
PLACE_PREPOSITIONS: Final[frozenset[str]] = frozenset("in near outside inside from to across into via".split())

# Verbs of speech and action that follow a person ("Yeltsin said").
PERSON_VERBS: Final[frozenset[str]] = frozenset(
    """said says told added asked urged warned wrote denied insisted explained noted argued claimed
    stressed replied announced admitted believes believed thinks thought smiled laughed""".split()
)

# Well-known short forms and names with their canonical entity.  Acronyms fold into the
# full name even when the full name never appears in the article.
ALIASES: Final[dict[str, tuple[str, str]]] = {
    "U.S.": ("United States", "place"),
    "US": ("United States", "place"),
    "U.S.A.": ("United States", "place"),
    "USA": ("United States", "place"),
    "United States": ("United States", "place"),
    "United States of America": ("United States", "place"),
    "America": ("United States", "place"),
    "U.K.": ("United Kingdom", "place"),
    "UK": ("United Kingdom", "place"),
    "United Kingdom": ("United Kingdom", "place"),
    "Britain": ("United Kingdom", "place"),
    "Great Britain": ("United Kingdom", "place"),
    "DPRK": ("North Korea", "place"),
    "N. Korea": ("North Korea", "place"),
    "S. Korea": ("South Korea", "place"),
    "D.P.R.K.": ("North Korea", "place"),
    "North Korea": ("North Korea", "place"),
    "South Korea": ("South Korea", "place"),
    "ROK": ("South Korea", "place"),
    "PRC": ("China", "place"),
    "UAE": ("United Arab Emirates", "place"),
    "U.A.E.": ("United Arab Emirates", "place"),
    "Russia": ("Russia", "place"),
    "Russian Federation": ("Russia", "place"),
    "Holland": ("Netherlands", "place"),
    "The Netherlands": ("Netherlands", "place"),
    "Czech Republic": ("Czech Republic", "place"),
    "Ivory Coast": ("Ivory Coast", "place"),
    "Burma": ("Myanmar", "place"),
    "Congo": ("Congo", "place"),
    "Zaire": ("Zaire", "place"),
    "Yugoslavia": ("Yugoslavia", "place"),
    "Soviet Union": ("Soviet Union", "place"),
    "USSR": ("Soviet Union", "place"),
    "England": ("England", "place"),
    "Scotland": ("Scotland", "place"),
    "Wales": ("Wales", "place"),
    "Northern Ireland": ("Northern Ireland", "place"),
    "Republic of Ireland": ("Ireland", "place"),
    "Ulster": ("Ulster", "place"),
    "Hong Kong": ("Hong Kong", "place"),
    "Taiwan": ("Taiwan", "place"),
    "Tibet": ("Tibet", "place"),
    "Xinjiang": ("Xinjiang", "place"),
    "Kashmir": ("Kashmir", "place"),
    "Chechnya": ("Chechnya", "place"),
    "Kosovo": ("Kosovo", "place"),
    "Bosnia": ("Bosnia", "place"),
    "Gaza": ("Gaza", "place"),
    "Gaza Strip": ("Gaza Strip", "place"),
    "West Bank": ("West Bank", "place"),
    "Golan Heights": ("Golan Heights", "place"),
    "Kurdistan": ("Kurdistan", "place"),
    "Middle East": ("Middle East", "place"),
    "Mideast": ("Middle East", "place"),
    "Gulf": ("Gulf", "place"),
    "Persian Gulf": ("Persian Gulf", "place"),
    "Balkans": ("Balkans", "place"),
    "Caucasus": ("Caucasus", "place"),
    "Siberia": ("Siberia", "place"),
    "Crimea": ("Crimea", "place"),
    "Donbas": ("Donbas", "place"),
    "Kursk": ("Kursk", "place"),
    "Korean Peninsula": ("Korean Peninsula", "place"),
    "Scandinavia": ("Scandinavia", "place"),
    "Latin America": ("Latin America", "place"),
    "Central America": ("Central America", "place"),
    "South America": ("South America", "place"),
    "North America": ("North America", "place"),
    "Southeast Asia": ("Southeast Asia", "place"),
    "East Asia": ("East Asia", "place"),
    "Central Asia": ("Central Asia", "place"),
    "South Asia": ("South Asia", "place"),
    "Asia-Pacific": ("Asia-Pacific", "place"),
    "Pacific": ("Pacific", "place"),
    "Atlantic": ("Atlantic", "place"),
    "Mediterranean": ("Mediterranean", "place"),
    "Caribbean": ("Caribbean", "place"),
    "Baltic": ("Baltic", "place"),
    "Baltics": ("Baltics", "place"),
    "Arctic": ("Arctic", "place"),
    "Antarctica": ("Antarctica", "place"),
    "Sahara": ("Sahara", "place"),
    "Himalayas": ("Himalayas", "place"),
    "Alps": ("Alps", "place"),
    "Wall Street": ("Wall Street", "place"),
    "Silicon Valley": ("Silicon Valley", "place"),
    "Capitol Hill": ("Capitol Hill", "place"),
    "Washington D.C.": ("Washington", "place"),
    "Washington DC": ("Washington", "place"),
    "Quebec": ("Quebec", "place"),
    "Ontario": ("Ontario", "place"),
    "Alberta": ("Alberta", "place"),
    "British Columbia": ("British Columbia", "place"),
    "Bavaria": ("Bavaria", "place"),
    "Catalonia": ("Catalonia", "place"),
    "Sicily": ("Sicily", "place"),
    "Sardinia": ("Sardinia", "place"),
    "Corsica": ("Corsica", "place"),
    "Punjab": ("Punjab", "place"),
    "Bengal": ("Bengal", "place"),
    "Kurdish north": ("Kurdistan", "place"),
    "Transylvania": ("Transylvania", "place"),
    "Tasmania": ("Tasmania", "place"),
    "Queensland": ("Queensland", "place"),
    "New South Wales": ("New South Wales", "place"),
    "Victoria": ("Victoria", "place"),
    "Normandy": ("Normandy", "place"),
    "Flanders": ("Flanders", "place"),
    "Wallonia": ("Wallonia", "place"),
    "Mindanao": ("Mindanao", "place"),
    "Borneo": ("Borneo", "place"),
    "Sumatra": ("Sumatra", "place"),
    "Java": ("Java", "place"),
    "Bali": ("Bali", "place"),
    "East Timor": ("East Timor", "place"),
    "Darfur": ("Darfur", "place"),
    "Kurdistan Region": ("Kurdistan", "place"),
    "Netherlands": ("Netherlands", "place"),
    "Midwest": ("Midwest", "place"),
    "Far East": ("Far East", "place"),
    "Nagorno-Karabakh": ("Nagorno-Karabakh", "place"),
    "Hizbollah": ("Hezbollah", "organization"),
    "EU": ("European Union", "organization"),
    "E.U.": ("European Union", "organization"),
    "European Union": ("European Union", "organization"),
    "U.N.": ("United Nations", "organization"),
    "UN": ("United Nations", "organization"),
    "United Nations": ("United Nations", "organization"),
    "NATO": ("NATO", "organization"),
    "Nato": ("NATO", "organization"),
    "OPEC": ("OPEC", "organization"),
    "Opec": ("OPEC", "organization"),
    "IMF": ("International Monetary Fund", "organization"),
    "WTO": ("World Trade Organization", "organization"),
    "WHO": ("World Health Organization", "organization"),
    "FBI": ("FBI", "organization"),
    "CIA": ("CIA", "organization"),
    "NSA": ("NSA", "organization"),
    "NASA": ("NASA", "organization"),
    "Pentagon": ("Pentagon", "organization"),
    "Kremlin": ("Kremlin", "organization"),
    "White House": ("White House", "organization"),
    "Congress": ("Congress", "organization"),
    "Senate": ("Senate", "organization"),
    "Parliament": ("Parliament", "organization"),
    "Bundesbank": ("Bundesbank", "organization"),
    "Bundestag": ("Bundestag", "organization"),
    "Duma": ("Duma", "organization"),
    "Knesset": ("Knesset", "organization"),
    "Fed": ("Federal Reserve", "organization"),
    "Federal Reserve": ("Federal Reserve", "organization"),
    "ECB": ("European Central Bank", "organization"),
    "OSCE": ("OSCE", "organization"),
    "ASEAN": ("ASEAN", "organization"),
    "APEC": ("APEC", "organization"),
    "BRICS": ("BRICS", "organization"),
    "G7": ("G7", "organization"),
    "G8": ("G8", "organization"),
    "G20": ("G20", "organization"),
    "G-7": ("G7", "organization"),
    "G-20": ("G20", "organization"),
    "PLO": ("PLO", "organization"),
    "Hamas": ("Hamas", "organization"),
    "Hezbollah": ("Hezbollah", "organization"),
    "Taliban": ("Taliban", "organization"),
    "IRA": ("IRA", "organization"),
    "Sinn Fein": ("Sinn Fein", "organization"),
    "FIFA": ("FIFA", "organization"),
    "UEFA": ("UEFA", "organization"),
    "IOC": ("IOC", "organization"),
    "Interpol": ("Interpol", "organization"),
    "Reuters": ("Reuters", "organization"),
    "AP": ("Associated Press", "organization"),
    "Associated Press": ("Associated Press", "organization"),
    "AFP": ("AFP", "organization"),
    "Agence France-Presse": ("AFP", "organization"),
    "BBC": ("BBC", "organization"),
    "CNN": ("CNN", "organization"),
    "VOA": ("VOA", "organization"),
    "Voice of America": ("VOA", "organization"),
    "TASS": ("TASS", "organization"),
    "Tass": ("TASS", "organization"),
    "Itar-Tass": ("Itar-Tass", "organization"),
    "Interfax": ("Interfax", "organization"),
    "Xinhua": ("Xinhua", "organization"),
    "Kyodo": ("Kyodo", "organization"),
    "Bloomberg": ("Bloomberg", "organization"),
    "Nasdaq": ("Nasdaq", "organization"),
    "NASDAQ": ("Nasdaq", "organization"),
    "NYSE": ("NYSE", "organization"),
    "Microsoft": ("Microsoft", "organization"),
    "Apple": ("Apple", "organization"),
    "Google": ("Google", "organization"),
    "Amazon": ("Amazon", "organization"),
    "Facebook": ("Facebook", "organization"),
    "Meta": ("Meta", "organization"),
    "IBM": ("IBM", "organization"),
    "Intel": ("Intel", "organization"),
    "Boeing": ("Boeing", "organization"),
    "Airbus": ("Airbus", "organization"),
    "Toyota": ("Toyota", "organization"),
    "Volkswagen": ("Volkswagen", "organization"),
    "General Motors": ("General Motors", "organization"),
    "GM": ("General Motors", "organization"),
    "Ford": ("Ford", "organization"),
    "Chrysler": ("Chrysler", "organization"),
    "Siemens": ("Siemens", "organization"),
    "Sony": ("Sony", "organization"),
    "Samsung": ("Samsung", "organization"),
    "Gazprom": ("Gazprom", "organization"),
    "Shell": ("Shell", "organization"),
    "Exxon": ("Exxon", "organization"),
    "Greenpeace": ("Greenpeace", "organization"),
    "Amnesty International": ("Amnesty International", "organization"),
    "Red Cross": ("Red Cross", "organization"),
    "Supreme Court": ("Supreme Court", "organization"),
    "Security Council": ("Security Council", "organization"),
    "State Department": ("State Department", "organization"),
    "Foreign Ministry": ("Foreign Ministry", "organization"),
    "Justice Department": ("Justice Department", "organization"),
    "Treasury": ("Treasury", "organization"),
    "Commons": ("House of Commons", "organization"),
    "House of Commons": ("House of Commons", "organization"),
    "Labour": ("Labour Party", "organization"),
    "Labour Party": ("Labour Party", "organization"),
    "Tories": ("Conservative Party", "organization"),
    "Conservative Party": ("Conservative Party", "organization"),
    "Democratic Party": ("Democratic Party", "organization"),
    "Republican Party": ("Republican Party", "organization"),
    "GOP": ("Republican Party", "organization"),
    "Air France": ("Air France", "organization"),
    "British Airways": ("British Airways", "organization"),
    "Lufthansa": ("Lufthansa", "organization"),
    "El Al": ("El Al", "organization"),
    "Aeroflot": ("Aeroflot", "organization"),
    "KLM": ("KLM", "organization"),
    "Qantas": ("Qantas", "organization"),
    "Bundeswehr": ("Bundeswehr", "organization"),
    "Wikipedia": ("Wikipedia", "organization"),
    "Twitter": ("Twitter", "organization"),
    "YouTube": ("YouTube", "organization"),
    "Brookings": ("Brookings Institution", "organization"),
}

# A run ending in one of these names an event (CoNLL's MISC), which the reader does not list.
EVENT_SUFFIXES: Final[frozenset[str]] = frozenset(
    """cup open series championship championships games olympics trophy prix classic masters
    tournament grand-prix invitational marathon rally tour award awards prize festival war index
    average averages""".split()
)

# Widely covered people, so that an article naming only "Putin" files him under the same
# name as one that says "Vladimir Putin".  Used only when the article has no other person
# the word could belong to.
KNOWN_PEOPLE: Final[dict[str, str]] = dict(
    tuple(side.strip() for side in pair.split("="))  # type: ignore[misc]
    for pair in """Xi=Xi Jinping|Putin=Vladimir Putin|Biden=Joe Biden|Trump=Donald Trump|Obama=Barack Obama
    |Zelenskyy=Volodymyr Zelenskyy|Zelensky=Volodymyr Zelenskyy|Macron=Emmanuel Macron
    |Scholz=Olaf Scholz|Merkel=Angela Merkel|Sunak=Rishi Sunak|Starmer=Keir Starmer|Modi=Narendra Modi
    |Erdogan=Recep Tayyip Erdogan|Netanyahu=Benjamin Netanyahu|Kishida=Fumio Kishida
    |Trudeau=Justin Trudeau|Albanese=Anthony Albanese|Lula=Luiz Inacio Lula da Silva
    |Bolsonaro=Jair Bolsonaro|Milei=Javier Milei|Sheinbaum=Claudia Sheinbaum|Ramaphosa=Cyril Ramaphosa
    |Khamenei=Ali Khamenei|Lavrov=Sergey Lavrov|Blinken=Antony Blinken|Guterres=Antonio Guterres
    |Stoltenberg=Jens Stoltenberg|Meloni=Giorgia Meloni|Orban=Viktor Orban|Lukashenko=Alexander Lukashenko
    |Maduro=Nicolas Maduro|Kagame=Paul Kagame|Yeltsin=Boris Yeltsin|Gorbachev=Mikhail Gorbachev
    |Netanyahu=Benjamin Netanyahu|Musk=Elon Musk|Zuckerberg=Mark Zuckerberg|Bezos=Jeff Bezos""".split("|")
)

# Generic capitalised words that commonly lead a run but are not entities on their own.
NOT_ENTITY: Final[frozenset[str]] = frozenset(
    """dow god internet web tv am pm a.m. p.m. gmt est edt bst cet utc ok okay no yes mp mps ceo cfo""".split()
)
