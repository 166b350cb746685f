"""What the rest of Voicebox asks of transcription (implemented by the transcription work).

    def request_transcription(story_id: int, *, language: str | None = None) -> None
        Enqueue (on commit) the transcription of the story page's media; language is the contributor's stated
        language, used instead of detection when given.
"""
