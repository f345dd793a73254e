"""The demo interviews: original text written for Newsroom.

Every person, organisation, place and quotation here is fictional. Slugs are
the stable keys that make ``load_demo`` idempotent, so do not change them.
"""

LICENCE = "Demo illustration drawn for Newsroom; free to reuse."


def q(text):
    return {"kind": "question", "text": f"<p>{text}</p>"}


def a(*paragraphs, speaker=None, quote=""):
    return {
        "kind": "answer",
        "text": "".join(f"<p>{p}</p>" for p in paragraphs),
        "speaker": speaker,
        "quote": quote,
    }


def photo(key, caption=""):
    return {"kind": "photo", "photo": key, "caption": caption}


def quote(text, attribution):
    return {"kind": "quote", "text": text, "attribution": attribution}


def heading(text):
    return {"kind": "heading", "text": text}


# Scene palettes for pictures.render(); see pictures.py for what each kind draws.
def _landscape(seed, sky, far, near, sun, water=None, **extra):
    return {
        "kind": "landscape",
        "seed": seed,
        "options": dict(sky=sky, far=far, near=near, sun=sun, water=water, **extra),
    }


def _portrait(seed, background, figure):
    return {"kind": "portrait", "seed": seed, "options": {"background": background, "figure": figure}}


PHOTOS = {
    "valen-harbour": {
        "alt_text": "Illustration: layered blue-grey hills under an apricot sky, with a pale sun above the "
        "ridge, reflected in still water.",
        "caption": "Evening over the outer harbour at Hallam Point, the fishing town where Teodora Valen "
        "grew up.",
        "credit": "Northlight Pictures/Ana Keller",
        "focal": (0.55, 0.4),
        "scene": _landscape(
            "valen-harbour",
            sky=((244, 178, 120), (252, 226, 196)),
            far=(150, 160, 190),
            near=(40, 52, 80),
            sun=(255, 236, 200),
            water=(60, 90, 120),
        ),
    },
    "valen-estuary": {
        "alt_text": "Illustration: soft green hills beside a wide, calm estuary under a pale blue sky and a "
        "white sun.",
        "caption": "A restored estuary shore in northern Calloway. The old sea wall was opened in three "
        "places to let the salt marsh return.",
        "credit": "Tidewater Photo Agency/Marek Olsen",
        "focal": (0.4, 0.5),
        "scene": _landscape(
            "valen-estuary",
            sky=((120, 160, 200), (220, 230, 236)),
            far=(150, 175, 170),
            near=(50, 80, 70),
            sun=(255, 250, 235),
            water=(90, 120, 130),
            layers=3,
        ),
    },
    "valen-dusk": {
        "alt_text": "Illustration: dark violet hills at dusk above a still sea, with a rose-coloured glow "
        "around a low sun.",
        "caption": "Dusk over Port Esmé, where a volunteer's street-by-street flood maps changed how the "
        "agency shares its data.",
        "credit": "Harbour Press Agency/Lucía Romero",
        "focal": (0.5, 0.45),
        "scene": _landscape(
            "valen-dusk",
            sky=((48, 40, 92), (226, 140, 128)),
            far=(140, 100, 140),
            near=(30, 26, 50),
            sun=(255, 214, 170),
            water=(46, 44, 84),
        ),
    },
    "haddad-meadow": {
        "alt_text": "Illustration: shafts of light falling through blue-green water onto tall, swaying "
        "blades of seagrass.",
        "caption": "A replanted seagrass meadow in Kestrel Sound, twelve years after the first seeds were "
        "sown.",
        "credit": "Saltline Images/Idris Coelho",
        "focal": (0.5, 0.6),
        "scene": {
            "kind": "underwater",
            "seed": "haddad-meadow",
            "options": {
                "top": (90, 180, 190),
                "bottom": (10, 40, 70),
                "light": (200, 240, 240),
                "grass": (30, 90, 60),
            },
        },
    },
    "haddad-seedbags": {
        "alt_text": "Illustration: dim green water with a few pale rays of light and dense, dark seagrass "
        "along the bottom.",
        "caption": "Planting season: hessian bags of sand and seed dissolve within a year, and the plants "
        "they carried stay.",
        "credit": "Saltline Images/Idris Coelho",
        "focal": (0.5, 0.7),
        "scene": {
            "kind": "underwater",
            "seed": "haddad-seedbags",
            "options": {
                "top": (70, 140, 120),
                "bottom": (8, 36, 40),
                "light": (210, 240, 210),
                "grass": (24, 70, 40),
            },
        },
    },
    "duo-lights": {
        "alt_text": "Illustration: out-of-focus circles of amber, coral and violet light on a dark "
        "background, like stage lights seen from the audience.",
        "caption": "Stage lights at the Lantern Room in Wrenford, the basement club where the duo first "
        "played together.",
        "credit": "Northlight Pictures/Femi Achterberg",
        "focal": (0.5, 0.45),
        "scene": {
            "kind": "bokeh",
            "seed": "duo-lights",
            "options": {
                "top": (20, 15, 35),
                "bottom": (60, 25, 40),
                "lights": [(255, 190, 90), (255, 120, 80), (250, 220, 160), (120, 140, 255)],
            },
        },
    },
    "quist-fields": {
        "alt_text": "Illustration: rolling golden hills under a warm cream sky with a large, soft sun.",
        "caption": "Farmland outside Wrenford, where many of the recipes in the archive were first written "
        "down.",
        "credit": "Tidewater Photo Agency/Marek Olsen",
        "focal": (0.5, 0.5),
        "scene": _landscape(
            "quist-fields",
            sky=((250, 214, 150), (255, 244, 220)),
            far=(222, 184, 110),
            near=(130, 92, 40),
            sun=(255, 252, 236),
        ),
    },
    "anand-bridge": {
        "alt_text": "Illustration: the silhouette of an arched bridge against violet hills and a low sun, "
        "mirrored in a river.",
        "caption": "A footbridge over the Ansel at dusk. Its deck is designed to sway a few centimetres in a "
        "strong wind.",
        "credit": "Harbour Press Agency/Lucía Romero",
        "focal": (0.5, 0.55),
        "scene": _landscape(
            "anand-bridge",
            sky=((60, 50, 110), (240, 150, 110)),
            far=(150, 110, 140),
            near=(35, 30, 55),
            sun=(255, 210, 160),
            water=(50, 50, 90),
            bridge=True,
        ),
    },
    "portrait-jonas": {
        "alt_text": "Illustration: a dark head-and-shoulders silhouette on a blue-grey background, standing "
        "in for a portrait of Jonas Whitcombe.",
        "caption": "Jonas Whitcombe",
        "credit": "Newsroom/Illustration desk",
        "focal": (0.5, 0.4),
        "scene": _portrait(
            "jonas", background=((70, 110, 140), (200, 210, 215), (255, 230, 200)), figure=(40, 45, 60)
        ),
    },
    "portrait-priya": {
        "alt_text": "Illustration: a dark head-and-shoulders silhouette on a warm rose background, standing "
        "in for a portrait of Priya Castellane.",
        "caption": "Priya Castellane",
        "credit": "Newsroom/Illustration desk",
        "focal": (0.5, 0.4),
        "scene": _portrait(
            "priya", background=((170, 90, 90), (240, 210, 190), (255, 240, 210)), figure=(60, 30, 40)
        ),
    },
}


