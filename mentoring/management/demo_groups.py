"""The demo's learning-group sessions at Het Baken College (seed_demo.py seeds them).

One group of each format, each at a different point in its work, as Sanne Visser and Hans
Dijkstra, the school's procesbegeleiders, would have taken them through the phases of
reflection/group_phases.py:

- the intervisiegroep of starting teachers has held two VESIt sessions, the first through all
  five phases with three principles of "theorie met een kleine t", the second adding two more,
  and meets again next week;
- the lesson-study team held its first research lesson (predictions, observations and
  interviews of three case pupils, the post-lesson discussion and the revised lesson) and is
  observing the second, taught by another member in a parallel class;
- the videoclub is writing its noticings on a student teacher's clip, shared as a link with his
  consent (a demo has no video files);
- the ontwerpatelier is in its first iteration of an exit ticket.

Case pupils are called A, B and C, as the groups do to keep pupils' names out of the notes. A
session's `days` count from the day of seeding (negative: in the past) and fall on a school
day; a session's phases are the ones the facilitator took it through, in order, with what was
written in each; `held` takes it past the last phase. `absent` are the members who were not
there: the attendance of a session that has begun is everyone else.
"""

import datetime
from dataclasses import dataclass

AFTER_SCHOOL = datetime.time(15, 30)
THIRD_PERIOD = datetime.time(10, 15)


@dataclass(frozen=True)
class EntrySpec:
    """One contribution: a text, about a case pupil in a lesson study, or a noticing in two
    steps (what I see, how I interpret it) in a videoclub."""

    by: str
    text: str
    case_pupil: str = ""
    interpretation: str = ""


@dataclass(frozen=True)
class ClipSpec:
    """A clip of the filmed teacher's own lesson, as a link, with their consent recorded."""

    by: str
    title: str
    link: str
    expires_in_days: int = 30


@dataclass(frozen=True)
class PhaseSpec:
    key: str
    entries: tuple[EntrySpec, ...] = ()
    principles: tuple[EntrySpec, ...] = ()
    clips: tuple[ClipSpec, ...] = ()


@dataclass(frozen=True)
class SessionSpec:
    days: int
    time: datetime.time
    location: str
    focus: str
    phases: tuple[PhaseSpec, ...] = ()
    held: bool = False
    research_lesson: int | None = None
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteSpec:
    by: str
    text: str


@dataclass(frozen=True)
class GroupStorySpec:
    school: str
    group: str  # the name of one of seed_demo.GROUPS
    facilitator: str  # who plans the sessions and takes them through the phases
    sessions: tuple[SessionSpec, ...]
    notes: tuple[NoteSpec, ...] = ()


A, B, C = "Leerling A", "Leerling B", "Leerling C"

