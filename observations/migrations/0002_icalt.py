"""ICALT, built in: 32 teaching items in 6 domains, 3 learner-engagement items, 4-point scale.

The data is written out here rather than read from a file, so this migration means the same
thing forever. Item wordings are the short forms of reference/icalt.md. No indicator texts:
they belong to the licensed ICALT form, and a school imports its own.
"""

from django.db import migrations

ICALT = {
    "key": "icalt",
    "version": "1",
    "name_nl": "ICALT lesobservatie",
    "name_en": "ICALT lesson observation",
    "source": "Van de Grift, W.J.C.M. (2007). Quality of teaching in four European countries: a "
    "review of the literature and application of an assessment instrument. Educational "
    "Research, 49(2), 127-152; and the domain descriptions of the University of "
    "Groningen (RUG). Short item wordings as in the project's reference/icalt.md; check "
    "them against the official ICALT form before relying on the exact wording. "
    "Indicators are not included: they belong to the licensed form.",
    "scale": [
        {"value": 1, "label_nl": "overwegend zwak", "label_en": "predominantly weak"},
        {
            "value": 2,
            "label_nl": "meer zwak dan sterk",
            "label_en": "more weaknesses than strengths",
        },
        {
            "value": 3,
            "label_nl": "meer sterk dan zwak",
            "label_en": "more strengths than weaknesses",
        },
        {"value": 4, "label_nl": "overwegend sterk", "label_en": "predominantly strong"},
    ],
    "domains": [
        {
            "number": 1,
            "name_nl": "Veilig en stimulerend leerklimaat",
            "name_en": "Safe and stimulating learning climate",
            "is_teaching": True,
            "items": [
                {
                    "number": 1,
                    "text_nl": "toont in gedrag en taalgebruik respect voor leerlingen",
                    "text_en": "shows respect for learners in behaviour and language",
                },
                {
                    "number": 2,
                    "text_nl": "zorgt voor een ontspannen sfeer",
                    "text_en": "maintains a relaxed atmosphere",
                },
                {
                    "number": 3,
                    "text_nl": "ondersteunt het zelfvertrouwen van leerlingen",
                    "text_en": "supports learners' self-confidence",
                },
                {
                    "number": 4,
                    "text_nl": "zorgt voor wederzijds respect",
                    "text_en": "fosters mutual respect",
                },
            ],
        },
        {
            "number": 2,
            "name_nl": "Efficiënte lesorganisatie",
            "name_en": "Efficient classroom management",
            "is_teaching": True,
            "items": [
                {
                    "number": 5,
                    "text_nl": "zorgt voor een ordelijk verloop van de les",
                    "text_en": "ensures the lesson proceeds in an orderly way",
                },
                {
                    "number": 6,
                    "text_nl": "controleert of leerlingen de activiteiten op de juiste "
                    "manier uitvoeren",
                    "text_en": "checks that learners carry out activities in the right way",
                },
                {
                    "number": 7,
                    "text_nl": "zorgt voor doelmatig klassenmanagement",
                    "text_en": "provides effective classroom management",
                },
                {
                    "number": 8,
                    "text_nl": "gebruikt de leertijd efficiënt",
                    "text_en": "uses learning time efficiently",
                },
            ],
        },
        {
            "number": 3,
            "name_nl": "Duidelijke en gestructureerde instructie",
            "name_en": "Clear and structured instruction",
            "is_teaching": True,
            "items": [
                {
                    "number": 9,
                    "text_nl": "geeft duidelijke uitleg van de leerstof",
                    "text_en": "explains the subject matter clearly",
                },
                {
                    "number": 10,
                    "text_nl": "geeft feedback aan leerlingen",
                    "text_en": "gives feedback to learners",
                },
                {
                    "number": 11,
                    "text_nl": "betrekt alle leerlingen bij de les",
                    "text_en": "engages all learners in the lesson",
                },
                {
                    "number": 12,
                    "text_nl": "gaat tijdens de instructie na of leerlingen de leerstof "
                    "begrepen hebben",
                    "text_en": "checks during instruction whether learners have understood",
                },
                {
                    "number": 13,
                    "text_nl": "stimuleert leerlingen om hun best te doen",
                    "text_en": "encourages learners to do their best",
                },
                {
                    "number": 14,
                    "text_nl": "geeft goed gestructureerd les",
                    "text_en": "teaches in a well-structured way",
                },
                {
                    "number": 15,
                    "text_nl": "geeft duidelijke uitleg van het gebruik van didactische "
                    "hulpmiddelen en opdrachten",
                    "text_en": "explains clearly how to use materials and do assignments",
                },
            ],
        },
        {
            "number": 4,
            "name_nl": "Intensieve en activerende les",
            "name_en": "Intensive and activating teaching",
            "is_teaching": True,
            "items": [
                {
                    "number": 16,
                    "text_nl": "biedt activiteiten en werkvormen die leerlingen "
                    "stimuleren tot actieve deelname",
                    "text_en": "offers activities and work forms that get learners "
                    "actively involved",
                },
                {
                    "number": 17,
                    "text_nl": "stimuleert het zelfvertrouwen van zwakke leerlingen",
                    "text_en": "builds the self-confidence of weaker learners",
                },
                {
                    "number": 18,
                    "text_nl": "stimuleert leerlingen om na te denken over oplossingen",
                    "text_en": "stimulates learners to think about solutions",
                },
                {
                    "number": 19,
                    "text_nl": "stelt vragen die leerlingen aanzetten tot nadenken",
                    "text_en": "asks questions that make learners reflect",
                },
                {
                    "number": 20,
                    "text_nl": "laat leerlingen hardop denken",
                    "text_en": "lets learners think aloud",
                },
                {
                    "number": 21,
                    "text_nl": "geeft interactieve instructie",
                    "text_en": "gives interactive instruction",
                },
                {
                    "number": 22,
                    "text_nl": "maakt aan het begin van de les de lesdoelen duidelijk",
                    "text_en": "makes the lesson goals clear at the start",
                },
            ],
        },
        {
            "number": 5,
            "name_nl": "Afstemming van instructie en verwerking op verschillen",
            "name_en": "Adaptive teaching (differentiation)",
            "is_teaching": True,
            "items": [
                {
                    "number": 23,
                    "text_nl": "evalueert of de lesdoelen bereikt zijn",
                    "text_en": "evaluates whether the lesson goals were reached",
                },
                {
                    "number": 24,
                    "text_nl": "biedt zwakke leerlingen extra leer- en instructietijd",
                    "text_en": "gives weaker learners extra learning and instruction time",
                },
                {
                    "number": 25,
                    "text_nl": "stemt de instructie af op relevante verschillen tussen leerlingen",
                    "text_en": "adapts instruction to relevant differences between learners",
                },
                {
                    "number": 26,
                    "text_nl": "stemt de verwerking van de leerstof af op relevante "
                    "verschillen tussen leerlingen",
                    "text_en": "adapts the processing of subject matter to relevant "
                    "differences between learners",
                },
            ],
        },
        {
            "number": 6,
            "name_nl": "Aanleren van leerstrategieën",
            "name_en": "Teaching learning strategies",
            "is_teaching": True,
            "items": [
                {
                    "number": 27,
                    "text_nl": "leert leerlingen hoe ze complexe problemen kunnen vereenvoudigen",
                    "text_en": "teaches learners how to simplify complex problems",
                },
                {
                    "number": 28,
                    "text_nl": "stimuleert het gebruik van controleactiviteiten",
                    "text_en": "stimulates the use of checking activities",
                },
                {
                    "number": 29,
                    "text_nl": "leert leerlingen oplossingen te checken",
                    "text_en": "teaches learners to check solutions",
                },
                {
                    "number": 30,
                    "text_nl": "stimuleert het toepassen van het geleerde",
                    "text_en": "stimulates applying what has been learned",
                },
                {
                    "number": 31,
                    "text_nl": "bevordert het kritisch denken bij leerlingen",
                    "text_en": "promotes critical thinking",
                },
                {
                    "number": 32,
                    "text_nl": "vraagt leerlingen om na te denken over strategieën",
                    "text_en": "asks learners to reflect on strategies",
                },
            ],
        },
        {
            "number": 7,
            "name_nl": "Betrokkenheid van leerlingen",
            "name_en": "Learner engagement",
            "is_teaching": False,
            "items": [
                {
                    "number": 33,
                    "text_nl": "leerlingen zijn betrokken bij de les",
                    "text_en": "learners are engaged in the lesson",
                },
                {
                    "number": 34,
                    "text_nl": "leerlingen tonen dat ze geïnteresseerd zijn",
                    "text_en": "learners show they are interested",
                },
                {
                    "number": 35,
                    "text_nl": "leerlingen zijn actief lerend bezig",
                    "text_en": "learners are actively learning",
                },
            ],
        },
    ],
}