PEOPLE = {
    "jonas-whitcombe": {
        "name": "Jonas Whitcombe",
        "role": "Senior writer",
        "organisation": "Newsroom",
        "portrait": "portrait-jonas",
        "bio": "<p>Jonas Whitcombe covers climate, cities and the institutions that try to govern both. "
        "Before joining the desk he spent eight years as a local reporter on the estuary coast, where he "
        "learned to read a tide table before a press release.</p>",
    },
    "priya-castellane": {
        "name": "Priya Castellane",
        "role": "Culture editor",
        "organisation": "Newsroom",
        "portrait": "portrait-priya",
        "bio": "<p>Priya Castellane edits the culture pages and writes about music, food and the people who "
        "keep small traditions alive. She trained as a cellist, which she says mostly taught her when to "
        "stay quiet in an interview.</p>",
    },
    "teodora-valen": {
        "name": "Teodora Valen",
        "role": "Under-Secretary-General for Coastal Resilience",
        "organisation": "Intergovernmental Agency for Coastal Resilience",
        "bio": "<p>Teodora Valen is a hydraulic engineer. She has led the agency's field programmes since it "
        "was founded and became its Under-Secretary-General six years ago. She grew up in Hallam Point, a "
        "fishing town on the northern coast.</p>",
    },
    "noor-haddad": {
        "name": "Noor Haddad",
        "role": "Marine biologist",
        "organisation": "Kestrel Sound Marine Station",
        "bio": "<p>Dr Noor Haddad studies coastal plant communities and leads the seagrass restoration "
        "programme at Kestrel Sound, one of the longest-running volunteer replanting projects on the "
        "coast.</p>",
    },
    "ines-karlsson": {
        "name": "Ines Karlsson",
        "role": "Jazz pianist",
        "bio": "<p>Ines Karlsson trained as a classical pianist before turning to jazz in her twenties. She "
        "has recorded nine albums, five of them with Bayo Adeyemi.</p>",
    },
    "bayo-adeyemi": {
        "name": "Bayo Adeyemi",
        "role": "Double bassist and composer",
        "bio": "<p>Bayo Adeyemi has played the double bass in clubs, orchestras and pit bands, and teaches "
        "improvisation at the Wrenford Conservatory.</p>",
    },
    "mara-quist": {
        "name": "Mara Quist",
        "role": "Food historian",
        "organisation": "University of Wrenford",
        "bio": "<p>Mara Quist collects handwritten recipe books and the stories of the people who wrote "
        "them.</p>",
    },
    "ravi-anand": {
        "name": "Ravi Anand",
        "role": "Structural engineer",
        "organisation": "Anand & Lowe Engineers",
        "bio": "<p>Ravi Anand designs footbridges and teaches the engineering of lightweight structures.</p>",
    },
}


