"""CAMEO composition: the code of "threatened to expel", "urged X to send aid".

CAMEO codes an act embedded under an appeal, a demand, a promise, a threat
or a refusal by the *outer* category, with the sub-code chosen by what the
embedded act is: "threaten to impose sanctions" is 1312, "refuse to meet"
125, "pledge humanitarian aid" 0333.  These tables are that part of the
codebook, written down once.
"""

from __future__ import annotations

from streams.cameo import lookup

COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
HOSTILE_ROOTS = frozenset({"09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"})
MATERIAL_HOSTILE_ROOTS = frozenset({"14", "15", "16", "17", "18", "19", "20"})
#: Triggers whose act is mutual: "X met Y" is also "Y met X", "X clashed with Y"
#: also "Y clashed with X".  A word-level property ("struck" is one-sided).
RECIPROCAL_LEMMAS = frozenset({
    "meet", "meeting", "talk", "talks", "negotiate", "negotiation", "consult", "consultation",
    "confer", "discuss", "discussion", "dialogue", "summit", "speak", "phone", "telephone",
    "call", "cooperate", "co-operate", "cooperation", "collaborate", "collaboration",
    "partner", "trade", "sign", "ink", "agreement", "deal", "accord", "treaty", "pact",
    "reconcile", "fight", "fighting", "clash", "battle", "skirmish", "combat", "hostility",
    "truce", "armistice", "exercise", "drill", "exchange", "swap", "game", "maneuver",
    "manoeuvre",
})
#: Mutual only when the actors are coordinated subjects: "X and Y agreed",
#: "X and Y restored ties" (but "X restored ties with Y" is X's act).
RECIPROCAL_AMONG_SUBJECTS = RECIPROCAL_LEMMAS | {
    "agree", "concur", "restore", "resume", "normalize", "normalise", "renew", "establish",
    "improve", "strengthen", "reconcile", "cooperate", "upgrade", "downgrade", "sever",
    "cut", "break", "expand", "deepen", "boost", "postpone", "delay", "cancel", "suspend",
    "freeze", "end",
    # what two parties reach or are in together: "X and Y reached a consensus"
    "consensus", "understanding", "compromise", "settlement", "ceasefire", "cease-fire",
    "rapprochement", "reconciliation", "dispute", "conflict", "standoff"}
#: Directional acts with a reciprocal counterpart: a visit is hosted.
COUNTERPART = {"042": "043", "043": "042"}
#: ... and acts whose counterpart only some words imply: peacekeepers who *arrive* are
#: let in (PLOVER codes the host's side as RETREAT: allowing peacekeepers), troops who
#: *protect* someone are not.
COUNTERPART_BY_LEMMA = {("074", lemma): "0861"
                        for lemma in ("arrive", "deploy", "land", "enter", "reach")}


def _yield_sub(inner: str, table: dict[str, str], default: str) -> str:
    """Pick a sub-code from ``table`` keyed by the longest matching inner prefix."""
    for length in (4, 3, 2):
        code = table.get(inner[:length])
        if code is not None:
            return code
    return default


_APPEAL = {
    "04": "026", "045": "028", "057": "027", "037": "027", "0871": "0256", "087": "0256",
    "084": "0253", "085": "0254", "081": "0251", "082": "0252", "086": "0255", "08": "025",
    "061": "0211", "062": "0212", "063": "0213", "064": "0214", "06": "021",
    "0831": "0241", "0832": "0242", "0833": "0243", "0834": "0244", "083": "024",
    "071": "0231", "072": "0232", "073": "0233", "074": "0234", "07": "023",
    "05": "022", "03": "022",
}
_DEMAND = {
    "061": "1011", "062": "1012", "063": "1013", "064": "1014", "06": "101",
    "071": "1031", "072": "1032", "073": "1033", "074": "1034", "07": "103",
    "05": "102", "04": "108", "045": "105", "081": "1051", "082": "1052", "084": "1053",
    "085": "1054", "086": "1055", "0871": "107", "087": "106", "08": "105", "09": "101",
    "03": "102", "0831": "1041", "0832": "1042", "0833": "1043", "0834": "1044", "083": "104",
}
_INTENT = {
    "04": "036", "045": "039", "037": "037", "057": "030",
    "061": "0311", "062": "0312", "063": "0313", "064": "0314", "06": "031",
    "071": "0331", "072": "0332", "073": "0333", "074": "0334", "07": "033",
    "05": "032", "081": "0351", "082": "0352", "084": "0353", "085": "0354", "086": "0355",
    "087": "0356", "0831": "0341", "0832": "0342", "0833": "0343", "0834": "0344", "083": "034",
    "08": "035",
}
_THREAT = {
    "162": "1311", "163": "1312", "161": "1313", "166": "1313", "164": "134", "165": "135",
    "1661": "136", "1662": "136", "1663": "136", "16": "131",
    "175": "137", "17": "132", "191": "1381", "192": "1382", "18": "1383", "19": "1384",
    "20": "1385", "15": "138", "14": "133", "125": "134", "12": "130",
}
_REJECT = {
    "04": "125", "036": "125", "045": "126", "039": "126", "057": "127", "037": "127",
    "061": "1211", "062": "1212", "063": "1213", "064": "1214", "06": "121",
    "071": "1221", "072": "1222", "073": "1223", "074": "1224", "07": "122",
    "081": "1241", "082": "1242", "084": "1243", "085": "1244", "086": "1245", "087": "1246",
    "0831": "1231", "0832": "1232", "0833": "1233", "0834": "1234", "083": "123", "08": "124",
}
_TERMINATE = {
    "04": "164", "045": "165", "071": "1621", "072": "1622", "073": "1623", "07": "162",
    "05": "160", "06": "160", "18": "087", "19": "087", "20": "087", "15": "0873",
    "163": "085", "172": "081", "191": "0872", "14": "082", "17": "081",
    "11": "080",  # "dropped its objections": the objector yields
    "16": "081",  # "lifted the suspension of political parties": a sanction eased
    "1723": "0813", "1724": "0814",  # "ended the curfew", "lifted martial law"
}

