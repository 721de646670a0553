"""Word classes the parse rules read: function words, control verbs, prepositions.

Closed classes only -- what a word *means* as an event lives in
``lexicon.tsv``; these say how a word shapes the sentence around it (who
controls an embedded act, which preposition names a target, which modal
makes an act hypothetical).
"""

from __future__ import annotations

#: Verbs of saying: they introduce reported speech and quotes and name the speaker.
SPEECH_VERBS = frozenset({
    "say", "tell", "state", "announce", "declare", "add", "note", "stress", "reiterate",
    "affirm", "comment", "remark", "report", "claim", "explain", "write", "warn", "insist",
    "argue", "suggest", "confirm", "tweet", "quip", "respond", "reply", "retort", "predict",
    "believe", "think", "acknowledge", "admit", "allege", "caution", "vow", "pledge",
    "promise", "threaten", "charge", "assert", "maintain", "contend", "deny", "accuse",
    "complain", "demand", "urge", "conclude", "indicate", "signal", "hint", "quote",
    "emphasize", "emphasise", "underline", "underscore", "highlight", "mention", "observe",
    "inform", "describe", "proclaim", "reaffirm", "recall",
})
#: Verbs whose object is the one asked or made to act: "urged X to ...".
#: Nouns that name a body of people by its members ("a team of inspectors").
COLLECTIVE_NOUNS = frozenset({"team", "teams", "group", "groups", "contingent", "contingents",
                              "batch", "delegation", "unit", "units", "handful"})
#: Forms of the verbs whose object an infinitive without "to" follows ("let inspectors
#: into the sites", "made them leave").
BARE_INFINITIVE_HOSTS = frozenset({"let", "lets", "letting", "make", "makes", "made", "making",
                                   "help", "helps", "helped", "helping"})
OBJECT_CONTROL = frozenset({
    "urge", "ask", "call", "press", "force", "allow", "invite", "persuade", "encourage",
    "order", "request", "tell", "warn", "help", "pressure", "push", "compel", "appeal",
    "implore", "beseech", "exhort", "lobby", "demand", "instruct", "authorize", "permit",
})
#: Verbs, nouns and adjectives that make the controlled act merely possible.
HYPOTHETICAL_CONTROL = frozenset({
    "consider", "mull", "weigh", "try", "attempt", "hope", "propose", "wish", "debate",
    "contemplate", "expect", "likely", "poised", "set", "expected", "possible", "potential",
    "able", "may", "explore", "study",
})
#: Controllers that say the controlled act did not happen.
NEGATING_CONTROL = frozenset({
    "fail", "avoid", "neglect", "omit", "cease", "unable", "unwilling", "reluctant",
    "stop", "halt", "refrain",
})
#: Controllers expressing the subject's own intention: "is ready to talk".
INTENT_CONTROL = frozenset({"ready", "willing", "prepared", "eager", "determined", "committed",
                            "plan", "intend", "prepare", "aim", "want", "seek", "plot", "scheme",
                            "undertake", "swear"})
#: Controllers that put their subject under an obligation: "Y had to withdraw", "Y was obliged
#: to cancel the debt" say what Y must do (a demand when someone else says it).
OBLIGATION_CONTROL = frozenset({"have", "obliged", "obligated", "required", "oblige", "obligate",
                                "require", "bound"})
#: Words whose "that" clause in the bare (subjunctive) form says what must be done: "was
#: adamant that South Africa *bear* half the cost", "stipulated that the UN *mediate*".
MANDATIVE_WORDS = frozenset({"adamant", "insistent", "insist", "stipulate", "demand", "require",
                             "decree"})