VALEN_QUOTE = (
    "Relocation that begins early is cheaper, kinder and mostly voluntary. Relocation that begins after a "
    "disaster is an evacuation with the paperwork done afterwards."
)

LONG_INTERVIEW = {
    "slug": "teodora-valen-sea-wall-promise",
    "title": "Teodora Valen: “A sea wall is a promise to people not yet born”",
    "standfirst": "For thirty years Teodora Valen has moved between ministries and mudflats. The "
    "Under-Secretary-General for Coastal Resilience talks about rising water, the politics of retreat, the "
    "money that never arrives on time, and why she still keeps a tide table on her desk.",
    "status": "published",
    "published_days_ago": 2,
    "featured": True,
    "lead_photo": "valen-harbour",
    "authors": ["jonas-whitcombe"],
    "interviewees": ["teodora-valen"],
    "tags": ["Climate", "Oceans", "Cities", "Diplomacy"],
    "blocks": [
        q(
            "You grew up in Hallam Point, a fishing town on the northern coast. What did the sea mean to you "
            "as a child?"
        ),
        a(
            "Everything, and nothing in particular. That sounds like a riddle, but it is the truth of a "
            "harbour childhood. The sea decided when my father left the house and when he came back, what we "
            "ate, whether my mother was cheerful at dinner. Nobody talked about it, in the way nobody talks "
            "about the weather in a room they live in.",
            "I learned the tides before I learned my multiplication tables. We had a printed tide table "
            "pinned to the kitchen door, and my job at seven years old was to read out the evening high "
            "water. If I got it wrong, the boat was late and the whole street knew whose daughter had made "
            "the mistake.",
            "So when people ask me when I became interested in the coast, I find it a slightly strange "
            "question. It is like asking when you became interested in your own family.",
        ),
        q("When did you first see the water as a threat rather than a living?"),
        a(
            "The winter I turned nineteen. A storm surge came in on a spring tide with the wind behind it, "
            "and the harbour wall that had stood for a hundred and forty years gave way along a third of its "
            "length. Nobody died, which was luck and nothing else. Forty houses on the lower road were never "
            "lived in again.",
            "What stayed with me was not the water itself. It was the meeting in the school hall afterwards. "
            "Engineers from the capital explained, very politely, that the wall had been designed for a sea "
            "that no longer existed. They had the numbers; we had the mud in our kitchens. I remember "
            "thinking that somebody ought to be able to stand in both places at once.",
            "I enrolled in hydraulic engineering the following autumn. My father thought it was a betrayal "
            "of the boats. Years later he admitted it was the most <em>harbour</em> thing I could have done.",
        ),
        q("The agency you lead was founded eleven years ago. What was it actually meant to do?"),
        a(
            "On paper, to coordinate. Forty-one member states signed a charter that asks us to share data, "
            "pool expertise and help finance adaptation on coasts that cannot manage it alone. Coordination "
            "is a word that makes everybody nod and nobody act, so in practice we had to decide what it "
            "meant.",
            "We settled on three things. First, measurement: if two neighbouring countries use different "
            "reference levels for the sea, they will build walls that do not meet. Second, people: we keep a "
            "roster of about three hundred engineers, planners and social workers who can be deployed within "
            "a fortnight. Third, money, which is the least glamorous and the most decisive.",
            "The charter gives us no power to tell a government what to do. I have come to think that is a "
            "strength. Nobody has to defend themselves against us, so they tell us the truth more often than "
            "they tell each other.",
        ),
        q("What does a coastal resilience plan contain, in plain language?"),
        a(
            "Honest answers to four questions. Where will the water be in thirty and in eighty years, under "
            "a cautious and a pessimistic scenario? What do we want to protect, and why? What will we let "
            "the sea take, and when? And who pays for each of those decisions?",
            "A good plan fits on a kitchen table. The technical annexes can run to a thousand pages, but the "
            "part that matters should be something a mayor can read aloud in a town hall without an "
            "interpreter. In the agency we have a rule: if the summary needs a glossary, it goes back to the "
            "team.",
            "The part that is usually missing is the third question. Everyone is happy to draw lines on maps "
            "showing what will be defended. Very few plans are willing to draw the other line.",
            quote="A good plan fits on a kitchen table.",
        ),
        heading("The other line on the map"),
        q("You have said that “retreat” should not be a dirty word. Why does it remain one?"),
        a(
            "Because it sounds like defeat, and no politician wants to be photographed losing to the "
            "weather. We borrowed the word from the military, which was a mistake. When a town moves its "
            "school uphill over fifteen years, that is not a rout. It is planning, the same way a family "
            "plans for a child leaving home.",
            "I prefer <strong>managed relocation</strong>, although I know it sounds like something a "
            "consultant invented, which it was. The words matter less than the timing. " + VALEN_QUOTE,
            "In the delta city of Varrow the council decided in its second year of planning that three low "
            "districts would not be defended beyond 2060. They published the date. Property prices adjusted "
            "slowly, people had decades to decide, and the new neighbourhoods were designed with the "
            "families who would move into them. It was not painless. It was honest.",
        ),
        quote(VALEN_QUOTE, "Teodora Valen"),
        q("How do you talk to a family whose street will not be defended?"),
        a(
            "In person, first of all, and never with a slide deck. I have made every mistake you can make in "
            "those rooms. I have been too technical, too sympathetic, too late. The lesson is that people "
            "can bear almost any news if they believe you are telling them all of it.",
            "What they cannot bear is the feeling that the decision was made somewhere else and they are "
            "being handled. So we bring the uncertainty into the room. We show them the range, not a single "
            "line, and we tell them which parts of the plan they can still change. There are always some.",
            "And then we come back. The second meeting, a month later, matters more than the first. That is "
            "where you find out whether anyone trusts you.",
        ),
        photo("valen-estuary"),
        q("Let us talk about money. Who pays for adaptation?"),
        a(
            "Today, mostly the people who can least afford it, through losses nobody insures. The public "
            "figures are large, and they should be, but they hide how much is paid privately: in rebuilt "
            "kitchens, abandoned fields, and children who leave school to help at home.",
            "The agency runs a fund that pools contributions from member states and lends on long terms to "
            "coastal municipalities. Last year it paid out about 1.8 billion. That sounds substantial until "
            "you set it against the estimates of what is needed, which are at least twenty times larger. We "
            "are not the answer to the money question. We are a demonstration that it can be answered.",
            "The most useful thing we do is boring: we help cities prepare projects that lenders can "
            "actually finance. A surprising amount of money goes unspent every year because the applications "
            "are not ready.",
        ),
        q(
            "Pledges made at international summits are often far larger than what arrives. Is that "
            "frustrating?"
        ),
        a(
            "Frustrating is a polite word. A pledge is a press release. A disbursement is a pumping station. "
            "I have learned to read the two columns separately, and to be grateful, loudly and publicly, to "
            "the governments whose second column is as long as their first.",
            "We now publish a simple table every quarter: promised, committed, paid. No commentary, no "
            "ranking. You would be surprised how effective a table can be. Several finance ministries have "
            "told us privately that they dread the quarterly email.",
        ),
        q("Engineers used to reach for concrete. Has that changed?"),
        a(
            "Completely, and not only for ecological reasons. A salt marsh in front of a dyke absorbs wave "
            "energy, grows with the sediment it traps and asks for no maintenance budget. Mangroves do the "
            "same in warmer waters. A concrete wall is at its strongest on the day it is finished and weaker "
            "every year after that.",
            "The mistake would be to swing too far. There are places where only hard defences will do: a "
            "port, a hospital, a power station. The craft is in combining them, a living foreshore in front "
            "and a modest wall behind. My generation of engineers was trained to think of nature as the load "
            "on the structure. The best young engineers I meet think of it as part of the structure.",
            "I should add that the marsh is also the option fishermen like, because the fish like it. When "
            "you can make the harbour's economy an ally of the plan, half the battle is won.",
        ),
        q(
            "Your agency is known for its data. What have the measurements taught you that the models did "
            "not?"
        ),
        a(
            "That the land moves as well as the water. We put precise positioning stations on the tide "
            "gauges in our network, and at about a fifth of them the ground is sinking faster than the sea "
            "is rising: groundwater pumping, the weight of new buildings, old peat drying out. For those "
            "cities the most effective climate policy is a groundwater policy.",
            "The second lesson was about people rather than physics. For years our data portal was excellent "
            "and almost nobody used it. Then a volunteer in Port Esmé built a little website that showed, "
            "street by street, how many days a year the drains backed up. It had ten thousand visitors in "
            "its first week.",
        ),
        photo("valen-dusk"),
        a(
            "That website taught us more about communication than a decade of reports. People do not think "
            "in millimetres per year. They think in the number of mornings they cannot walk the children to "
            "school without boots.",
            "We hired the volunteer. She now runs a team of six, and the maps she designed are used in <a "
            'href="https://example.org/coastal-data">our public data service</a> in fourteen languages.',
        ),
        heading("The long view"),
        q("Who are the engineers and planners joining the field now?"),
        a(
            "A far more varied group than my year, when I was one of four women in a lecture hall of ninety. "
            "The roster today is more than half women, and it includes anthropologists, economists and, "
            "since last year, two insurance actuaries, who turned out to be the best storytellers in the "
            "building.",
            "What they share is impatience, and I mean that as a compliment. They did not grow up with the "
            "idea that the climate might change. They grew up watching it change. They have no time for the "
            "debates my generation had thirty years ago, and they are right.",
        ),
        q("What has failure taught you?"),
        a(
            "One project in particular. We helped finance a barrier at the river mouth in Selby Reach that "
            "was technically excellent and socially a disaster. It protected the port and cut the fishing "
            "village off from open water, and nobody had asked the village. The barrier works. The village "
            "is half empty.",
            "Since then every project we fund must publish the record of its public consultations, including "
            "the objections and what was done about them. It slows things down by a few months. It has saved "
            "us from at least two more Selby Reaches that I know of.",
            "Failure in this work is rarely dramatic. It is usually a perfectly built thing in the wrong "
            "place, for the wrong people.",
        ),
        q("Do you feel hopeful?"),
        a(
            "Most days. I do not find hope and worry to be opposites. I worry about the pace of emissions "
            "cuts, because every tenth of a degree makes my job harder and some coasts impossible to hold. "
            "But adaptation is a field where effort visibly pays off. A well-planned town floods less. You "
            "can stand on the marsh and watch it work.",
            "What I do not allow myself is despair, because despair is a luxury for people who are not "
            "responsible for anything. The mayor of a sinking town does not get to despair on a Tuesday "
            "morning. Neither do I.",
        ),
        q("You still keep a tide table on your desk. Why?"),
        a(
            "Partly sentiment. It is a printed booklet for Hallam Point, the same kind we had on the kitchen "
            "door, and I buy a new one every January. But mostly it is a reminder of scale. The tide comes "
            "in twice a day regardless of our meetings.",
            "When a negotiation goes badly I look at it and think: high water at 16:42, whatever the "
            "ministers decide. It is strangely calming. The sea is not angry with us. It is simply not "
            "interested in our excuses.",
        ),
        q("Your term ends next year. What will you tell the person who replaces you?"),
        a(
            "To spend the first six months on the coast, not at headquarters. To learn the names of harbour "
            "masters before the names of ministers. And to publish the table every quarter, no matter who "
            "complains.",
            "And one more thing, which nobody told me: to keep a notebook of every promise the agency makes "
            "to a community, with the date. A sea wall is a promise to people who are not yet born. So is a "
            "decision not to build one. Someone should keep track.",
        ),
    ],
}