#: What granting a demand or an appeal concedes, by what was asked (CAMEO 08).
_YIELD = {
    "1041": "0831", "1042": "0832", "1043": "0833", "1044": "0834", "104": "083",
    "0241": "0831", "0242": "0832", "0243": "0833", "0244": "0834", "024": "083",
    "1051": "081", "1052": "082", "1053": "084", "1054": "085", "1055": "086",
    "0251": "081", "0252": "082", "0253": "084", "0254": "085", "0255": "086",
    "0256": "087", "106": "087", "107": "0871",
}

#: What refusing a demand or an appeal refuses, by what was asked (CAMEO 12).
_REFUSE = {
    "1041": "1231", "1042": "1232", "1043": "1233", "1044": "1234", "104": "123",
    "0241": "1231", "0242": "1232", "0243": "1233", "0244": "1234", "024": "123",
    "1051": "1241", "1052": "1242", "1053": "1243", "1054": "1244", "1055": "1245",
    "0251": "1241", "0252": "1242", "0253": "1243", "0254": "1244", "0255": "1245",
    "0256": "1246", "106": "1246", "107": "1246", "105": "124", "025": "124",
}

#: Every composition table by name, for checks that each result is a CAMEO code.
TABLES: dict[str, dict[str, str]] = {
    "appeal": _APPEAL, "demand": _DEMAND, "intent": _INTENT, "threat": _THREAT,
    "reject": _REJECT, "terminate": _TERMINATE, "yield": _YIELD, "refuse": _REFUSE,
}


def appeal(inner: str) -> str:
    return _yield_sub(inner, _APPEAL, "020")


def demand(inner: str) -> str:
    return _yield_sub(inner, _DEMAND, "100")


def intent(inner: str) -> str:
    """Stated intention to do ``inner``: 03x when cooperative, a threat (13x) when hostile."""
    root = inner[:2]
    if root in HOSTILE_ROOTS:
        return threat(inner)
    if root == "01":
        return inner
    return _yield_sub(inner, _INTENT, "030")


def threat(inner: str) -> str:
    return _yield_sub(inner, _THREAT, "130")


def reject(inner: str) -> str:
    return _yield_sub(inner, _REJECT, "120")


def concede(asked: str) -> str:
    """Granting a demand or an appeal coded ``asked`` yields (08), not the act asked for.

    "agreed to the opposition's demands" is a concession; read as an intent
    to demand, it came out as a threat.
    """
    return _yield_sub(asked, _YIELD, "080")


def refuse(asked: str) -> str:
    """Refusing a demand or an appeal coded ``asked`` rejects what was asked (12x)."""
    return _yield_sub(asked, _REFUSE, "120")


def terminate(inner: str) -> str | None:
    """Ending ``inner``: halting talks is 164, halting an offensive de-escalates (087)."""
    for length in (4, 3, 2):
        code = _TERMINATE.get(inner[:length])
        if code is not None:
            return code
    return None


def accuse(inner: str, words: frozenset[str]) -> str:
    """Sub-code of an accusation from what the target is accused of."""
    if words & {"espionage", "spying", "spy", "treason", "spies"}:
        return "1125"
    if words & {"genocide", "atrocity", "atrocities"} or {"war", "crime"} <= words or \
            {"war", "crimes"} <= words:
        return "1124"
    if inner[:2] in ("18", "19", "20") or words & {"aggression", "invasion", "attack"}:
        return "1123"
    if words & {"torture", "abuse", "abuses", "rights"}:
        return "1122"
    if words & {"corruption", "crime", "crimes", "fraud", "bribery", "smuggling", "terrorism"}:
        return "1121"
    return "112"


#: Verbs that put an act at another's disposal: a deployment they announce is offered help.
_OFFERING = frozenset({"offer", "pledge", "promise", "volunteer"})


def compose(outer: str, inner: str, outer_lemma: str, words: frozenset[str]) -> str | None:
    """The code of ``inner`` embedded under ``outer``, or ``None`` when they do not compose."""
    root = outer[:2]
    if outer == "016":
        return "016"
    if outer_lemma == "deny":
        return "016"
    if root == "02":
        return appeal(inner) if outer in ("02", "020") else outer
    if root == "10":
        return demand(inner) if outer in ("10", "100") else outer
    if root == "03":
        if outer_lemma in _OFFERING and inner[:2] == "15":
            return "0334"  # "offered to send troops to Mozambique": protection offered, no threat
        return intent(inner) if outer in ("03", "030") else outer
    if root == "13":
        return threat(inner) if outer in ("13", "130") else outer
    if root == "12":
        return reject(inner) if outer in ("12", "120") else outer
    if outer.startswith("112"):
        return accuse(inner, words)
    return None


def is_known(code: str) -> bool:
    try:
        return lookup(code).code == code
    except LookupError:
        return False

