"""What the public core tells the rest of Voicebox. The core imports none of the apps that build on it: they listen
here (connected in their AppConfig.ready)."""

from django.dispatch import Signal

# A story was erased at its contributor's request, and the erasure has committed: `story_ref`, the number the
# content-free audit log and research exports know it by (its page id). Receivers erase or ask others to erase
# what they hold of it; nothing of the story's content is left to read.
story_withdrawn = Signal()