SEAGRASS_INTERVIEW = {
    "slug": "noor-haddad-seagrass",
    "title": "Noor Haddad: “The seagrass came back before the funding did”",
    "standfirst": "At the Kestrel Sound Marine Station, the marine biologist Noor Haddad has spent twelve "
    "years replanting meadows of seagrass, mostly by hand. She explains why an unglamorous plant matters for "
    "fish, carbon and coastlines, and what it is like to watch an experiment outlive its grant.",
    "status": "published",
    "published_days_ago": 9,
    "lead_photo": "haddad-meadow",
    "authors": ["jonas-whitcombe", "priya-castellane"],
    "interviewees": ["noor-haddad"],
    "tags": ["Oceans", "Science", "Climate"],
    "blocks": [
        q("What is seagrass, for readers who have only ever trodden on it?"),
        a(
            "A flowering plant that went back to the sea. That is the surprising part for most people: it is "
            "not seaweed at all. It has roots, it has veins, it flowers and it is pollinated underwater, "
            "which is one of the stranger things in botany.",
            "A healthy meadow looks like a lawn that nobody mows, swaying with the tide. Walk past it at low "
            "water and you would hardly notice it. Put on a mask and you find a nursery: young fish, "
            "cuttlefish, pipefish, crabs, all using the blades as cover.",
        ),
        q("Why did the meadows in Kestrel Sound disappear?"),
        a(
            "Slowly, and for several reasons at once, which is why nobody noticed. Run-off from the fields "
            "clouded the water so less light reached the bottom. A wasting disease went through in the "
            "1990s. And the moorings: a boat swinging on a chain scours a bare circle in the meadow, and "
            "when you have four hundred boats you have four hundred circles.",
            "By the time I arrived there were a few patches left near the headland, like islands. The older "
            "fishermen remembered whole bays of it. Nobody had written it down.",
        ),
        q("How do you replant a meadow?"),
        a(
            "Mostly by hand. In late summer volunteers snorkel over the remaining patches and collect the "
            "seed heads. We keep them in tanks at the station until the seeds drop, then sew them into small "
            "hessian bags of sand, a few dozen seeds each, and lower the bags from boats in lines across the "
            "bay.",
            "The first year we lost nearly nine bags in ten to storms and hungry crabs. The second year we "
            "learned to plant deeper and later in the season. Restoration is a craft you learn by failing "
            "politely in public.",
        ),
        photo("haddad-seedbags"),
        q("How long before you knew it was working?"),
        a(
            "The fourth spring. One of our divers came up laughing so hard she could not get her mask off. A "
            "cuttlefish had laid its eggs on blades that had been seeds in a bag three years before. That is "
            "the moment I stopped calling it an experiment.",
            "Now we have about forty hectares, and for the last three years the meadow has spread faster on "
            "its own than we have been able to plant it. That is the real measure of success: the day you "
            "are no longer needed.",
        ),
        q("Seagrass is often sold as a carbon solution. Is that fair?"),
        a(
            "Partly. Meadows do lock carbon away in their sediments, sometimes for centuries, and that "
            "matters. But the figures per hectare vary enormously from one bay to the next, and I am uneasy "
            "when I see them quoted to three significant figures in a company's sustainability report.",
            "I would much rather people valued seagrass for the things we can see: more fish, clearer water, "
            "calmer waves at the shoreline. <strong>It should never become an offset for somebody else's "
            "emissions.</strong> A meadow is not a receipt.",
        ),
        q("The project has outlived its original grant. How?"),
        a(
            "Three grants and two gaps. During the gaps we survived on volunteers, a bake sale that became "
            "legendary, and a restaurant on the quay that put a seagrass levy on its fish soup. The harbour "
            "authority eventually paid to replace the old chain moorings with floating ones that do not "
            "touch the bottom, which did more for the meadow than any planting.",
            "I have learned to write grant applications that describe a decade, not a three-year project. "
            "Nature does not report on the funder's timetable.",
        ),
        q("What would you ask of readers who live by the sea?"),
        a(
            "Look down. If you find seagrass, tell your local marine station; records from the public have "
            "found three new patches in our region this year alone. If you have a boat, drop anchor on sand, "
            "not on green.",
            "And be patient with us. A meadow is counted in decades. The people who planted the first bags "
            "include children who are now bringing their own children to help.",
        ),
    ],
}


