"""A labelled sample of recovery stories, made from phrase banks, for measuring theme discovery.

The stories are invented. Each is a first-person passage built from an opening, three to five sentences drawn from
one theme's bank (with names, times and doses varied), a sentence or two that any story might contain, and a closing.
Used by the discovery tests, the benchmarks and the demo data.

Themes: six of ordinary size in English, one small theme (Deaf people's access to services, only a few stories), two
themes told in Spanish as well, and a few stories that fit no theme at all.
"""

import random
from dataclasses import dataclass

# The label given to stories that belong to no theme; each such story is its own class when scoring.
NO_THEME = "none"


@dataclass(frozen=True)
class SampleStory:
    text: str
    theme: str
    language: str


OPENINGS = {
    "en": [
        "I never thought I would write any of this down.",
        "I'm sharing this because I wish I had read something like it {time}.",
        "This is my story, or part of it anyway.",
        "I've started this a few times and deleted it.",
        "I don't really know where to begin, so I'll start {time}.",
        "Nobody asked me about this for a long time, so here it is.",
        "I'm {age} now and things are different.",
        "Writing this feels strange but I want people to know.",
    ],
    "es": [
        "Nunca pensé que escribiría esto.",
        "Comparto esto porque me habría gustado leer algo así {time}.",
        "Esta es mi historia, o una parte de ella.",
        "He empezado a escribir esto varias veces.",
        "Tengo {age} años y las cosas han cambiado.",
    ],
}

CLOSINGS = {
    "en": [
        "If you're reading this and going through something similar, you're not on your own.",
        "I don't have a neat ending, but I'm still here.",
        "Things aren't perfect, but they are mine.",
        "Some days are still hard, and that's alright.",
        "I hope someone finds this useful.",
        "That's where I am now.",
        "I wanted this written down somewhere.",
    ],
    "es": [
        "Si estás pasando por algo parecido, no estás solo.",
        "No tengo un final bonito, pero sigo aquí.",
        "Hay días difíciles todavía, y está bien.",
        "Espero que a alguien le sirva.",
    ],
}

# Sentences any recovery story might contain, whatever it is about: they make discovery harder, as real stories do.
COMMON = {
    "en": [
        "Some days I could barely get out of bed.",
        "It took me a long time to talk about any of it.",
        "I felt like nobody was really listening.",
        "Looking back, I was struggling for years before anyone noticed.",
        "My sleep was all over the place.",
        "I kept a lot of it to myself.",
        "There were good weeks and really bad weeks.",
        "I was so tired of explaining myself to different people.",
        "I still have bad days.",
    ],
    "es": [
        "Algunos días no podía levantarme de la cama.",
        "Me costó mucho tiempo hablar de todo esto.",
        "Sentía que nadie me escuchaba de verdad.",
        "Todavía tengo días malos.",
    ],
}

