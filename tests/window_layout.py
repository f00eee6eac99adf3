"""The layout oracle: what a person would call a broken screen, checked on what the window drew.

It reads the boxes the Painter records (texts, button labels, panels, buttons, graphics) and
the pixels, and reports: anything outside the window; a text or graphic that is neither
inside a panel nor clear of it; two texts (or a text and a graphic) on top of each other;
panels that cut into each other; a button whose label is missing, outside it or unreadable.
Boxes of different layers (a dialog over its screen) are not compared with each other.
"""

from __future__ import annotations

from itertools import combinations

import pygame

TEXTS = ("text", "label")
CONTAINERS = ("panel", "button")


def _luminance(rgb) -> float:
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _inside(inner: pygame.Rect, outer: pygame.Rect) -> bool:
    return outer.contains(inner)


def _name(box) -> str:
    return f"{box.kind} {box.text[:40]!r} at {tuple(box.rect)}"


def readable(surface: pygame.Surface, label: pygame.Rect, button: pygame.Rect) -> bool:
    """Whether the label's pixels hold text that stands out from the button's fill (WCAG AA, 4.5:1)."""
    fill = surface.get_at((max(button.x + 1, label.x - 2), label.centery))  # between the border and the text
    region = surface.subsurface(label.clip(surface.get_rect()))
    pixels = pygame.image.tobytes(region, "RGB")
    colours = {pixels[i:i + 3] for i in range(0, len(pixels), 3)}
    ink = max((contrast(fill, tuple(c)) for c in colours), default=1.0)
    return ink >= 4.5 and len(colours) > 2


def covered(box, boxes) -> bool:
    """Whether a dialog of a higher layer lies over ``box``."""
    return any(b.layer > box.layer and b.rect.colliderect(box.rect) for b in boxes)


def legible(surface: pygame.Surface, rect: pygame.Rect, ratio: float = 4.5) -> bool:
    """Whether the text in ``rect`` stands out from its background (the commonest colour there)."""
    pixels = pygame.image.tobytes(surface.subsurface(rect.clip(surface.get_rect())), "RGB")
    counts: dict[bytes, int] = {}
    for i in range(0, len(pixels), 3):
        counts[pixels[i:i + 3]] = counts.get(pixels[i:i + 3], 0) + 1
    background = max(counts, key=counts.get)
    return max(contrast(tuple(background), tuple(c)) for c in counts) >= ratio


def problems(app) -> list[str]:
    """Draw one frame of ``app`` and list what is wrong with its layout (empty: nothing)."""
    app.paint.start_recording()
    app.draw()
    boxes = app.paint.boxes
    app.paint.boxes = None
    window = app.surface.get_rect()
    found = []
    for box in boxes:
        if not _inside(box.rect, window):
            found.append(f"outside the window: {_name(box)}")
    for a, b in combinations(boxes, 2):
        if a.layer != b.layer or not a.rect.colliderect(b.rect):
            continue
        kinds = {a.kind, b.kind}
        if kinds & set(TEXTS) and kinds <= {"graphic", "text", "label"}:  # a graphic may sit on a graphic
            found.append(f"overlap: {_name(a)} and {_name(b)}")
        elif a.kind in CONTAINERS or b.kind in CONTAINERS:
            inner, outer = (a, b) if b.kind in CONTAINERS and _inside(a.rect, b.rect) else (b, a)
            if not (outer.kind in CONTAINERS and _inside(inner.rect, outer.rect)):
                found.append(f"cuts across: {_name(a)} and {_name(b)}")
    for box in boxes:
        if (box.kind == "text" and box.text.strip() and not box.clipped and not covered(box, boxes)
                and not legible(app.surface, box.rect)):
            found.append(f"text too faint for its background: {_name(box)}")
    buttons = [b for b in boxes if b.kind == "button"]
    labels = [b for b in boxes if b.kind == "label"]
    for button in buttons:
        if any(b.layer > button.layer and b.rect.colliderect(button.rect) for b in boxes):
            continue  # under a dialog: a modal dialog may cover what it stops
        mine = [lab for lab in labels if lab.layer == button.layer and button.rect.contains(lab.rect)]
        if not mine:
            found.append(f"a button with no label inside: {_name(button)}")
        for lab in mine:
            if not lab.text.strip() or not readable(app.surface, lab.rect, button.rect):
                found.append(f"an unreadable button label: {_name(lab)}")
    return found