DUO_INTERVIEW = {
    "slug": "karlsson-adeyemi-duo",
    "title": "Ines Karlsson and Bayo Adeyemi: “We still argue about the bridge”",
    "standfirst": "The pianist Ines Karlsson and the double bassist Bayo Adeyemi have played together for "
    "twenty-five years, first in a basement club in Wrenford and now on stages across the continent. Before "
    "their new record, they talk about listening, arguing, and the one tune they have never agreed on.",
    "status": "published",
    "published_days_ago": 5,
    "lead_photo": "duo-lights",
    "authors": ["priya-castellane"],
    "interviewees": ["ines-karlsson", "bayo-adeyemi"],
    "tags": ["Music", "Jazz", "Culture"],
    "blocks": [
        q("How did you meet?"),
        a(
            "At a jam session at the Lantern Room that had gone badly wrong. The drummer had left early, the "
            "saxophonist was playing a different tune from everybody else, and I was about to close the lid.",
            "Then a bass player at the back started walking a line under the chaos, very quietly, as if he "
            "was tidying up after a party. I followed him, and we played for forty minutes after everyone "
            "else had gone home.",
            speaker="ines-karlsson",
        ),
        a(
            "She is being generous. I was twenty-two and I had been told the house bass was free to use. I "
            "had no idea it belonged to the owner, who was standing at the bar watching me. He offered me a "
            "Thursday residency on the condition that I bought my own instrument.",
            speaker="bayo-adeyemi",
        ),
        q("What does a duo demand that a larger band does not?"),
        a(
            "Nowhere to hide. In a quintet, if I lose the thread for a bar, the drummer carries the time and "
            "nobody notices. With two of us, every silence is a decision, and the audience can hear it being "
            "made.",
            speaker="bayo-adeyemi",
        ),
        a(
            "And you have to leave space on purpose. My classical training taught me to fill every beat. "
            "Playing with Bayo taught me that the most important note in a phrase is sometimes the one I do "
            "not play, because that is where he comes in.",
            speaker="ines-karlsson",
        ),
        q("Which tune do you still argue about?"),
        a(
            "<em>Harbour Lights in Winter</em>, which Bayo wrote in our second year. The bridge modulates up "
            "a minor third and I have always thought it should go down. We have recorded it three times and "
            "played it both ways on alternate nights for about fifteen years.",
            speaker="ines-karlsson",
        ),
        a(
            "She is wrong, but it is a productive kind of wrong. The argument is the arrangement. If we ever "
            "agree, we will have to retire the tune.",
            speaker="bayo-adeyemi",
        ),
        quote("If we ever agree, we will have to retire the tune.", "Bayo Adeyemi"),
        q("Ines, you started as a classical pianist. What did you have to unlearn?"),
        a(
            "Fear of wrong notes. In the conservatory a wrong note was a small moral failure. In jazz it is "
            "information: you hear where your hand went, and the next two bars decide whether it was a "
            "mistake or an idea.",
            "I kept the technique, though, and I am grateful for it. Scales are boring until the night you "
            "need one at full speed and it is simply there.",
            speaker="ines-karlsson",
        ),
        q("Bayo, the bass is often called the instrument nobody notices until it stops. Is that fair?"),
        a(
            "It is fair, and I have made my peace with it. A good bass line is like the floor of a house. "
            "Nobody compliments the floor, but everybody would notice if it disappeared.",
            "What people do not realise is how much of the harmony the bass decides. Ines plays a chord, I "
            "choose the note underneath, and that choice changes what the chord means. It is a very quiet "
            "kind of power.",
            speaker="bayo-adeyemi",
        ),
        q("How has the club scene changed since you started?"),
        a(
            "Fewer rooms, better listeners. When we started there were six clubs in Wrenford where you could "
            "play four nights a week. Now there are two. But the audiences who come have chosen to be there, "
            "and they listen like people reading a book.",
            speaker="bayo-adeyemi",
        ),
        a(
            "And the young players are extraordinary. They learn from recordings of every era at once, so "
            "they arrive at a session with a vocabulary it took us twenty years to build. What they want "
            "from us, I think, is permission to slow down.",
            speaker="ines-karlsson",
        ),
        q("What is on the new record?"),
        a(
            "Six standards, four originals and one very long take of <em>Harbour Lights in Winter</em> in "
            "which, for the first time, the bridge goes up and down. You will have to listen to find out who "
            "won.",
            speaker="ines-karlsson",
        ),
    ],
}


