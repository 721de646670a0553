"""Pure analysis: entity tagging, actor resolution, stance, signatures."""

from streams.nlp.analyzer import ANALYZER_VERSION, Analysis, Analyzer

__all__ = ["ANALYZER_VERSION", "Analysis", "Analyzer"]