def add_icalt(apps, schema_editor):
    Instrument = apps.get_model("observations", "Instrument")
    ScaleLevel = apps.get_model("observations", "ScaleLevel")
    Domain = apps.get_model("observations", "Domain")
    Item = apps.get_model("observations", "Item")
    if Instrument.objects.filter(key=ICALT["key"], version=ICALT["version"], school=None).exists():
        return
    instrument = Instrument.objects.create(
        key=ICALT["key"],
        version=ICALT["version"],
        name_nl=ICALT["name_nl"],
        name_en=ICALT["name_en"],
        source=ICALT["source"],
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(instrument=instrument, **level) for level in ICALT["scale"]
    )
    for domain_data in ICALT["domains"]:
        items = domain_data["items"]
        domain = Domain.objects.create(
            instrument=instrument,
            number=domain_data["number"],
            name_nl=domain_data["name_nl"],
            name_en=domain_data["name_en"],
            is_teaching=domain_data["is_teaching"],
        )
        Item.objects.bulk_create(
            Item(instrument=instrument, domain=domain, **item) for item in items
        )


def remove_icalt(apps, schema_editor):
    Instrument = apps.get_model("observations", "Instrument")
    Instrument.objects.filter(key=ICALT["key"], version=ICALT["version"], school=None).delete()


class Migration(migrations.Migration):
    dependencies = [("observations", "0001_instruments_visits_observations")]

    operations = [migrations.RunPython(add_icalt, remove_icalt)]