DRAFT_INTERVIEW = {
    "slug": "mara-quist-forgotten-recipes",
    "title": "Mara Quist: the archive of forgotten recipes",
    "standfirst": "The food historian Mara Quist has collected more than two thousand handwritten recipe "
    "books. She talks about what they reveal about the people who wrote them, and why the margins matter "
    "more than the recipes.",
    "status": "draft",
    "lead_photo": "quist-fields",
    "authors": ["priya-castellane"],
    "interviewees": ["mara-quist"],
    "tags": ["Food", "History"],
    "blocks": [
        q("How does a recipe book end up in your archive?"),
        a(
            "Usually after a funeral. Someone clears a kitchen, finds a notebook stained with forty years of "
            "butter, and cannot bring themselves to throw it away. They write to us because they have heard "
            "we will take it seriously.",
        ),
        q("What do the margins tell you?"),
        a(
            "Everything the recipe leaves out. Who it was cooked for, what went wrong, which neighbour's "
            "version was better. One book has the word <em>again</em> written beside a plum cake nineteen "
            "times, in three different hands.",
        ),
    ],
}


SCHEDULED_INTERVIEW = {
    "slug": "ravi-anand-bridges-that-bend",
    "title": "Ravi Anand: bridges that are allowed to bend",
    "standfirst": "The structural engineer Ravi Anand designs footbridges that sway a little on purpose. He "
    "explains why stiffness is overrated, how walkers can shake a bridge without meaning to, and what he "
    "learned from a hammock.",
    "status": "published",
    "published_in_days": 14,
    "lead_photo": "anand-bridge",
    "authors": ["jonas-whitcombe"],
    "interviewees": ["ravi-anand"],
    "tags": ["Engineering", "Cities"],
    "blocks": [
        q("Why should a bridge be allowed to bend?"),
        a(
            "Because everything bends; the only question is whether you planned for it. A bridge that is "
            "designed to move a few centimetres can be lighter, cheaper and more beautiful than one that "
            "fights every gust of wind.",
        ),
        q("Can walkers really shake a bridge?"),
        a(
            "Yes, if their steps fall into step with the bridge's own rhythm. People adjust their stride to "
            "the movement without noticing, which makes the movement larger. We add dampers, and we test "
            "with volunteers who are asked to walk as naturally as possible, which is harder than it sounds.",
        ),
        q("And the hammock?"),
        a(
            "The best lesson in tension I ever had. It is comfortable precisely because it gives way. I keep "
            "one in the office for junior engineers who insist that stiffer is always safer.",
        ),
    ],
}


ARTICLES = [LONG_INTERVIEW, SEAGRASS_INTERVIEW, DUO_INTERVIEW, DRAFT_INTERVIEW, SCHEDULED_INTERVIEW]
