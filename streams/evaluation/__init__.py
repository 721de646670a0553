"""Evaluation of the analysis against labelled development sets (``../shared/eval``)."""
