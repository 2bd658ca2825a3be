"""Content notes: the tags a corpus situation may carry, the names students read, and the names
of the settings' areas. One vocabulary for the corpus, the drills, preferences and reports."""

from __future__ import annotations

from typing import Iterable

# tag -> what a student reads. The order is the order they are offered in.
CONTENT_TAGS: dict[str, str] = {
    "self_harm": "self-harm",
    "suicide": "suicide",
    "sexual_abuse": "sexual abuse",
    "child_abuse": "child abuse",
    "domestic_abuse": "domestic abuse",
    "death_and_dying": "death and dying",
    "substance_use": "substance use",
    "violence": "violence",
    "eating_disorder": "eating disorders",
}


def tag_name(tag: str) -> str:
    """A tag as a student reads it; an unknown tag is shown by its words."""
    return CONTENT_TAGS.get(tag, tag.replace("_", " "))


def area_name(area: str) -> str:
    """A setting area as a student reads it ("grief_and_illness" -> "grief and illness")."""
    return area.replace("_", " ")


def content_note(tags: Iterable[str]) -> str:
    """"self-harm, suicide" for a situation's tags; "" when it has none."""
    return ", ".join(tag_name(t) for t in tags)
