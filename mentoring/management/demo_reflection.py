"""The demo's reflections, learning goals, conversations and MERID profiles (seed_demo.py seeds
them).

Written as the people themselves would: Daan Jansen, a second-year student teacher of biology
with a 2 havo class, and his werkplekbegeleider; Lotte Smit, a starting teacher of geography
working with her coach on the climate in her classes; and at De Horizon a student teacher of
English and a starting history teacher. Each trajectory shows every state a user meets: a
private draft, a shared cycle waiting for the begeleider, one that was talked through, a core
reflection, a cycle that follows on from another, goals in every status, and conversations
with agreements that are done, open, and overdue.

In the texts, `{klas}` is the class of the lesson a cycle or conversation is about, and in a
goal taken from an observation `{item}` is the suggested focus item and `{step}` a first
concrete step for it. Visits are counted among the trajectory's held visits, oldest first (-1
is the latest).

The MERID profiles (reference/merid.md) follow Fatima El Amrani, Lotte's coach, through the
year: her first coachgesprek is mostly advice, as with most untrained begeleiders; a training
with video recordings follows, and her later conversations use the four roles more and more
evenly. Her own estimates are a little kinder than her coding, and Lotte sees the latest
conversation a little differently again. Jeroen Bakker, Daan's werkplekbegeleider, has a
general self-estimate and the coding of a nagesprek that he shares with the schoolopleider,
who was in that conversation.
"""

from dataclasses import dataclass

from reflection.models import (
    CommentKind,
    ConversationKind,
    CycleKind,
    CycleStatus,
    GoalStatus,
    MeridRole,
)

ALACT, CORE = CycleKind.ALACT, CycleKind.CORE
DRAFT, SHARED, DISCUSSED = CycleStatus.DRAFT, CycleStatus.SHARED, CycleStatus.DISCUSSED
COMMENT, QUESTION, REPLY = CommentKind.COMMENT, CommentKind.QUESTION, CommentKind.REPLY
NAGESPREK, COACHGESPREK = ConversationKind.NAGESPREK, ConversationKind.COACHGESPREK
TEACHER, BEGELEIDER = "teacher", "begeleider"
IMPERATOR, INITIATOR = MeridRole.IMPERATOR, MeridRole.INITIATOR
ENCOURAGER, ADVISOR = MeridRole.ENCOURAGER, MeridRole.ADVISOR


@dataclass(frozen=True)
class CommentSpec:
    """A begeleider's comment or question; a reply answers the comment before it."""

    text: str
    kind: str = COMMENT
    phase: str = ""
    by: str = BEGELEIDER


@dataclass(frozen=True)
class CycleSpec:
    key: str
    title: str
    texts: dict[str, str]
    kind: str = ALACT
    status: str = DRAFT
    visit: int | None = None
    follows: str = ""  # started with "start the next cycle" from that cycle
    core_qualities: tuple[str, ...] = ()
    comments: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class AgreementSpec:
    """An agreement still open is due some days from today (negative: overdue); one done by
    now was due some days after the conversation."""

    what: str
    who: str = TEACHER
    due_in_days: int | None = None
    done: bool = False


@dataclass(frozen=True)
class ConversationSpec:
    kind: str
    after_visit: int  # held that many `days_after` this visit (a nagesprek is about it)
    topics: str
    notes: str
    days_after: int = 0
    cycle: str = ""
    observation: bool = False  # the begeleider's observation of the visit was discussed
    also: tuple[str, ...] = ()  # other participants, by person key
    agreements: tuple[AgreementSpec, ...] = ()


@dataclass(frozen=True)
class EvidenceSpec:
    note: str
    visit: int | None = None
    observation: int | None = None  # the begeleider's observation of that visit
    cycle: str = ""


@dataclass(frozen=True)
class GoalSpec:
    title: str
    description: str
    status: str = GoalStatus.OPEN
    by: str = TEACHER
    from_observation: int | None = None  # the suggested focus of that visit's observation
    from_cycle: str = ""
    evidence: tuple[EvidenceSpec, ...] = ()


@dataclass(frozen=True)
class ReflectionSpec:
    begeleider: str
    teacher: str
    school: str
    cycles: tuple[CycleSpec, ...] = ()
    conversations: tuple[ConversationSpec, ...] = ()
    goals: tuple[GoalSpec, ...] = ()


@dataclass(frozen=True)
class MeridProfileSpec:
    """One MERID profile. Of one of the trajectory's conversations when `conversation` names it
    (its kind, and which of that kind, oldest first: -1 is the latest), else of a recording
    made outside the app, dated halfway between the profiles either side of it (the first
    halfway from the trajectory's start).

    A topic is its label, the role it was coded as, and its minutes (None: not timed, which
    makes the whole profile count per topic). Estimates are whole percentages per role; the
    perception is asked of the teacher, who gives it."""

    title: str
    conversation: tuple[str, int] | None = None
    topics: tuple[tuple[str, str, float | None], ...] = ()
    self_estimate: dict[str, int] | None = None
    perception: dict[str, int] | None = None
    share_with: str = ""  # a person key


@dataclass(frozen=True)
class MeridSpec:
    """A begeleider's MERID profiles over the year, around one of their trajectories."""

    begeleider: str
    teacher: str
    school: str
    profiles: tuple[MeridProfileSpec, ...]


def roles(*, imperator: int, initiator: int, encourager: int, advisor: int) -> dict[str, int]:
    return {
        IMPERATOR: imperator,
        INITIATOR: initiator,
        ENCOURAGER: encourager,
        ADVISOR: advisor,
    }