#: Nouns of "Y had no option but to ...": an obligation too.
NO_CHOICE_NOUNS = frozenset({"option", "choice", "alternative"})
#: Nouns of asking someone to stop or yield: an act carried on "despite *appeals*" defies them,
#: and "rejecting Israeli *calls*" refuses them.
ASKING_NOUNS = frozenset({
    "appeal", "appeals", "plea", "pleas", "call", "calls", "order", "orders", "demand",
    "demands", "request", "requests", "pressure", "warning", "warnings", "ultimatum",
    "entreaties", "urging", "protests", "objections", "ban", "injunction", "ruling",
})
#: Verbs that end an activity named by their object: "suspended talks", "halted the offensive".
TERMINATIVE = frozenset({
    "halt", "stop", "cease", "end", "suspend", "freeze", "abandon", "quit", "drop", "scrap",
    "cancel", "terminate", "interrupt", "postpone", "lift", "pause", "withhold",
    "reverse", "revoke", "rescind", "overturn", "repeal", "annul", "nullify", "ditch", "axe",
    "jettison",
})
#: Verbs that carry no event of their own; their object noun is the event.
LIGHT_VERBS = frozenset({
    "hold", "impose", "launch", "conduct", "carry", "make", "give", "issue", "sign", "reach",
    "stage", "mount", "lodge", "file", "express", "voice", "announce", "deliver", "extend",
    "open", "begin", "start", "resume", "continue", "join", "seek", "levy", "slap",
    "introduce", "unveil", "approve", "adopt", "authorize", "declare", "wage", "step",
    "intensify", "escalate", "expand", "tighten", "renew", "pursue", "convey", "send",
    "offer", "provide", "have", "take", "undertake", "initiate", "order", "apply", "place",
    "put", "raise", "hike", "increase", "reimpose", "re-impose", "ink",
    "conclude", "seal", "clinch", "finalize", "strike", "organize", "organise", "call",
    "register", "engage", "exchange", "perform", "complete", "ratify", "agree", "accept",
    "reject", "welcome", "host", "attend", "plan", "prepare", "propose", "pay",
})
#: "engaged in talks", "responded with sanctions": the pobj is the subject's act.
LIGHT_PREP_VERBS = frozenset({"engage", "participate", "join", "respond", "retaliate", "take",
                              "involve", "embark", "enter", "go", "walk",
                              # "ready to act as a go-between", "served as mediator"
                              "act", "serve",
                              # "poured into the streets"
                              "pour", "spill", "flood",
                              # "remained on alert", "put its army on alert"
                              "remain", "stay", "put", "place", "keep",
                              # "is on a three-day tour of Nigeria", "were in talks with X"
                              "be"})

ALL_KNOWN_VERBS = (SPEECH_VERBS | MANDATIVE_WORDS | OBJECT_CONTROL | HYPOTHETICAL_CONTROL | NEGATING_CONTROL
                   | TERMINATIVE | LIGHT_VERBS | LIGHT_PREP_VERBS | INTENT_CONTROL
                   | {"be", "do", "have", "go", "decide", "begin", "continue", "resume",
                      "move", "vote", "manage", "proceed", "choose", "opt", "rush", "face"})

#: Acts of letting go or sending away whose passive ``from`` phrase names who does it:
#: "was freed *from* X", "were expelled *from* X" (X frees, X expels).
FROM_SOURCE_VERBS = frozenset({
    "free", "release", "expel", "deport", "evict", "extradite", "banish", "exile", "ban",
})
#: Verbs of receiving: "X received aid *from* Y" is Y's act of giving to X.
RECEIVING_VERBS = frozenset({"receive", "accept", "get", "obtain", "take"})
#: Prepositions whose object is the target of the event.
PRIMARY_PREPS = frozenset({"with", "against", "on", "upon", "to", "toward", "towards", "at",
                           "into", "between", "among", "onto", "unto"})
#: Prepositions whose object is more loosely the target ("warned of", "criticized over").
SECONDARY_PREPS = frozenset({"of", "about", "over", "for", "from", "regarding", "concerning"})
#: Prepositions naming what a thing is about: "reports *about* X" point at X.
TOPIC_PREPS = frozenset({"about", "regarding", "concerning"})
#: Locative prepositions: a target only for acts done *to* a place (attacks, visits).
LOCATIVE_PREPS = frozenset({"in", "inside", "near", "across", "throughout", "within",
                            "outside", "around"})
#: Prepositions inside a noun phrase through which a mention stands for the phrase:
#: "officials of/from Russia" act for Russia.
NP_PREPS = frozenset({"of", "from"})
#: Heads for which "in X" also stands for X: "lawmakers in Fornost", "the embassy in
#: Moscow" (but "a summit in Singapore" is only held there).
GROUP_NOUNS = frozenset({
    "officials", "official", "lawmakers", "legislators", "forces", "troops", "soldiers",
    "police", "people", "government", "authorities", "embassy", "diplomats", "activists",
    "groups", "group", "residents", "leaders", "leadership", "ministers", "militants", "rebels",
    "protesters", "students", "workers", "opposition", "parties", "citizens", "refugees",
    "community", "communities", "population", "army", "military", "clerics", "journalists",
    "businesses", "companies", "delegation", "mission", "parliament", "regime", "villagers",
})

