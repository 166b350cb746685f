from wagtail import blocks


class ParagraphBlock(blocks.TextBlock):
    """One paragraph of a story, as plain text: a contributor's words are never stored or served as HTML."""

    class Meta:
        icon = "pilcrow"
        template = "stories/blocks/paragraph.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
