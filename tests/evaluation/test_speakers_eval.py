"""The quote-speaker count of ``streams eval``: what it counts, on texts we wrote and the samples."""

from __future__ import annotations

from pathlib import Path

from streams.evaluation.speakers import count, evaluate_speakers


def test_counts_frames_and_document_speakers(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = ('Deputy Foreign Minister Sergei Ryabkov met the Americans on Tuesday. '
            '"We propose the removal of all restrictions," he said. '
            '"We are ready to continue."\n'
            'Russia designated the United States an "unfriendly state".')
    got = count(analyzer, [text])
    assert got["quotes"] == 3 and got["spoken"] == 2  # the scare quote is not speech
    # the sentence frame sees "he" but no actor, and nothing for the second quote
    assert (got["frame_speaker"], got["frame_actor"]) == (1, 0)
    assert (got["document_speaker"], got["document_actor"]) == (2, 2)


def test_samples_are_counted_without_the_shared_data(analyzer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    got = evaluate_speakers(analyzer, tmp_path)
    assert list(got) == ["samples"]
    assert got["samples"]["spoken"] == 3 and got["samples"]["document_actor"] == 3


def test_streams_eval_prints_the_counts() -> None:
    from streams.evaluation.report import rows

    counts = {"quotes": 9, "spoken": 7, "frame_speaker": 3, "frame_actor": 1, "document_speaker": 6,
              "document_actor": 2}
    got = [r for r in rows({"stance": {"skipped": True}, "speakers": {"gum_news": counts}})
           if r[0] == "quotes gum_news"]
    assert [r[2] for r in got] == ["3 / 6", "1 / 2"]
    assert "n=7" in got[0][1]