FIRST_PERSON = frozenset({"we", "i", "us", "our", "my", "me", "ours", "ourselves"})
THIRD_PERSON = frozenset({"it", "they", "he", "she", "its", "their", "his", "her", "them",
                          "him"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
HYPOTHETICAL_MODALS = frozenset({"may", "might", "could", "would", "should", "can", "must",
                                 "ought"})
FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})
OBLIGATION_MODALS = frozenset({"must", "should", "ought"})
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
QUOTE_CHARS = frozenset({'"', "“", "”", "``", "''", "«", "»"})
#: Nouns that measure or count an act without being one: "three days of talks",
#: "a new round of strikes"; the verb that governs them governs the act.
MEASURE_NOUNS = frozenset({
    "round", "rounds", "series", "wave", "waves", "day", "days", "week", "weeks", "month",
    "months", "hour", "hours", "year", "years", "spate", "string", "flurry", "barrage",
    "volley", "campaign", "program", "programme", "set", "kind", "type", "form", "number",
    # quantities of a thing given: "70 million dollars *of aid*", "25,000 tons *of food aid*"
    "ton", "tons", "tonne", "tonnes", "dollar", "dollars", "euro", "euros", "pound", "pounds",
    "worth", "shipment", "shipments", "consignment", "package", "amount", "sum",
    "planeload", "planeloads", "truckload", "truckloads", "boatload", "boatloads", "shiploads",
})

#: Authors whose collective action is protest, by the head noun of the source phrase.
CROWD_NOUNS = frozenset({
    "protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators",
    "rioter", "rioters", "crowd", "crowds", "mob", "mobs", "marchers", "strikers", "activists",
    "students", "workers", "unions", "union", "truckers", "farmers", "fishermen", "consumers",
    "dockworkers", "teachers", "nurses", "doctors", "youths", "residents", "villagers",
    "detainees", "prisoners", "shoppers", "drivers", "miners", "pilgrims", "supporters",
    "shopkeepers", "merchants", "traders", "vendors", "employees", "labourers", "laborers",
    "dockers", "porters", "growers", "peasants", "pensioners", "squatters",
})


#: Verbs of feeling whose experiencer disapproves of their cause ("angered Beijing",
#: "was disappointed by"): the ``experiencer`` rule turns their arguments round.
EXPERIENCER_VERBS = frozenset({
    "anger", "infuriate", "outrage", "enrage", "incense", "dismay", "disappoint", "upset",
    "irk", "irritate", "annoy", "displease", "offend", "appal", "appall", "frustrate",
    "exasperate", "dissatisfy",
    # an adjective of displeasure with no verb behind it, listed as one ("is *unhappy* with")
    "unhappy",
})

#: Nouns that predicate of an object in a small clause ("took hundreds *hostage*"), which a
#: parser may tag as verbs.
SMALL_CLAUSE_NOUNS = frozenset({"hostage", "hostages", "captive", "captives", "prisoner",
                                "prisoners"})

#: Past forms of verbs with no passive: hung on a noun as a participle ("youths *clashed* with
#: soldiers"), they are the noun's own act, mis-attached.
INTRANSITIVE_PAST = frozenset({"clashed", "rioted", "rallied", "demonstrated", "marched",
                               "skirmished"})

#: Heads of a share of a noun phrase ("*most of* its sanctions"): the share stands for the whole.
PARTITIVES = frozenset({"most", "some", "all", "part", "half", "many", "much", "rest", "bulk",
                        "majority", "remainder", "several", "none", "each", "any"})

#: Nouns spelled like a known verb's own noun that name a thing, a body or a place instead
#: ("a police *station*" is not stating, a *commission* is not committing, the *movement* is a
#: party): the lexicon never reads them as the verb's act.
NOT_VERB_ACTS = frozenset({
    "station", "commission", "department", "movement", "equipment", "signal", "conference",
    "resistance", "government", "parliament", "development", "establishment", "apartment",
    "compartment", "settlement", "assembly", "convention", "institution", "constitution",
    "administration", "organization", "organisation", "federation", "confederation",
    "association", "corporation", "foundation", "coalition", "opposition", "position",
    "nation", "population", "generation", "direction", "section", "region", "union",
    "mission", "session", "tension", "pension", "version", "vision", "television", "revolution",
    "condition", "tradition", "edition", "election", "portion", "proportion", "fraction",
})

#: Nouns of people and bodies that a trigger before them names by their trade ("*aid*
#: workers", "the *aid* group", "*protest* leaders"): the trigger is no act there.
PEOPLE_NOUNS = frozenset({
    "worker", "workers", "agency", "agencies", "official", "officials", "group", "groups",
    "organization", "organizations", "organisation", "organisations", "leader", "leaders",
    "spokesman", "spokeswoman", "spokesperson", "activist", "activists", "staff", "chief",
    "chiefs", "director", "directors", "coordinator", "coordinators", "volunteer", "volunteers",
    "expert", "experts", "organizer", "organizers", "organiser", "organisers", "source",
    "sources", "agent", "agents",
})
