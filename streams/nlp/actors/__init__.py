"""Actor resolution data: who a name stands for, in CAMEO terms, on a date.

>>> from streams.nlp.actors import ActorTable
>>> table = ActorTable.load()             # validated once, cached per process
>>> [c.code for c in table.lookup("Moscow")]
['RUSGOV']

The data lives in ``data/`` as reviewable YAML (see ``docs/actors.md``);
Phoenix/PETRARCH dictionaries plug in through ``ActorTable.load``.
"""

from streams.nlp.actors.models import Agent, Candidate, Entry, Kind, SurfaceForm
from streams.nlp.actors.petrarch import PetrarchActors, PetrarchAgents, read_actors, read_agents
from streams.nlp.actors.table import DATA_DIR, LABELS, ActorTable, Decomposition
from streams.nlp.actors.titles import TitleMatch, Titles
from streams.nlp.actors.validate import DataError

__all__ = [
    "DATA_DIR",
    "LABELS",
    "ActorTable",
    "Agent",
    "Candidate",
    "DataError",
    "Decomposition",
    "Entry",
    "Kind",
    "PetrarchActors",
    "PetrarchAgents",
    "SurfaceForm",
    "TitleMatch",
    "Titles",
    "read_actors",
    "read_agents",
]