INTERVISIE = GroupStorySpec(
    "baken",
    "Intervisie startende docenten",
    "procesbegeleider",
    sessions=(
        SessionSpec(
            -35,
            AFTER_SCHOOL,
            "Lokaal 1.12",
            "Een moment waarop het rustig werd in een onrustige klas",
            held=True,
            phases=(
                PhaseSpec(
                    "voorstructureren",
                    entries=(
                        EntrySpec(
                            "coachee",
                            "In 2B was het na de grote pauze een chaos. Ik ben bij de deur gaan "
                            "staan, heb iedereen persoonlijk begroet en de opdracht stond al op "
                            "het bord. Na drie minuten werkte bijna iedereen.",
                        ),
                        EntrySpec(
                            "mohammed",
                            "Mijn derde klas kwam luidruchtig binnen na de gymles. Ik ben zachter "
                            "gaan praten in plaats van harder; de achterste rij ging elkaar tot "
                            "stilte manen.",
                        ),
                        EntrySpec(
                            "kees",
                            "In 5 havo liep een discussie over de woningmarkt uit de hand. Ik heb "
                            "het gesprek stilgelegd, iedereen eerst een minuut laten opschrijven "
                            "wat hij vond en daarna beurten gegeven. Het gesprek werd inhoudelijk.",
                        ),
                        EntrySpec(
                            "sofie",
                            "Een leerling bleef de hele les storen. Ik heb hem niet voor de klas "
                            "aangesproken, maar bij het rondlopen zacht gevraagd wat er was. Hij "
                            "bleek ruzie te hebben gehad in de pauze; daarna werkte hij door.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "ervaringen",
                    entries=(
                        EntrySpec(
                            "coachee",
                            "Mohammed vroeg wat ik precies deed bij de deur. Ik zei niet alleen "
                            "hallo, maar noemde bij een paar leerlingen iets persoonlijks, zoals "
                            "de wedstrijd van gisteren.",
                        ),
                        EntrySpec(
                            "kees",
                            "Sofie en ik merkten dat we allebei eerst even niets deden: de klas of "
                            "de leerling kreeg een paar seconden voordat we reageerden.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "structureren",
                    entries=(
                        EntrySpec(
                            "procesbegeleider",
                            "Drie patronen: de docent reageert kalmer dan de klas; de leerlingen "
                            "weten meteen wat ze moeten doen; de docent maakt contact met één "
                            "leerling in plaats van de hele klas aan te spreken.",
                        ),
                        EntrySpec(
                            "mohammed",
                            "In geen van de ervaringen kwam straf of een dreigement voor. Het "
                            "werkte juist omdat het rustig en voorspelbaar was.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "inzoomen",
                    entries=(
                        EntrySpec(
                            "procesbegeleider",
                            "We zoomen in op de lesstart van Lotte in 2B. Wat wilde je, wat deed "
                            "je, wat dacht en voelde je, en wat wilden de leerlingen?",
                        ),
                        EntrySpec(
                            "coachee",
                            "Ik wilde dat ze zich welkom voelden, ook na een rommelige pauze. Ik "
                            "was zenuwachtig, maar omdat de opdracht al klaarstond hoefde ik niet "
                            "te roepen. De leerlingen wilden vooral weten waar ze aan toe waren.",
                        ),
                        EntrySpec(
                            "sofie",
                            "Wat mij opvalt: doordat de opdracht al op het bord stond, kon Lotte "
                            "aandacht geven aan de leerlingen in plaats van aan de orde.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "theorie",
                    principles=(
                        EntrySpec(
                            "coachee",
                            "Begin de les bij de deur: een persoonlijke begroeting doet meer dan "
                            "een klassikale waarschuwing.",
                        ),
                        EntrySpec(
                            "mohammed",
                            "Zorg dat de eerste opdracht al klaarstaat, zodat leerlingen meteen "
                            "weten wat ze moeten doen.",
                        ),
                        EntrySpec(
                            "kees",
                            "Reageer op onrust rustiger en zachter dan de klas, niet harder.",
                        ),
                    ),
                ),
            ),
        ),
        SessionSpec(
            -14,
            AFTER_SCHOOL,
            "Lokaal 1.12",
            "Onrust bij de overgang van uitleg naar zelfstandig werken",
            held=True,
            absent=("mohammed",),
            phases=(
                PhaseSpec(
                    "voorstructureren",
                    entries=(
                        EntrySpec(
                            "kees",
                            "In 4 havo heb ik vóór de uitleg gezegd: 'Straks werken jullie "
                            "twintig minuten aan opgave 3 tot en met 7.' De overgang ging zonder "
                            "gepraat.",
                        ),
                        EntrySpec(
                            "sofie",
                            "Ik zet sinds kort een timer op het bord bij zelfstandig werken. De "
                            "vragen 'hoe lang nog?' zijn verdwenen.",
                        ),
                        EntrySpec(
                            "coachee",
                            "In 2C liep ik na de uitleg meteen naar de leerling die altijd als "
                            "eerste gaat kletsen. Hij begon zonder iets te zeggen.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "ervaringen",
                    entries=(
                        EntrySpec(
                            "sofie",
                            "Kees en ik deden allebei hetzelfde: de leerlingen wisten vooraf hoe "
                            "lang de volgende fase duurt en wat er dan af moet zijn.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "structureren",
                    entries=(
                        EntrySpec(
                            "procesbegeleider",
                            "Het patroon van vorige keer komt terug: voorspelbaarheid. Nieuw is "
                            "dat het hier gaat om het aankondigen van wat komt.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "inzoomen",
                    entries=(
                        EntrySpec(
                            "coachee",
                            "Bij mijn leerling in 2C wilde ik hem niet voor de klas aanspreken. "
                            "Door er alleen naast te gaan staan, wist hij dat ik het zag, zonder "
                            "dat hij zijn gezicht hoefde te redden.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "theorie",
                    principles=(
                        EntrySpec(
                            "sofie",
                            "Kondig een overgang aan en zeg hoe lang de volgende fase duurt en "
                            "wat er dan af moet zijn.",
                        ),
                        EntrySpec(
                            "coachee",
                            "Spreek een leerling die blijft storen één op één aan tijdens het "
                            "rondlopen, niet voor de hele klas.",
                        ),
                    ),
                ),
            ),
        ),
        SessionSpec(
            7,
            AFTER_SCHOOL,
            "Lokaal 1.12",
            "Onrust in het laatste lesuur van de dag",
        ),
    ),
    notes=(
        NoteSpec(
            "coachee",
            "Ik heb de begroeting bij de deur nu drie weken volgehouden in 2B. Het werkt nog "
            "steeds, ook op maandag het eerste uur.",
        ),
        NoteSpec(
            "procesbegeleider",
            "Neem voor de volgende keer allemaal een ervaring mee uit een les in het laatste uur "
            "van de dag, het liefst een die goed ging.",
        ),
    ),
)

LESSON_STUDY = GroupStorySpec(
    "baken",
    "Lesson study wiskunde",
    "procesbegeleider",
    sessions=(
        SessionSpec(
            -28,
            THIRD_PERIOD,
            "Lokaal 2.07 (klas 1A)",
            "Onderzoeksles 1: breuken optellen in 1A, gegeven door Yasmina",
            research_lesson=1,
            held=True,
            phases=(
                PhaseSpec(
                    "orientatie",
                    entries=(
                        EntrySpec(
                            "willem",
                            "Onderzoeksvraag: kiezen leerlingen in de brugklas zelf een handige "
                            "manier om breuken op te tellen (een tekening, gelijknamig maken, "
                            "omzetten naar kommagetallen) als ze de manieren eerst vergelijken?",
                        ),
                        EntrySpec(
                            "rik",
                            "Uit het artikel dat de sectie las: leerlingen die manieren naast "
                            "elkaar leggen, kiezen later beter dan leerlingen die er één "
                            "voorgedaan krijgen.",
                        ),
                        EntrySpec(
                            "yasmina",
                            "Casusleerlingen in 1A: A haalt hoge cijfers, B zit in het midden en C "
                            "heeft moeite met breuken. In de app noemen we ze alleen A, B en C.",
                        ),
                        EntrySpec(
                            "willem",
                            "Lesopzet: instap met 1/2 + 1/3 op het bord (5 minuten); in "
                            "tweetallen drie manieren uitproberen (15 minuten); klassikaal "
                            "vergelijken welke manier je bij 3/4 + 5/6 kiest en waarom (15 "
                            "minuten); exit ticket met één opgave.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "ontwerp",
                    entries=(
                        EntrySpec(
                            "yasmina",
                            "A kiest meteen gelijknamig maken en is snel klaar; bij het "
                            "vergelijken zegt A dat de andere manieren omslachtig zijn.",
                            case_pupil=A,
                        ),
                        EntrySpec(
                            "yasmina",
                            "B begint met een tekening (pizzapunten) en stapt over op gelijknamig "
                            "maken als de noemers groter worden.",
                            case_pupil=B,
                        ),
                        EntrySpec(
                            "willem",
                            "C telt tellers en noemers bij elkaar op (1/2 + 1/3 = 2/5) en merkt "
                            "pas bij de tekening dat dat niet kan.",
                            case_pupil=C,
                        ),
                    ),
                ),
                PhaseSpec(
                    "observatie",
                    entries=(
                        EntrySpec(
                            "rik",
                            "A rekent 1/2 + 1/3 direct uit met gelijknamig maken (5/6). Helpt "
                            "daarna de buurvrouw, maar legt alleen het trucje uit, niet waarom.",
                            case_pupil=A,
                        ),
                        EntrySpec(
                            "thijs",
                            "B tekent twee pizza's, ziet dat de punten niet even groot zijn en "
                            "zegt: 'Ze moeten even groot zijn, anders kun je ze niet optellen.' "
                            "Maakt zelf zesden.",
                            case_pupil=B,
                        ),
                        EntrySpec(
                            "willem",
                            "C schrijft eerst 2/5. Bij de tekening zegt C: 'Dat kan niet, 2/5 is "
                            "minder dan 1/2.' Gumt het antwoord uit.",
                            case_pupil=C,
                        ),
                        EntrySpec(
                            "hans",
                            "Bij het klassikaal vergelijken zegt C niets, maar neemt de tekening "
                            "van het bord over in het schrift.",
                            case_pupil=C,
                        ),
                    ),
                ),
                PhaseSpec(
                    "interviews",
                    entries=(
                        EntrySpec(
                            "thijs",
                            "'Ik wist het al, dus ik deed het gewoon zo. Tekenen is voor als je "
                            "het niet snapt.'",
                            case_pupil=A,
                        ),
                        EntrySpec(
                            "rik",
                            "'Met de pizza zag ik waarom de stukken even groot moeten zijn. Bij "
                            "3/4 + 5/6 ga ik niet tekenen, dat worden te veel stukjes.'",
                            case_pupil=B,
                        ),
                        EntrySpec(
                            "willem",
                            "'Ik dacht dat je gewoon boven en onder optelt. Nu weet ik dat het "
                            "niet klopt, maar nog niet zeker hoe het wel moet.'",
                            case_pupil=C,
                        ),
                    ),
                ),
                PhaseSpec(
                    "nabespreking",
                    entries=(
                        EntrySpec(
                            "procesbegeleider",
                            "We beginnen bij de casusleerlingen. B en C deden wat we voorspelden, "
                            "maar C ontdekte de fout zelf dankzij de tekening. A vergeleek niet: "
                            "A had geen reden om naar een andere manier te kijken.",
                        ),
                        EntrySpec(
                            "yasmina",
                            "Het klassikaal vergelijken was te kort; 3/4 + 5/6 kwam pas in de "
                            "laatste vijf minuten aan bod.",
                        ),
                        EntrySpec(
                            "willem",
                            "Er zat geen opgave in waarbij tekenen of kommagetallen echt handiger "
                            "is. Dan valt er voor A ook niets te kiezen.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "herontwerp",
                    entries=(
                        EntrySpec(
                            "yasmina",
                            "Herziene les: we beginnen met 1/2 + 1/4 (tekenen is handig) en 3/8 + "
                            "5/12 (gelijknamig maken is handig), zodat er iets te kiezen valt. Het "
                            "vergelijken krijgt twintig minuten en begint met de vraag: 'Welke "
                            "manier zou je bij deze opgave níét kiezen, en waarom?'",
                        ),
                        EntrySpec(
                            "willem",
                            "Rik geeft de herziene les in 1C, met weer een sterke, een gemiddelde "
                            "en een zwakkere rekenaar als casusleerlingen.",
                        ),
                    ),
                ),
            ),
        ),
        SessionSpec(
            -1,
            THIRD_PERIOD,
            "Lokaal 2.09 (klas 1C)",
            "Onderzoeksles 2: de herziene les in 1C, gegeven door Rik",
            research_lesson=2,
            absent=("thijs",),
            phases=(
                PhaseSpec(
                    "ontwerp",
                    entries=(
                        EntrySpec(
                            "rik",
                            "A kiest bij 1/2 + 1/4 eerst gelijknamig maken, maar noemt bij het "
                            "vergelijken de tekening sneller voor deze opgave.",
                            case_pupil=A,
                        ),
                        EntrySpec(
                            "rik",
                            "B tekent bij beide opgaven en loopt bij 3/8 + 5/12 vast op de "
                            "kleine stukjes.",
                            case_pupil=B,
                        ),
                        EntrySpec(
                            "yasmina",
                            "C tekent bij 1/2 + 1/4 en krijgt het goed; bij de tweede opgave "
                            "vraagt C om hulp.",
                            case_pupil=C,
                        ),
                    ),
                ),
                PhaseSpec(
                    "observatie",
                    entries=(
                        EntrySpec(
                            "willem",
                            "A begint met gelijknamig maken, kijkt naar de tekening van de buurman "
                            "en zegt: 'O, zo gaat het sneller.'",
                            case_pupil=A,
                        ),
                        EntrySpec(
                            "yasmina",
                            "C tekent bij 1/2 + 1/4 een tekening en schrijft 3/4. Bij 3/8 + 5/12 "
                            "stopt C en kijkt rond; steekt na twee minuten de vinger op.",
                            case_pupil=C,
                        ),
                    ),
                ),
            ),
        ),
    ),
    notes=(
        NoteSpec(
            "willem",
            "De herziene les staat in de gedeelde map van de sectie wiskunde. Rik, laat je weten "
            "of je voor 1C nog iets wilt aanpassen?",
        ),
    ),
)

VIDEOCLUB = GroupStorySpec(
    "baken",
    "Videoclub instructie",
    "procesbegeleider",
    sessions=(
        SessionSpec(
            -2,
            AFTER_SCHOOL,
            "Mediatheek",
            "Wanneer weten de leerlingen wat de bedoeling van de les is?",
            phases=(
                PhaseSpec(
                    "clip",
                    clips=(
                        ClipSpec(
                            "student",
                            "Lesstart biologie in 2B (vier minuten)",
                            "https://example.org/videoclub/lesstart-biologie-2b",
                        ),
                    ),
                ),
                PhaseSpec(
                    "focusvraag",
                    entries=(
                        EntrySpec(
                            "student",
                            "Mijn vraag: op welk moment hebben de leerlingen door wat de "
                            "bedoeling van de les is, en waaraan zie je dat?",
                        ),
                    ),
                ),
                PhaseSpec(
                    "waarnemen",
                    entries=(
                        EntrySpec(
                            "coach",
                            "Op 0:40 vraagt een meisje vooraan: 'Moeten we het boek pakken?' Drie "
                            "leerlingen kijken naar haar en pakken dan hun boek.",
                            interpretation="De leerlingen halen de bedoeling bij elkaar, niet "
                            "bij het bord: het lesdoel stond er op dat moment nog niet.",
                        ),
                        EntrySpec(
                            "opleider",
                            "Op 2:15 schrijft Daan het lesdoel op het bord. Het gepraat achterin "
                            "houdt op zodra hij het hardop voorleest.",
                            interpretation="Het hardop voorlezen lijkt voor deze klas het signaal "
                            "dat de les begint, meer dan de bel.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    notes=(
        NoteSpec(
            "procesbegeleider",
            "Afspraak voor de videoclub: we beschrijven wat leerlingen doen en zeggen, niet wat de "
            "docent fout doet. Een clip blijft binnen de groep en verdwijnt na een maand.",
        ),
    ),
)

ONTWERPATELIER = GroupStorySpec(
    "baken",
    "Ontwerpatelier formatief evalueren",
    "hans",
    sessions=(
        SessionSpec(
            -7,
            AFTER_SCHOOL,
            "Personeelskamer",
            "Een exit ticket van hooguit drie vragen",
            phases=(
                PhaseSpec(
                    "ontwerpvraag",
                    entries=(
                        EntrySpec(
                            "hans",
                            "Ontwerpvraag: hoe maken we een exit ticket van hooguit drie vragen "
                            "waarmee je in twee minuten ziet wie het lesdoel nog niet beheerst, en "
                            "wat je de volgende les dan doet?",
                        ),
                        EntrySpec(
                            "ilse",
                            "Eis: het ticket moet in elk vak werken, ook bij Frans, waar het "
                            "lesdoel vaak een vaardigheid is en geen kennis.",
                        ),
                    ),
                ),
                PhaseSpec(
                    "iteratie",
                    entries=(
                        EntrySpec(
                            "emma",
                            "Versie 1 had drie open vragen: wat heb je geleerd, wat vond je "
                            "lastig, en één opgave. In 4 havo schreven bijna alle leerlingen bij "
                            "de eerste vraag 'over de Verlichting'. Dat zegt niets.",
                        ),
                        EntrySpec(
                            "opleider",
                            "Versie 2: de eerste vraag wordt een meerkeuzevraag met een "
                            "veelgemaakte fout als afleider. Zo zie je meteen wie de misvatting "
                            "nog heeft.",
                        ),
                        EntrySpec(
                            "coach",
                            "Idee voor versie 3: leerlingen kleuren aan hoe zeker ze van hun "
                            "antwoord zijn, zodat je gokken en begrijpen uit elkaar kunt houden.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

GROUP_STORIES = (INTERVISIE, LESSON_STUDY, VIDEOCLUB, ONTWERPATELIER)
