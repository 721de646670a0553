"""Actor resolution data: who a name stands for, in CAMEO terms, on a date.

>>> from streams.nlp.actors import ActorTable
>>> table = ActorTable.load()             # validated once, cached per process
>>> [c.code for c in table.lookup("Moscow")]
['RUSGOV']

The data lives in ``data/`` as reviewable YAML (see ``docs/actors.md``);
Phoenix/PETRARCH dictionaries plug in through ``ActorTable.load``.
"""

from streams.nlp.actors.models import Candidate, Entry, Kind, RoleNoun, SurfaceForm
from streams.nlp.actors.petrarch import PetrarchActors, PetrarchRoleNouns, read_actors, read_role_nouns
from streams.nlp.actors.table import DATA_DIR, LABELS, ActorTable, Decomposition
from streams.nlp.actors.titles import TitleMatch, Titles
from streams.nlp.actors.validate import DataError

__all__ = [
    "DATA_DIR",
    "LABELS",
    "ActorTable",
    "Candidate",
    "DataError",
    "Decomposition",
    "Entry",
    "Kind",
    "PetrarchActors",
    "PetrarchRoleNouns",
    "RoleNoun",
    "SurfaceForm",
    "TitleMatch",
    "Titles",
    "read_actors",
    "read_role_nouns",
]
