"""Real-time geopolitical news stream processor.

The package is split into a pure core (``streams.contracts``, ``streams.nlp``,
``streams.risk``, ``streams.pipeline``) and a thin imperative shell
(``streams.agents`` for Faust, ``streams.cli`` for the command line).
"""

__version__ = "0.1.0"