THEMES = {
    ("medication", "en"): [
        "The first tablets they put me on made me put on {weight} in a few months.",
        "I was on {drug} for {duration} and the side effects were awful.",
        "Nobody explained the side effects of the medication before I started it.",
        "The dose kept going up every time I saw the psychiatrist.",
        "Coming off {drug} was the hardest thing I've done; the withdrawal lasted weeks.",
        "I felt like a zombie on the medication, flat and numb.",
        "My GP kept changing my prescription without really asking how I was.",
        "I wanted to reduce the dose slowly but the doctor said I had to stay on it.",
        "The pills stopped the panic but I couldn't feel anything else either.",
        "I asked about tapering off the antidepressants and was told it was dangerous to stop.",
        "The tremor and the dry mouth from the tablets made me ashamed to go out.",
        "After a medication review with a pharmacist I finally got a dose that suited me.",
        "I'm still on a low dose and I've made my peace with the tablets.",
    ],
    ("voices", "en"): [
        "I started hearing voices {time}.",
        "The voices were loud and unkind and they talked about me all day.",
        "For years I thought hearing voices meant I was broken.",
        "At a hearing voices group I met people who heard voices too and were living their lives.",
        "I learned to talk back to the voices and set limits with them.",
        "One of my voices is actually quite kind now, which nobody believes.",
        "I saw things other people couldn't see, shapes in the corner of the room.",
        "The psychiatrist only wanted to get rid of the voices; I wanted to understand them.",
        "When I'm stressed the voices get louder, so I've learned what stresses me.",
        "I don't call it psychosis any more, I call it my experiences.",
        "Writing down what the voices said helped me see patterns.",
        "I had beliefs other people found strange and I was scared to say them out loud.",
    ],
    ("peer_support", "en"): [
        "The peer support worker was the first person who said they'd been there too.",
        "Going to a peer support group every {weekday} changed things for me.",
        "Meeting other people with lived experience made me feel less alone.",
        "Nobody in the group tried to fix me, they just listened.",
        "Now I volunteer as a peer supporter myself and run the {weekday} group.",
        "Sharing stories in the group was scary at first but it got easier.",
        "A peer mentor walked with me to my first appointment.",
        "The recovery college course was run by people with lived experience, not just professionals.",
        "Being with peers meant I didn't have to explain everything from the start.",
        "We laugh a lot in the group, which surprises people.",
        "I trained as a peer worker and now I'm paid for what I know from the inside.",
        "Online peer forums kept me going through the nights.",
    ],
    ("crisis", "en"): [
        "I ended up in A&E at {clock} in the morning after waiting all night.",
        "The crisis team came out but only stayed for ten minutes.",
        "I was sectioned {time} and taken to a ward miles from home.",
        "On the ward the staff were stretched and the nights were loud.",
        "I rang the crisis line and was put on hold for an hour.",
        "Being restrained on the ward is something I still have nightmares about.",
        "The police took me to a place of safety because there was no bed.",
        "A&E was no place to be when you're in that state.",
        "The home treatment team visited every day for two weeks and that kept me out of hospital.",
        "I was discharged from the ward with a leaflet and a number to call.",
        "A nurse on the ward sat with me one night and I've never forgotten it.",
        "My crisis plan was written without me and nobody looked at it when it mattered.",
    ],
    ("work_money", "en"): [
        "I lost my job {time} after too many days off sick.",
        "The benefits assessment made me feel like a liar.",
        "I had to go through a work capability assessment and it took months to appeal.",
        "My manager was supportive and let me come back on a phased return.",
        "Money worries made everything worse; I was choosing between heating and eating.",
        "Universal Credit was cut and I fell behind on rent.",
        "Going back to work part time gave me a reason to get up.",
        "I didn't tell my employer about my diagnosis because I was scared of losing my job.",
        "An employment support worker helped me find a job that fitted around my health.",
        "The debt letters piled up on the mat and I couldn't open them.",
        "Occupational health at work finally agreed to reasonable adjustments.",
        "Volunteering in a charity shop was my first step back into work.",
    ],
    ("family", "en"): [
        "My mum didn't understand at first and kept telling me to snap out of it.",
        "Being a parent while unwell meant I hid a lot from my children.",
        "My partner became my carer and that changed our relationship.",
        "I was terrified social services would take my kids.",
        "My dad and I never talked about feelings, but he drove me to every appointment.",
        "My sister was the one who noticed something was wrong.",
        "Caring for my son through his illness wore me down too.",
        "Family therapy helped us say things we'd been avoiding for years.",
        "My children know more now, and they're kinder about it than I expected.",
        "After my divorce I moved back in with my parents.",
        "As a carer nobody asked how I was coping, only how my husband was.",
        "My grandmother had the same struggles but the family never spoke about it.",
    ],
    ("deaf_access", "en"): [
        "As a Deaf person I waited months for a BSL interpreter for my therapy.",
        "The crisis line was phone only, which is useless when you're Deaf.",
        "My therapist didn't sign, so my hearing daughter had to interpret my feelings for me.",
        "Finding a counsellor who uses British Sign Language changed everything.",
        "The mental health forms and letters were written for hearing people, not Deaf people like me.",
        "The interpreter didn't turn up to my assessment so it was cancelled again.",
        "A Deaf peer group where everyone signs was the first place I felt understood.",
    ],
    ("medication", "es"): [
        "Los primeros medicamentos me hicieron engordar {kilos} kilos en pocos meses.",
        "Tomé {drug} durante {duracion} y los efectos secundarios eran terribles.",
        "Nadie me explicó los efectos secundarios de la medicación.",
        "El psiquiatra me subía la dosis en cada consulta.",
        "Dejar las pastillas fue lo más difícil; el síndrome de abstinencia duró semanas.",
        "Con la medicación me sentía como un zombi, sin emociones.",
        "Pedí reducir la dosis poco a poco y el médico me dijo que no.",
        "Ahora tomo una dosis baja y he hecho las paces con las pastillas.",
    ],
    ("peer_support", "es"): [
        "En el grupo de apoyo mutuo conocí a personas que habían pasado por lo mismo.",
        "La primera persona que me entendió fue una compañera con experiencia propia.",
        "Nadie en el grupo intentaba arreglarme, solo me escuchaban.",
        "Ahora soy voluntaria y coordino el grupo de apoyo los {dia}.",
        "Compartir nuestras historias en el grupo me dio fuerza.",
        "Con mis compañeros no tenía que explicarlo todo desde el principio.",
        "Me formé como agente de apoyo entre iguales y ahora trabajo en ello.",
    ],
}

