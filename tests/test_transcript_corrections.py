"""A contributor's corrections keep the word timings: corrected lines are aligned to the words Whisper heard."""

import pytest

from tests.factories import heard_word
from transcription.corrections import realign_words

# As Whisper stores a line: text stripped, words with their leading spaces.
LINE = {
    "start": 0.5,
    "end": 4.0,
    "text": "My nurse Jane Dough was kind.",
    "words": [
        heard_word(" My", 0.5, 0.8),
        heard_word(" nurse", 0.9, 1.3),
        heard_word(" Jane", 1.5, 1.9),
        heard_word(" Dough", 1.95, 2.4),
        heard_word(" was", 3.0, 3.2),
        heard_word(" kind.", 3.3, 4.0),
    ],
}


def times(words: list[dict]) -> list[tuple[str, float, float]]:
    return [(w["word"].strip(), w["start"], w["end"]) for w in words]


def test_unchanged_words_keep_their_times_and_a_changed_word_takes_the_one_it_replaces():
    words = realign_words(LINE, "My nurse, Jane Doe, was kind!")
    assert times(words) == [
        ("My", 0.5, 0.8),
        ("nurse,", 0.9, 1.3),
        ("Jane", 1.5, 1.9),
        ("Doe,", 1.95, 2.4),
        ("was", 3.0, 3.2),
        ("kind!", 3.3, 4.0),
    ]
    # Whisper's confidence stays with the words it heard, never with the contributor's.
    assert words[2]["probability"] == 0.9 and "probability" not in words[3]
    # Every word is found, in order, in the corrected text: redaction maps characters to words this way.
    assert "".join(w["word"] for w in words).strip() == "My nurse, Jane Doe, was kind!"


def test_a_run_changed_into_a_run_of_another_length_shares_its_time():
    words = realign_words(LINE, "My nurse Janet Mary Doe was kind.")
    assert times(words)[2:5] == [("Janet", 1.5, 2.4), ("Mary", 1.5, 2.4), ("Doe", 1.5, 2.4)]
    assert times(words)[5] == ("was", 3.0, 3.2)


def test_inserted_words_take_the_gap_between_their_neighbours_or_the_neighbours_times():
    # 2.4 to 3.0 is a pause long enough to hold a word Whisper missed.
    assert times(realign_words(LINE, "My nurse Jane Dough Smith was kind."))[4] == ("Smith", 2.4, 3.0)
    # 1.9 to 1.95 is too short: the word was heard as part of its neighbours, so it takes theirs.
    assert times(realign_words(LINE, "My nurse Jane Ann Dough was kind."))[3] == ("Ann", 1.5, 2.4)
    # At the ends of the line: from the line's start, or to its end.
    assert times(realign_words(LINE, "Oh my nurse Jane Dough was kind."))[0] == ("Oh", 0.5, 0.8)
    assert times(realign_words(LINE, "My nurse Jane Dough was kind. Really."))[-1] == ("Really.", 3.3, 4.0)


def test_deleted_words_leave_and_a_line_without_heard_words_gets_none():
    assert [w for w, _, _ in times(realign_words(LINE, "My nurse was kind."))] == ["My", "nurse", "was", "kind."]
    assert realign_words({**LINE, "words": []}, "Anything at all") == []
    assert realign_words(LINE, "   ") == []


@pytest.mark.django_db
def test_confirming_a_corrected_line_keeps_word_timings(tmp_path):
    from tests.factories import site_tree
    from tests.speech_samples import silence, story_with_recording
    from transcription.models import Transcript

    site_tree()
    story = story_with_recording(silence(tmp_path / "quiet.wav", seconds=1))
    transcript = Transcript.objects.create(
        story=story, language="en", duration=4.0, segments=[LINE], model_name="test", text=""
    )
    transcript.confirm({0: "My nurse Jane Doe was kind."})
    assert transcript.segments == [LINE]
    assert times(transcript.confirmed_segments[0]["words"])[3] == ("Doe", 1.95, 2.4)