# A first concrete step for a goal taken from a suggested focus item, by ICALT item number.
FOCUS_STEPS = {
    1: "Ik spreek leerlingen met hun naam aan en let op mijn toon, ook als ik corrigeer.",
    2: "Ik begroet leerlingen bij de deur en begin met iets luchtigs dat bij de stof hoort.",
    3: "Ik benoem elke les bij minstens drie leerlingen concreet wat goed ging.",
    4: "Ik spreek een leerling die een ander uitlacht meteen en rustig aan.",
    5: "Ik maak met de klas drie afspraken voor het begin van de les en houd me er zelf ook aan.",
    6: "Ik loop in de eerste minuten van het zelfstandig werken langs alle tafels, voordat ik "
    "iemand apart help.",
    7: "Ik leg de materialen vooraf klaar en zet de opdracht met de tijd erbij op het bord.",
    8: "Ik zet een startopdracht klaar, zodat de les begint zodra de leerlingen binnen zijn.",
    9: "Ik bereid de uitleg voor in drie stappen, met een uitgewerkt voorbeeld op het bord.",
    10: "Ik geef tijdens het rondlopen feedback op de aanpak, niet alleen op het antwoord.",
    11: "Ik werk met beurten zonder vingers, zodat ook de stille leerlingen aan bod komen.",
    12: "Na de uitleg stel ik twee controlevragen die iedereen tegelijk op een wisbordje "
    "beantwoordt; pas daarna begint de verwerking.",
    13: "Ik spreek hoge verwachtingen uit en laat merken dat ik erop vertrouw dat het lukt.",
    14: "Ik zet het lesdoel en de fasen van de les op het bord en laat zien waar we zijn.",
    15: "Ik geef de opdracht mondeling en op het bord, en laat een leerling hem herhalen.",
    16: "Ik laat leerlingen na de uitleg eerst in tweetallen overleggen, voordat ik beurten geef.",
    17: "Ik geef leerlingen die weinig zelfvertrouwen hebben een vraag die ze kunnen "
    "beantwoorden, en bouw daarop verder.",
    18: "Ik geef het antwoord niet meteen, maar vraag: hoe zou jij het aanpakken?",
    19: "Ik bereid drie open denkvragen voor en geef daarna tien seconden wachttijd.",
    20: "Ik laat een leerling hardop voordoen hoe hij een opgave aanpakt.",
    21: "Ik knip de uitleg op met een tussenvraag na elke stap.",
    22: "Ik begin elke les met het lesdoel op het bord, in woorden van de leerlingen.",
    23: "Ik sluit de les af met een exit ticket over het lesdoel.",
    24: "Ik geef verlengde instructie aan de instructietafel terwijl de rest zelfstandig werkt.",
    25: "Ik geef een korte basisuitleg voor iedereen en verlengde instructie voor wie dat nodig "
    "heeft.",
    26: "Ik maak de verwerkingsopdracht op twee niveaus en laat leerlingen met mij kiezen.",
    27: "Ik laat zien hoe je een lastige opgave in kleinere stappen opdeelt.",
    28: "Ik laat leerlingen eerst de uitkomst schatten en daarmee hun antwoord controleren.",
    29: "Ik vraag leerlingen hoe ze kunnen nagaan of hun antwoord klopt, voordat ik het voordoe.",
    30: "Ik sluit de uitleg af met een voorbeeld uit het dagelijks leven van de leerlingen.",
    31: "Ik vraag leerlingen hun antwoord te onderbouwen: hoe weet je dat?",
    32: "Ik laat leerlingen benoemen welke aanpak ze kozen en waarom.",
}