# Stories about something no other story is about: discovery should call them outliers, not force them in.
UNTHEMED = [
    SampleStory(
        "My story is mostly about my allotment. Digging the beds, growing runner beans and swapping seeds with the old "
        "men on the next plot gave my weeks a shape. Compost, slugs, frost: I think about soil more than anything now.",
        NO_THEME,
        "en",
    ),
    SampleStory(
        "I want to write about my faith. The church choir, the hymns on Sunday and the vicar who prayed with me. Some "
        "people think religion and mental health don't mix, but singing in the choir is where I breathe.",
        NO_THEME,
        "en",
    ),
    SampleStory(
        "Motorbikes. Rebuilding an old engine in the garage with spanners and oil everywhere, then riding the coast "
        "road at dawn. The mechanic who taught me never asked about my diagnosis, he just handed me tools.",
        NO_THEME,
        "en",
    ),
]

SLOTS = {
    "time": ["when I was {age}", "in {year}", "at university", "after my first baby", "during lockdown"],
    "age": [str(n) for n in range(17, 67, 3)],
    "year": [str(y) for y in range(2005, 2025)],
    "weight": ["two stone", "three stone", "a lot of weight"],
    "drug": ["sertraline", "olanzapine", "quetiapine", "lithium", "venlafaxine", "citalopram"],
    "duration": ["six months", "two years", "nearly ten years", "most of my twenties"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday"],
    "clock": ["two", "three", "four", "five"],
    "kilos": ["diez", "quince", "veinte"],
    "duracion": ["seis meses", "dos años", "casi diez años"],
    "dia": ["lunes", "martes", "jueves"],
}

# How many stories of each theme the labelled set has: one small theme among ordinary ones.
LABELLED_SIZES = {
    ("medication", "en"): 12,
    ("voices", "en"): 11,
    ("peer_support", "en"): 11,
    ("crisis", "en"): 11,
    ("work_money", "en"): 10,
    ("family", "en"): 10,
    ("deaf_access", "en"): 4,
    ("medication", "es"): 6,
    ("peer_support", "es"): 6,
}


# The share of stories that also mention, in one sentence, something from another theme.
STRAY_SENTENCE_SHARE = 0.4


def _fill(sentence: str, rng: random.Random) -> str:
    while "{" in sentence:
        start = sentence.index("{")
        end = sentence.index("}", start)
        sentence = sentence[:start] + rng.choice(SLOTS[sentence[start + 1 : end]]) + sentence[end + 1 :]
    return sentence


def make_story(theme: str, language: str, rng: random.Random) -> SampleStory:
    bank = THEMES[(theme, language)]
    picked = rng.sample(bank, k=min(len(bank), rng.randint(3, 5)))
    picked += rng.sample(COMMON[language], k=rng.randint(1, 2))
    if rng.random() < STRAY_SENTENCE_SHARE:
        # Real stories touch other themes in passing: a medication story mentions the ward, a crisis story a mum.
        others = [key for key in THEMES if key[1] == language and key[0] != theme]
        picked.append(rng.choice(THEMES[rng.choice(others)]))
    rng.shuffle(picked)
    sentences = [rng.choice(OPENINGS[language]), *picked, rng.choice(CLOSINGS[language])]
    return SampleStory(" ".join(_fill(sentence, rng) for sentence in sentences), theme, language)


def labelled_stories(seed: int = 7) -> list[SampleStory]:
    """The labelled set: 81 themed stories (one theme of only four) in English and Spanish, and 3 unthemed ones."""
    rng = random.Random(seed)  # noqa: S311 (reproducible sample text, not security)
    stories = [make_story(theme, language, rng) for (theme, language), n in LABELLED_SIZES.items() for _ in range(n)]
    stories += UNTHEMED
    rng.shuffle(stories)
    return stories


def many_stories(count: int, seed: int = 11) -> list[SampleStory]:
    """`count` stories in the labelled set's proportions, for benchmarks and demo data."""
    rng = random.Random(seed)  # noqa: S311 (reproducible sample text, not security)
    keys = list(LABELLED_SIZES)
    weights = list(LABELLED_SIZES.values())
    return [make_story(*rng.choices(keys, weights)[0], rng) for _ in range(count)]
