"""From a valid article to its enriched value and its dyad-keyed stance events."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from streams.contracts import (
    ActorCount,
    ActorRef,
    Article,
    EnrichedArticle,
    Stance,
    StanceEvent,
    dyad_key,
)
from streams.contracts.enriched import TextField
from streams.nlp import Analyzer
from streams.nlp.signature import simhash64
from streams.pipeline.bounds import fit_enriched, fit_stance_event
from streams.pipeline.ids import stable_id

SUPPORTED_LANGUAGES = frozenset({"en"})
#: Text beyond this is not parsed: it bounds per-message analysis time
#: (a 100k-character body parses in well under a second, longer bodies are
#: almost always scraping accidents).  The article is still published.
DEFAULT_MAX_ANALYZED_CHARS = 100_000


#: No word, name or URL worth analysing is this long without a space.  spaCy's
#: tokenizer is quadratic in such runs (16k "!" take ~26 s, and it holds the
#: GIL, so no timeout can interrupt it); blanking them bounds the work.
MAX_RUN_CHARS = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


def defuse(text: str) -> tuple[str, int]:
    """``text`` with every over-long run of non-space characters blanked.

    Runs become spaces of the same length, so every character offset the
    analysis reports still indexes the original text.  Returns the count.
    """
    runs = 0

    def blank(match: re.Match[str]) -> str:
        nonlocal runs
        runs += 1
        return " " * len(match.group())

    return _LONG_RUN.sub(blank, text), runs


@dataclass(frozen=True, slots=True)
class EnrichResult:
    enriched: EnrichedArticle
    stance_events: list[StanceEvent]


def _language_supported(language: str | None) -> bool:
    return language is None or language.split("-")[0].lower() in SUPPORTED_LANGUAGES


def outlet_of(article: Article) -> str:
    """Outlet identity for corroboration: the domain when known, else the name."""
    return (article.source.domain or article.source.name).lower()


def dyad_code(actor: ActorRef) -> str:
    """The three-letter code a dyad is keyed on.

    The country for state actors; for IGOs and transnational groups
    (``IGONAT``, ``IGOUNOWHO``) the most specific tag (``NAT``, ``WHO``), so
    NATO and the UN do not collapse into one ``IGO`` dyad member.
    """
    return actor.country or actor.code[-3:]


def stance_event(article: Article, stance: Stance) -> StanceEvent | None:
    """The dyad-keyed event for a stance between two different country-level actors.

    A negated act ("did not threaten") stays in the enriched article as
    evidence but is not an event between the two countries.
    """
    if stance.negated:
        return None
    src, tgt = stance.source, stance.target
    src_country, tgt_country = dyad_code(src), dyad_code(tgt)
    if src_country == tgt_country:
        return None
    ev = stance.evidence
    return StanceEvent(
        event_id=stable_id(article.id, ev.field, ev.sentence_start, ev.trigger_span[0],
                           src.code, tgt.code, stance.cameo_code),
        dyad=dyad_key(src_country, tgt_country),
        source_code=src.code,
        target_code=tgt.code,
        source_country=src_country,
        target_country=tgt_country,
        cameo_code=stance.cameo_code,
        plover=stance.plover,
        quad_class=stance.quad_class,
        goldstein=stance.goldstein,
        polarity=stance.polarity,
        confidence=stance.confidence,
        event_time=article.published_at,
        article_id=article.id,
        url=article.url,
        outlet=outlet_of(article),
        sentence=ev.sentence,
        signature=simhash64(ev.sentence),
        origin="analyzer",
    )


def _tone(stances: list[Stance]) -> float | None:
    scored = [s.goldstein / 10.0 * s.confidence for s in stances if not s.negated]
    if not scored:
        return None
    return round(max(-1.0, min(1.0, sum(scored) / len(scored))), 4)


def enrich(article: Article, analyzer: Analyzer,
           max_analyzed_chars: int = DEFAULT_MAX_ANALYZED_CHARS) -> EnrichResult:
    """Analyse one article; never raises on content, reports what it skipped."""
    reasons: list[str] = []
    texts: list[tuple[str, TextField]] = []
    if not _language_supported(article.language):
        reasons.append(f"unsupported_language:{article.language}")
    else:
        if article.title.strip():
            texts.append((article.title, "title"))
        body = article.body
        if not body.strip():
            reasons.append("empty_body")
        else:
            if len(body) > max_analyzed_chars:
                reasons.append(f"truncated:{max_analyzed_chars}")
                body = body[:max_analyzed_chars]
            texts.append((body, "body"))
    defused: list[tuple[str, TextField]] = []
    blanked = 0
    for text, name in texts:
        clean, runs = defuse(text)
        defused.append((clean, name))
        blanked += runs
    if blanked:
        reasons.append(f"long_runs_skipped:{blanked}")
    analyses = analyzer.analyze_many(defused, article.published_at) if defused else []
    entities = [e for a in analyses for e in a.entities]
    stances = [s for a in analyses for s in a.stances]
    counts = Counter(e.actor.code for e in entities if e.actor is not None)
    names = {e.actor.code: e.actor.name for e in entities if e.actor is not None}
    content = stable_id(article.model_dump_json(), length=64)
    enriched = EnrichedArticle(
        enrichment_id=stable_id(article.id, content, analyzer.version),
        id=article.id,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        ingested_at=article.ingested_at,
        source=article.source,
        language=article.language,
        status="partial" if reasons else "ok",
        reasons=reasons,
        entities=entities,
        actors=[ActorCount(code=c, name=names[c], mentions=n) for c, n in sorted(counts.items())],
        stances=stances,
        tone=_tone(stances),
        signature=simhash64(article.body if article.body.strip() else article.title),
        analyzer_version=analyzer.version,
    )
    events = [fit_stance_event(ev) for s in stances if (ev := stance_event(article, s)) is not None]
    return EnrichResult(enriched=fit_enriched(enriched), stance_events=events)