REFLECTIONS = (
    # Het Baken College: Daan Jansen (biologie, tweedejaars student) with Jeroen Bakker.
    ReflectionSpec(
        "opleider",
        "student",
        "baken",
        cycles=(
            CycleSpec(
                "start",
                "De start van de les in {klas}: tien minuten kwijt",
                {
                    "action": (
                        "Derde uur in {klas}, direct na de gymles. Ik wilde meteen beginnen met "
                        "het lesdoel en de uitleg. Ik stond voor het bord te wachten tot het "
                        "stil werd, maar een groepje achterin bleef praten over de gymles. Ik "
                        "heb drie keer 'jongens, we gaan beginnen' gezegd, steeds harder. Pas "
                        "na tien minuten kon ik echt starten, en toen bleef er te weinig tijd "
                        "over voor de verwerkingsopdracht. Jeroen zat achterin en observeerde."
                    ),
                    "context": (
                        "2 havo, 28 leerlingen, derde uur na gym. Het is een practicumlokaal "
                        "met lange tafels: veel leerlingen zitten met hun rug naar het bord."
                    ),
                    "want_self": (
                        "Rustig en op tijd beginnen, zodat er genoeg tijd overbleef voor de "
                        "opdracht."
                    ),
                    "do_self": (
                        "Ik wachtte voor het bord en riep steeds harder dat we gingen "
                        "beginnen. Ik heb niemand persoonlijk aangesproken."
                    ),
                    "think_self": (
                        "Ze hebben geen zin in biologie. En: Jeroen ziet dat ik de klas niet in "
                        "de hand heb."
                    ),
                    "feel_self": (
                        "Gespannen en een beetje machteloos. Ik merkte dat ik sneller ging praten."
                    ),
                    "want_pupils": (
                        "Nog even bijkomen van de gymles en verder praten over wat daar "
                        "gebeurd was."
                    ),
                    "do_pupils": (
                        "Ze pakten langzaam hun spullen; het groepje achterin bleef praten. "
                        "Een paar leerlingen voorin zaten al klaar en keken verveeld rond."
                    ),
                    "think_pupils": (
                        "Waarschijnlijk: hij begint toch pas als het stil is, dus we hebben "
                        "nog even."
                    ),
                    "feel_pupils": (
                        "De meesten ontspannen; de leerlingen die al klaar zaten ongeduldig."
                    ),
                    "awareness": (
                        "Ik wachtte tot het stil werd voordat ik iets van ze vroeg, en de "
                        "leerlingen wachtten tot ik echt begon: we wachtten op elkaar. Wie wel "
                        "klaar zat, had niets te doen. Het ging niet om geen zin in biologie, "
                        "er was gewoon niets wat ze meteen konden doen."
                    ),
                    "alternatives": (
                        "1. Bij de deur staan en iedereen begroeten, zodat ik al contact heb "
                        "voordat de les begint.\n"
                        "2. Een startopdracht op het bord die ze zonder uitleg kunnen maken, "
                        "bijvoorbeeld drie vragen over de vorige les.\n"
                        "3. Het groepje achterin persoonlijk en rustig aanspreken in plaats van "
                        "de hele klas.\n"
                        "4. De opstelling veranderen; dat kan ik in dit lokaal niet zelf "
                        "regelen.\n"
                        "1 en 2 samen lijken me het sterkst, met 3 als het toch onrustig blijft."
                    ),
                    "intention": (
                        "De komende twee weken sta ik bij de deur en zet ik voor elke les een "
                        "startopdracht van vijf minuten op het bord. Ik begin zodra die klaar "
                        "is, ook als het nog niet helemaal stil is."
                    ),
                    "trial": (
                        "Donderdag geprobeerd in {klas}. De startopdracht stond op het bord en "
                        "ik stond bij de deur. Na vier minuten was bijna iedereen bezig. Het "
                        "groepje achterin begon pas toen ik ernaast ging staan, maar de les "
                        "begon op tijd. Het voelde rustiger, ook voor mezelf."
                    ),
                },
                status=DISCUSSED,
                visit=0,
                comments=(
                    CommentSpec(
                        "Je schrijft dat je dacht 'ze hebben geen zin in biologie'. Waar zag je "
                        "dat aan? En wat deden de leerlingen die al klaar zaten?",
                        QUESTION,
                        "looking_back",
                    ),
                    CommentSpec(
                        "Eigenlijk zag ik het nergens aan; het was vooral mijn eigen gevoel. "
                        "Dat de leerlingen die klaar zaten niets te doen hadden, had ik niet "
                        "gezien tot ik het opschreef.",
                        REPLY,
                        by=TEACHER,
                    ),
                    CommentSpec(
                        "Mooi dat je de begroeting bij de deur en de startopdracht combineert. "
                        "Bedenk ook hoe je het groepje achterin aanspreekt: bij naam, en rustig.",
                        COMMENT,
                        "alternatives",
                    ),
                ),
            ),
            CycleSpec(
                "start_next",
                "Vervolg: wat doe ik met de startopdracht?",
                {
                    "context": (
                        "Drie weken later. De startopdracht staat nu elke les op het bord, in "
                        "2B en in 3 havo."
                    ),
                    "want_self": (
                        "Dat de startopdracht ook iets oplevert voor de uitleg, en niet alleen "
                        "de leerlingen bezighoudt."
                    ),
                    "do_self": (
                        "Ik heb de antwoorden niet besproken en ben meteen met de nieuwe stof "
                        "begonnen."
                    ),
                    "think_self": "Het werkt, ze zijn rustig. Dan hoef ik er verder niets mee.",
                    "feel_self": (
                        "Opgelucht. Na een paar lessen ook wat ongemakkelijk: het voelt als een "
                        "trucje."
                    ),
                    "want_pupils": "Weten of hun antwoorden goed waren.",
                    "do_pupils": (
                        "Een paar leerlingen vroegen of we de vragen nog zouden bespreken. In "
                        "de derde week maakten sommigen de startopdracht niet meer."
                    ),
                    "think_pupils": "Als hij het toch niet bespreekt, maakt het niet uit.",
                    "feel_pupils": "Eerst nieuwsgierig, later onverschillig.",
                    "awareness": (
                        "De startopdracht helpt om op tijd te beginnen, maar ik gebruik hem "
                        "niet. Als ik de antwoorden kort bespreek en laat zien hoe ze aansluiten "
                        "bij de nieuwe stof, wordt het een echte start van de les, en zien de "
                        "leerlingen dat hun werk ertoe doet."
                    ),
                },
                status=SHARED,
                follows="start",
                comments=(
                    CommentSpec(
                        "Hoe houd je die bespreking kort, zodat je niet opnieuw tijd verliest "
                        "aan het begin van de les?",
                        QUESTION,
                        "awareness",
                    ),
                ),
            ),
            CycleSpec(
                "schrappen",
                "Waarom ik per se alles wil behandelen",
                {
                    "action": (
                        "In de les in {klas} die Jeroen en Marieke allebei observeerden, liep "
                        "mijn uitleg uit. Ik zag dat ik de verwerkingsopdracht niet zou halen "
                        "en ging sneller praten in plaats van iets te schrappen. Aan het eind "
                        "zei een leerling: 'Meneer, ik snap er nu niks meer van.'"
                    ),
                    "environment": (
                        "Een volle klas, twee observanten achterin en een lesplan met vier "
                        "onderdelen."
                    ),
                    "behaviour": (
                        "Ik ging sneller praten en sloeg de controlevragen over om alles toch "
                        "te behandelen."
                    ),
                    "competencies": (
                        "Ik kan goed uitleggen als ik de tijd neem. Tijdens de les bijsturen en "
                        "schrappen vind ik moeilijk."
                    ),
                    "beliefs": (
                        "Een goede les is een les waarin alles aan bod komt wat ik gepland had. "
                        "Als ik iets schrap, heb ik slecht voorbereid."
                    ),
                    "identity": (
                        "Ik wil een docent zijn op wie leerlingen kunnen rekenen: betrouwbaar "
                        "en goed voorbereid."
                    ),
                    "mission": (
                        "Leerlingen laten zien hoe mooi biologie is: dat je om je heen kijkt en "
                        "snapt hoe het werkt."
                    ),
                    "ideal": (
                        "Dat leerlingen aan het eind van de les echt iets begrepen hebben, ook "
                        "als dat minder is dan ik van plan was."
                    ),
                    "obstacle": (
                        "De overtuiging dat schrappen falen is, en de angst dat de observanten "
                        "dat zien. Daardoor luisterde ik niet meer naar de klas, maar naar mijn "
                        "lesplan."
                    ),
                    "new_step": (
                        "Ik markeer in elk lesplan vooraf één onderdeel dat kan vervallen. "
                        "Halverwege de les kijk ik op de klok en beslis ik bewust: doorgaan of "
                        "schrappen."
                    ),
                },
                kind=CORE,
                status=SHARED,
                visit=3,
                core_qualities=(
                    "enthusiasm",
                    "care",
                    "perseverance",
                    "oog voor wie het lastig vindt",
                ),
                comments=(
                    CommentSpec(
                        "Wat had de leerling die zei dat hij er niks meer van snapte op dat "
                        "moment nodig gehad?",
                        QUESTION,
                        "ideal",
                    ),
                    CommentSpec(
                        "Een pauze, en één voorbeeld minder snel. Misschien gewoon dat ik vroeg "
                        "wat hij wel snapte.",
                        REPLY,
                        by=TEACHER,
                    ),
                    CommentSpec(
                        "Herkenbaar, en goed dat je het zo eerlijk opschrijft. Schrappen is "
                        "juist een teken van goede voorbereiding: je weet wat de kern is.",
                        COMMENT,
                        "obstacle",
                    ),
                ),
            ),
            CycleSpec(
                "groepswerk",
                "Groepswerk in {klas}: wie doet eigenlijk wat?",
                {
                    "action": (
                        "Vandaag in {klas} werkten de leerlingen in groepjes van vier aan een "
                        "opdracht. In de meeste groepjes deed één leerling het werk en keken de "
                        "anderen mee of zaten op hun telefoon. Ik liep rond, maar zag het pas "
                        "toen de tijd bijna om was."
                    ),
                    "context": "Laatste uur van de dag; de opdracht duurde twintig minuten.",
                    "want_self": "Dat iedereen actief meedacht over de opdracht.",
                },
                visit=-1,
            ),
        ),
        conversations=(
            ConversationSpec(
                NAGESPREK,
                1,
                "Hoe de les nu begint; Daans reflectie op de lesstart van de vorige keer; de "
                "gesuggereerde focus uit de observatie.",
                "De lesstart ging vandaag een stuk beter: de startopdracht stond klaar en na "
                "vier minuten was de klas aan het werk. Daan vertelde wat hij in zijn reflectie "
                "ontdekte: hij wachtte op de klas en de klas wachtte op hem.\n\n"
                "In de observatie zijn klimaat en klassenmanagement duidelijk gegroeid. De "
                "instructie zelf is de volgende stap: nagaan of leerlingen de uitleg begrepen "
                "hebben voordat ze aan de slag gaan.\n\n"
                "Jeroen vraagt Daan de startopdracht vast te houden en ook de bespreking ervan "
                "mee te nemen in de volgende cyclus.",
                cycle="start",
                observation=True,
                agreements=(
                    AgreementSpec(
                        "Elke les een startopdracht van vijf minuten op het bord",
                        TEACHER,
                        14,
                        done=True,
                    ),
                    AgreementSpec(
                        "Voorbeelden van startopdrachten uit de sectie biologie mailen",
                        BEGELEIDER,
                        5,
                        done=True,
                    ),
                ),
            ),
            ConversationSpec(
                NAGESPREK,
                3,
                "De uitgelopen uitleg; Daans kernreflectie over schrappen; de verschillen "
                "tussen de twee observaties van deze les.",
                "Jeroen en Marieke observeerden deze les allebei. Hun scores lagen dicht bij "
                "elkaar; het grootste verschil zat bij het nagaan of leerlingen de uitleg "
                "begrepen hebben.\n\n"
                "Daan vertelde over zijn kernreflectie: hij wil alles behandelen wat hij "
                "gepland had, en ziet schrappen als falen. Marieke herkende dat van haar eigen "
                "eerste jaren. Samen hebben we één leerdoel uit de gesuggereerde focus "
                "gekozen.",
                cycle="schrappen",
                observation=True,
                also=("coordinator",),
                agreements=(
                    AgreementSpec(
                        "In elk lesplan één onderdeel markeren dat kan vervallen",
                        TEACHER,
                        -3,
                    ),
                    AgreementSpec(
                        "Bij de volgende observatie letten op de controlevragen na de uitleg",
                        BEGELEIDER,
                        9,
                    ),
                    AgreementSpec(
                        "Het lesplan van de volgende bezochte les twee dagen vooraf sturen",
                        TEACHER,
                        5,
                    ),
                ),
            ),
        ),
        goals=(
            GoalSpec(
                "Focus uit de observatie: {item}",
                "Uit de gesuggereerde focus van de observatie. {step}",
                GoalStatus.WORKING,
                by=BEGELEIDER,
                from_observation=3,
                evidence=(
                    EvidenceSpec(
                        "In deze observatie zijn de eerste stappen te zien.", observation=-1
                    ),
                ),
            ),
            GoalSpec(
                "Elke les op tijd en rustig beginnen",
                "Uit mijn reflectie op de lesstart: bij de deur staan en een startopdracht van "
                "vijf minuten op het bord.",
                GoalStatus.REACHED,
                from_cycle="start",
                evidence=(
                    EvidenceSpec("De les begon binnen vier minuten.", visit=1),
                    EvidenceSpec(
                        "Het vervolg: de start gaat goed, de bespreking nog niet.",
                        cycle="start_next",
                    ),
                ),
            ),
            GoalSpec(
                "De verwerking afstemmen op verschillen tussen leerlingen",
                "Na de kerstvakantie wil ik in 3 havo werken met opdrachten op twee niveaus.",
            ),
            GoalSpec(
                "Elke les openen met een filmpje",
                "Losgelaten: een filmpje kostte juist tijd aan het begin, en de startopdracht "
                "werkt beter.",
                GoalStatus.DROPPED,
            ),
        ),
    ),
    # Het Baken College: Lotte Smit (aardrijkskunde, eerste jaar) with her coach Fatima El
    # Amrani. Nobody else reads any of this.
    ReflectionSpec(
        "coach",
        "coachee",
        "baken",
        cycles=(
            CycleSpec(
                "pauze",
                "Na de grote pauze in {klas}: ik werd boos",
                {
                    "action": (
                        "Vijfde uur, direct na de grote pauze. Twee jongens kwamen binnen met "
                        "een bal en gooiden die over. Ik riep hard 'Nu is het klaar!' en pakte "
                        "de bal af. Daarna was de sfeer weg: de klas deed wat ik vroeg, maar "
                        "niemand zei nog iets. Fatima was op bezoek en zat achterin."
                    ),
                    "context": (
                        "{klas}, 26 leerlingen, vijfde uur na de grote pauze. Een les met een "
                        "kaartopdracht in tweetallen."
                    ),
                    "want_self": "Rustig beginnen, en laten zien dat ik dit niet accepteer.",
                    "do_self": (
                        "Hard roepen, de bal afpakken, en daarna kortaf de opdracht uitleggen."
                    ),
                    "think_self": (
                        "Als ik nu niet ingrijp, loopt het uit de hand. En Fatima denkt dat ik "
                        "geen orde kan houden."
                    ),
                    "feel_self": (
                        "Geschrokken en boos. Daarna schaamde ik me een beetje over hoe hard ik "
                        "riep."
                    ),
                    "want_pupils": (
                        "Nog even doorgaan met de pauze; de twee jongens wilden vooral stoer "
                        "doen voor de rest."
                    ),
                    "do_pupils": "De jongens gingen mokkend zitten, de rest werd doodstil.",
                    "think_pupils": "Ze is echt boos, even niets zeggen.",
                    "feel_pupils": (
                        "Een beetje geschrokken. De jongens voelden zich voor schut gezet."
                    ),
                    "awareness": (
                        "Mijn reactie was groter dan het probleem. Ik reageerde vooral op mijn "
                        "eigen angst dat het uit de hand zou lopen, niet op wat er gebeurde. "
                        "Daardoor had ik wel stilte, maar geen klas die meedeed. Wat ik wil, is "
                        "rust én contact."
                    ),
                    "alternatives": (
                        "- De bal zonder woorden aannemen en na de les teruggeven.\n"
                        "- De jongens na de pauze al bij de deur opvangen.\n"
                        "- Eerst uitademen en zacht beginnen, zodat de klas naar mij toe moet "
                        "komen.\n"
                        "- Na de les kort met de twee jongens praten in plaats van voor de klas."
                    ),
                    "intention": (
                        "Na de grote pauze sta ik bij de deur. Bij onrust adem ik eerst uit en "
                        "spreek ik één leerling rustig aan, in plaats van de hele klas."
                    ),
                    "trial": (
                        "Woensdag na de pauze bij de deur gestaan. Ik zag de bal al bij "
                        "binnenkomst en maakte er een grapje over; hij bleef in de tas. Eén "
                        "keer werd het toch rumoerig. Ik wachtte en praatte zacht verder, en "
                        "het werd vanzelf stiller. Het uitademen helpt echt."
                    ),
                },
                status=DISCUSSED,
                visit=0,
                comments=(
                    CommentSpec(
                        "Je schrijft 'rust én contact'. Wanneer had je dit jaar allebei "
                        "tegelijk? Wat deed je toen?",
                        QUESTION,
                        "awareness",
                    ),
                    CommentSpec(
                        "In 2C, bij de kaartopdracht over migratie. Ik liep rond en maakte "
                        "grapjes met leerlingen. Toen was ik niet bang dat het uit de hand zou "
                        "lopen.",
                        REPLY,
                        by=TEACHER,
                    ),
                    CommentSpec(
                        "Sterk dat je de jongens na de les wilt spreken: zo kunnen ze hun "
                        "gezicht houden, en jij ook.",
                        COMMENT,
                        "alternatives",
                    ),
                ),
            ),
            CycleSpec(
                "pauze_next",
                "Vervolg: rustig blijven, ook op vrijdag",
                {
                    "context": "Drie weken na de grote pauze bij de deur gestaan, in 2B en 2C.",
                    "want_self": "Dat het rustig beginnen vanzelf gaat, ook als ik moe ben.",
                    "do_self": (
                        "Maandag tot en met donderdag lukte het. Vrijdag het zevende uur riep "
                        "ik weer door de klas."
                    ),
                    "think_self": "Ik kan het dus niet echt, het is maar een trucje.",
                    "feel_self": "Teleurgesteld in mezelf, en moe.",
                    "awareness": (
                        "Bij de deur staan werkt, maar als ik moe ben aan het eind van de week "
                        "val ik terug in roepen. Het gaat dus niet alleen om wat ik doe, maar "
                        "ook om hoe ik erbij zit."
                    ),
                },
                status=SHARED,
                follows="pauze",
                comments=(
                    CommentSpec(
                        "Wat heb jij nodig om op vrijdagmiddag 'erbij te zitten'?",
                        QUESTION,
                        "awareness",
                    ),
                ),
            ),
            CycleSpec(
                "orde",
                "Een leerling zei dat ik geen orde kan houden",
                {
                    "action": (
                        "Na de les bleef een leerling uit {klas} staan en zei: 'Mevrouw, u bent "
                        "wel aardig, maar u kunt geen orde houden.' Ik lachte het weg, maar het "
                        "bleef de hele avond door mijn hoofd gaan."
                    ),
                    "environment": (
                        "Een klas die ik pas sinds januari heb. De vorige docent stond bekend "
                        "als streng."
                    ),
                    "behaviour": "Ik lachte het weg en zei niets terug.",
                    "competencies": (
                        "Ik maak makkelijk contact met leerlingen, een-op-een. Grenzen stellen "
                        "voor de hele groep vind ik lastig."
                    ),
                    "beliefs": (
                        "Als ik streng ben, vinden leerlingen me niet meer aardig. En: een "
                        "goede docent heeft de klas vanzelf in de hand."
                    ),
                    "identity": "Ik ben iemand die leerlingen wil zien en serieus nemen.",
                    "mission": (
                        "Ik wil dat leerlingen zich veilig voelen in mijn les, zodat ze durven "
                        "te vragen."
                    ),
                    "ideal": (
                        "Een klas waarin het rustig is omdat leerlingen weten waar ze aan toe "
                        "zijn, en waarin ik mezelf kan zijn."
                    ),
                    "obstacle": (
                        "De overtuiging dat duidelijk zijn en aardig zijn elkaar uitsluiten. "
                        "Daardoor stel ik grenzen te laat, en dan te hard."
                    ),
                    "new_step": (
                        "Ik maak met {klas} drie afspraken voor het begin van de les. En ik "
                        "vertel de leerling dat ik blij ben dat hij het tegen me zei."
                    ),
                },
                kind=CORE,
                status=SHARED,
                visit=2,
                core_qualities=("care", "patience", "humour", "rechtvaardigheid"),
                comments=(
                    CommentSpec(
                        "Ken je een docent die zowel duidelijk als aardig is? Wat doet die?",
                        QUESTION,
                        "obstacle",
                    ),
                    CommentSpec(
                        "Mijn mentor van de opleiding. Ze zei precies wat ze wilde, en lachte "
                        "erbij.",
                        REPLY,
                        by=TEACHER,
                    ),
                ),
            ),
            CycleSpec(
                "telefoon",
                "Het telefoontje van een moeder",
                {
                    "action": (
                        "Vanmiddag belde de moeder van een leerling uit 2C. Ze vond dat ik haar "
                        "zoon onterecht uit de les had gestuurd. Ik verdedigde me meteen en "
                        "hoorde pas later wat ze eigenlijk bedoelde."
                    ),
                },
            ),
        ),
        conversations=(
            ConversationSpec(
                COACHGESPREK,
                0,
                "Lottes reflectie op de les na de grote pauze; wat haar helpt om rustig te "
                "blijven.",
                "Lotte heeft de situatie na de pauze uitgeschreven. Ze ziet dat haar reactie "
                "vooral uit angst kwam, en dat ze rust én contact wil. We hebben het "
                "uitademen geoefend en besproken hoe ze de twee jongens na de les kan spreken.",
                days_after=2,
                cycle="pauze",
                agreements=(
                    AgreementSpec(
                        "Drie weken lang na elke grote pauze bij de deur staan",
                        TEACHER,
                        21,
                        done=True,
                    ),
                    AgreementSpec(
                        "Een artikel over de eerste vijf minuten van de les sturen",
                        BEGELEIDER,
                        7,
                        done=True,
                    ),
                ),
            ),
            ConversationSpec(
                NAGESPREK,
                2,
                "De les in {klas}; Lottes kernreflectie over orde houden en aardig zijn.",
                "Fatima zag een rustige start, met Lotte bij de deur. Halverwege werd het "
                "onrustig bij de overgang naar het werken in tweetallen; Lotte bleef rustig "
                "maar gaf de opdracht alleen mondeling.\n\n"
                "Lotte vertelde over haar kernreflectie: duidelijk en aardig sluiten elkaar "
                "niet uit. Ze wil met de klas afspraken maken voor het begin van de les.",
                cycle="orde",
                observation=True,
                agreements=(
                    AgreementSpec(
                        "Met {klas} drie afspraken maken voor het begin van de les",
                        TEACHER,
                        -2,
                    ),
                    AgreementSpec(
                        "Opnieuw een les komen bekijken, nu in 2C",
                        BEGELEIDER,
                        14,
                        done=True,
                    ),
                ),
            ),
            ConversationSpec(
                COACHGESPREK,
                -1,
                "Energie aan het eind van de week; het vervolg op de reflectie over de pauze.",
                "Het rustig beginnen lukt, behalve op vrijdag het zevende uur. Lotte merkt dat "
                "ze dan moe is en terugvalt in roepen. We hebben gekeken naar haar week: ze "
                "kijkt veel na op donderdagavond.",
                days_after=1,
                agreements=(
                    AgreementSpec(
                        "Op donderdagavond niet meer nakijken dan één klas",
                        TEACHER,
                        7,
                    ),
                    AgreementSpec(
                        "Een kernkwaliteit kiezen om vrijdag bewust in te zetten",
                        TEACHER,
                        12,
                    ),
                    AgreementSpec("De kernreflectie verder bespreken", BEGELEIDER),
                ),
            ),
        ),
        goals=(
            GoalSpec(
                "Mijn focus: {item}",
                "Gekozen uit de gesuggereerde focus na Fatima's lesbezoek. {step}",
                GoalStatus.WORKING,
                from_observation=2,
                evidence=(
                    EvidenceSpec("Het laatste lesbezoek.", observation=-1),
                    EvidenceSpec("", cycle="orde"),
                ),
            ),
            GoalSpec(
                "Na de grote pauze rustig beginnen vanaf de deur",
                "Uit mijn reflectie: bij de deur staan, uitademen, één leerling rustig aanspreken.",
                GoalStatus.REACHED,
                from_cycle="pauze",
                evidence=(
                    EvidenceSpec("Fatima zag de les na de pauze rustig beginnen.", visit=1),
                    EvidenceSpec("", cycle="pauze_next"),
                ),
            ),
            GoalSpec(
                "Mijn energie verdelen over de week",
                "Zodat ik ook op vrijdagmiddag de docent kan zijn die ik wil zijn.",
            ),
            GoalSpec(
                "Vaste groepjes in de klassenopstelling",
                "Losgelaten: de groepjes gaven in 2B juist meer onrust. Eerst de start van de "
                "les goed krijgen.",
                GoalStatus.DROPPED,
            ),
        ),
    ),
    # De Horizon: Fleur Jacobs (Engels, derdejaars student) with Gerda Postma.
    ReflectionSpec(
        "gerda",
        "fleur",
        "horizon",
        cycles=(
            CycleSpec(
                "feedback",
                "Feedback op de betogen in {klas}",
                {
                    "action": (
                        "Ik had de betogen van {klas} met veel opmerkingen in de kantlijn "
                        "teruggegeven. De meeste leerlingen keken alleen naar het cijfer en "
                        "stopten het papier weg."
                    ),
                    "context": "Een schrijfopdracht van drie weken; het cijfer telt mee.",
                    "want_self": "Dat leerlingen mijn feedback gebruiken bij de volgende tekst.",
                    "do_self": "Uren nakijken, en de teksten aan het eind van de les uitdelen.",
                    "think_self": "Ze lezen het toch niet.",
                    "feel_self": "Gefrustreerd: zoveel werk voor niets.",
                    "want_pupils": "Weten welk cijfer ze hadden.",
                    "do_pupils": "Keken naar het cijfer en borgen het papier op.",
                    "think_pupils": "Het is af, dus de opmerkingen doen er niet meer toe.",
                    "feel_pupils": "Opgelucht of teleurgesteld, afhankelijk van het cijfer.",
                    "awareness": (
                        "Mijn feedback kwam op een moment dat er niets meer mee te doen was. "
                        "Feedback helpt pas als er nog een volgende stap komt."
                    ),
                    "alternatives": (
                        "Feedback op een eerste versie, zonder cijfer; per leerling twee "
                        "punten in plaats van tien; tijd in de les om de tekst te herschrijven."
                    ),
                    "intention": (
                        "Bij het volgende betoog geef ik feedback op de eerste versie, met twee "
                        "punten per leerling, en plan ik een les om te herschrijven."
                    ),
                },
                status=SHARED,
                visit=-1,
                comments=(
                    CommentSpec(
                        "Goede analyse. Hoe ga je na of leerlingen die twee punten echt "
                        "gebruiken in hun herschreven tekst?",
                        QUESTION,
                        "alternatives",
                    ),
                    CommentSpec(
                        "Ik laat ze in de kantlijn aangeven waar ze de punten verwerkt hebben.",
                        REPLY,
                        by=TEACHER,
                    ),
                ),
            ),
            CycleSpec(
                "spreken",
                "Spreekopdracht: niemand durfde",
                {
                    "action": (
                        "Bij de spreekopdracht in tweetallen spraken de meeste leerlingen "
                        "Nederlands zodra ik wegliep."
                    ),
                },
            ),
        ),
        conversations=(
            ConversationSpec(
                NAGESPREK,
                -1,
                "Feedback die leerlingen gebruiken; de observatie van de schrijfles.",
                "Gerda zag een heldere opbouw van de les en veel betrokkenheid bij het "
                "bespreken van de voorbeeldtekst. Fleurs reflectie over feedback sloot daar "
                "goed op aan: feedback op een eerste versie, met tijd om te herschrijven.",
                cycle="feedback",
                observation=True,
                agreements=(
                    AgreementSpec(
                        "Een herschrijfles plannen voor het volgende betoog", TEACHER, 10
                    ),
                    AgreementSpec(
                        "Het beoordelingsmodel van de sectie delen", BEGELEIDER, 7, done=True
                    ),
                ),
            ),
        ),
        goals=(
            GoalSpec(
                "Focus: {item}",
                "Uit de gesuggereerde focus van Gerda's observatie. {step}",
                from_observation=-1,
            ),
            GoalSpec(
                "Feedback geven op een eerste versie",
                "Twee punten per leerling, en tijd in de les om te herschrijven.",
                GoalStatus.WORKING,
                from_cycle="feedback",
                evidence=(EvidenceSpec("", cycle="feedback"),),
            ),
            GoalSpec(
                "Duidelijke instructie bij de start van de les",
                "De opdracht staat met de tijd op het bord.",
                GoalStatus.REACHED,
                evidence=(EvidenceSpec("Gerda zag een heldere start.", observation=0),),
            ),
        ),
    ),
    # De Horizon: Sem Kuipers (geschiedenis, eerste jaar) with his coach Esra Yilmaz.
    ReflectionSpec(
        "esra",
        "sem",
        "horizon",
        cycles=(
            CycleSpec(
                "machtsstrijd",
                "Een machtsstrijd met een leerling in {klas}",
                {
                    "action": (
                        "Een leerling weigerde zijn telefoon weg te leggen. Ik bleef herhalen "
                        "dat hij hem in zijn tas moest doen; hij bleef 'waarom?' vragen. De "
                        "hele klas keek toe."
                    ),
                    "context": "{klas}, het laatste uur op dinsdag.",
                    "want_self": "Dat hij zijn telefoon weglegde, en dat ik niet zou verliezen.",
                    "do_self": "Steeds dichterbij gaan staan en harder herhalen.",
                    "think_self": "Als ik nu toegeef, doet de hele klas het.",
                    "feel_self": "Boos, en bekeken.",
                    "want_pupils": "Niet voor de klas toegeven.",
                    "do_pupils": "De klas keek toe en grinnikte.",
                    "think_pupils": "Wie wint er?",
                    "feel_pupils": "Vermaakt.",
                    "awareness": (
                        "Het ging niet meer om de telefoon, maar om wie er won. Door het voor "
                        "de klas te spelen, kon geen van ons beiden nog terug."
                    ),
                    "alternatives": (
                        "Eén keer rustig vragen en dan doorgaan met de les; na de les apart "
                        "spreken; een vaste telefoonbak bij de deur."
                    ),
                    "intention": (
                        "Ik vraag het één keer rustig, geef hem even tijd, en bespreek het na "
                        "de les als het niet lukt."
                    ),
                },
                status=DISCUSSED,
                visit=0,
                comments=(
                    CommentSpec(
                        "Wat had je nodig om op dat moment een stap terug te kunnen doen?",
                        QUESTION,
                        "awareness",
                    ),
                    CommentSpec(
                        "Het vertrouwen dat de klas me niet zwak vindt als ik niet meteen win.",
                        REPLY,
                        by=TEACHER,
                    ),
                ),
            ),
            CycleSpec(
                "mentorles",
                "De mentorles over pesten",
                {
                    "action": (
                        "In de mentorles over pesten werd er veel gelachen. Ik wist niet of ik "
                        "moest ingrijpen."
                    ),
                },
            ),
        ),
        conversations=(
            ConversationSpec(
                COACHGESPREK,
                1,
                "De machtsstrijd over de telefoon; hoe Sem contact houdt met de klas.",
                "Sem ziet dat het om winnen ging, niet om de telefoon. We hebben geoefend hoe "
                "hij één keer rustig iets vraagt en daarna doorgaat met de les.",
                days_after=1,
                cycle="machtsstrijd",
                agreements=(
                    AgreementSpec(
                        "Met de sectie een vaste telefoonbak bij de deur afspreken", TEACHER, -4
                    ),
                    AgreementSpec("Een les in 2 mavo komen bekijken", BEGELEIDER, 8),
                ),
            ),
        ),
        goals=(
            GoalSpec(
                "Rustig blijven als een leerling de grens opzoekt",
                "Eén keer vragen, tijd geven, en na de les apart bespreken.",
                GoalStatus.WORKING,
                from_cycle="machtsstrijd",
                evidence=(EvidenceSpec("", cycle="machtsstrijd"),),
            ),
            GoalSpec(
                "Elke les met een verhaal beginnen",
                "Losgelaten: dat kost te veel voorbereiding naast mijn mentoruren.",
                GoalStatus.DROPPED,
            ),
        ),
    ),
)


MERID = (
    # Fatima El Amrani codes her conversations with Lotte Smit, and two recordings from her
    # coaching training: from mostly advisor towards all four roles.
    MeridSpec(
        "coach",
        "coachee",
        "baken",
        profiles=(
            MeridProfileSpec(
                "Coachgesprek met Lotte: de les na de grote pauze",
                conversation=(COACHGESPREK, 0),
                topics=(
                    ("Hoe de les na de grote pauze begon", ADVISOR, 5),
                    ("Wat Lotte voelde toen het niet stil werd", ENCOURAGER, 4),
                    ("Tips voor een rustige start van de les", ADVISOR, 8),
                    ("De twee jongens achterin", ADVISOR, 7),
                    ("Uitademen voordat je iets zegt", IMPERATOR, 5),
                    ("Omgaan met onrust na de pauze", ADVISOR, 6),
                    ("Bij de deur staan", IMPERATOR, 3),
                    ("Afspraken voor de komende weken", IMPERATOR, 4),
                ),
                self_estimate=roles(imperator=15, initiator=10, encourager=30, advisor=45),
            ),
            MeridProfileSpec(
                "Video van de training: oefengesprek met een acteur",
                topics=(
                    ("Kennismaking en doel van het gesprek", IMPERATOR, 2),
                    ("Een les die uit de hand liep", ADVISOR, 6),
                    ("Wat er volgens de docent misging", ENCOURAGER, 4),
                    ("Regels en afspraken in de klas", ADVISOR, 5),
                    ("Een leerling die steeds de les verstoort", ADVISOR, 6),
                    ("Contact met de mentor van de klas", ADVISOR, 3),
                    ("Hoe de docent zich voelde", ENCOURAGER, 3),
                    ("Voorbereiding van de volgende les", ADVISOR, 4),
                    # The recording skipped here, so this topic has no duration.
                    ("Een andere plek voor twee leerlingen", ADVISOR, None),
                    ("Wat de docent zelf al geprobeerd heeft", ENCOURAGER, 3),
                    ("Tips uit mijn eigen eerste jaar", ADVISOR, 2),
                    ("Afronding: wat neemt de docent mee?", IMPERATOR, 2),
                ),
                self_estimate=roles(imperator=10, initiator=15, encourager=30, advisor=45),
            ),
            MeridProfileSpec(
                "Nagesprek met Lotte: orde houden en aardig zijn",
                conversation=(NAGESPREK, 0),
                topics=(
                    ("De start van de les bij de deur", INITIATOR, 3),
                    ("Hoe Lotte de les zelf beleefde", ENCOURAGER, 4),
                    ("De overgang naar werken in tweetallen", ADVISOR, 8),
                    ("Een opdracht alleen mondeling geven", IMPERATOR, 4),
                    ("Kernreflectie: duidelijk en aardig tegelijk", ENCOURAGER, 5),
                    ("Omgaan met onrust halverwege de les", ADVISOR, 9),
                    ("Afspraken met de klas voor het begin van de les", ADVISOR, 5),
                    ("De gesuggereerde focus uit de observatie", IMPERATOR, 3),
                ),
                self_estimate=roles(imperator=15, initiator=15, encourager=35, advisor=35),
            ),
            MeridProfileSpec(
                "Video van de terugkomdag: gesprek met een collega-coach",
                topics=(
                    ("Waar de docent mee zit", ENCOURAGER, 4),
                    ("Werkdruk in de eerste maanden", ENCOURAGER, 5),
                    ("Een lastige klas op dinsdag", ADVISOR, 6),
                    ("Wat al goed gaat", INITIATOR, 2),
                    ("Wat de docent zelf wil proberen", ENCOURAGER, 4),
                    ("Grenzen stellen aan het nakijken", ADVISOR, 4),
                    ("Hulp vragen aan collega's", INITIATOR, 3.5),
                    ("Een concrete eerste stap", IMPERATOR, 2.5),
                    ("Terugblik op het gesprek", ENCOURAGER, 2),
                    ("Afspraak voor een volgend gesprek", IMPERATOR, 1.5),
                ),
            ),
            MeridProfileSpec(
                "Coachgesprek met Lotte: energie aan het eind van de week",
                conversation=(COACHGESPREK, -1),
                topics=(
                    ("Hoe het rustig beginnen nu gaat", INITIATOR, 4),
                    ("Vrijdag het zevende uur", ENCOURAGER, 6),
                    ("Terugvallen in roepen bij vermoeidheid", ENCOURAGER, 5),
                    ("De week van Lotte in kaart", INITIATOR, 5),
                    ("Nakijken op donderdagavond", ADVISOR, 5),
                    ("Wat Lotte energie geeft", ENCOURAGER, 3),
                    ("Een kernkwaliteit voor vrijdag", INITIATOR, 4),
                    ("Het nakijken verdelen over de week", ADVISOR, 4),
                    ("De vrijdagles voorbereiden", IMPERATOR, 3),
                    ("Afspraken en het vervolg", IMPERATOR, 3),
                ),
                self_estimate=roles(imperator=15, initiator=25, encourager=35, advisor=25),
                perception=roles(imperator=20, initiator=20, encourager=30, advisor=30),
            ),
        ),
    ),
    # Jeroen Bakker: a general self-estimate, and the nagesprek that Marieke de Vries, the
    # schoolopleider, took part in, shared with her to talk it through.
    MeridSpec(
        "opleider",
        "student",
        "baken",
        profiles=(
            MeridProfileSpec(
                "Zelfinschatting: hoe voer ik mijn nagesprekken?",
                self_estimate=roles(imperator=30, initiator=5, encourager=15, advisor=50),
            ),
            MeridProfileSpec(
                "Nagesprek met Daan: de uitgelopen uitleg",
                conversation=(NAGESPREK, -1),
                topics=(
                    ("De uitgelopen uitleg", ADVISOR, 6),
                    ("Verschillen tussen de twee observaties", IMPERATOR, 5),
                    ("Nagaan of leerlingen de uitleg begrepen", ADVISOR, 7),
                    ("Kernreflectie: schrappen voelt als falen", ENCOURAGER, 6),
                    ("Wat er in een lesplan kan vervallen", ADVISOR, 5),
                    ("Een leerdoel uit de gesuggereerde focus", IMPERATOR, 4),
                    ("Hoe Daan de les zelf beleefde", INITIATOR, 3),
                    ("Afspraken voor de volgende observatie", IMPERATOR, 3),
                ),
                self_estimate=roles(imperator=20, initiator=15, encourager=30, advisor=35),
                share_with="coordinator",
            ),
        ),
    ),
)
