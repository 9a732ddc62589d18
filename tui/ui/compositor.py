"""A compositor that paints only the screen lines an update changes.

For a partial update (a cursor move changes two lines of the list) Textual's
compositor asks every widget whose *clip* -- its parent's area -- touches the
changed lines for *all* its lines: the screen, every container on the way down,
the key hints, the filter bar and the panes beside the list, about 300 lines
of 8 widgets for 2 changed lines, most of a cursor move's CPU. This one asks
only the widgets whose visible area touches the changed lines, only for those
lines, and skips those hidden there behind a widget in front (the list's
containers and the screen, behind the list). What reaches the terminal is the
same: each cell an update writes comes from the same front-most widget as before.

It overrides one private method of Textual 8 (``Compositor._get_renders``);
when that is not there (another Textual), ``ReaderScreen`` keeps Textual's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


def supported() -> bool:
    """Whether this Textual's compositor has the method overridden here."""
    return callable(getattr(Compositor, "_get_renders", None))


class LineCroppingCompositor(Compositor):
    """``Compositor`` whose partial updates render only the widgets and lines they cover."""

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None or crop == self.size.region:
            # A full update paints every line anyway.
            yield from super()._get_renders(crop)
            return
        crop_x, crop_y, crop_width, crop_height = crop
        crop_right, crop_bottom = crop_x + crop_width, crop_y + crop_height
        in_front: list[Region] = []
        # Front to back: a widget whose part of the update lies wholly under one widget
        # already painted (its container, the screen, behind the list) shows nothing of
        # it; the compositor keeps the front one's cells anyway.
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = region.intersection(clip)
            top, bottom = max(y, crop_y), min(y + height, crop_bottom)
            if bottom <= top or x >= crop_right or x + width <= crop_x:
                continue
            left, right = max(x, crop_x), min(x + width, crop_right)
            updated = Region(left, top, right - left, bottom - top)
            if any(front.contains_region(updated) for front in in_front):
                continue
            # Cropped in height only: the compositor cuts each line at widget edges,
            # so the strip must keep starting at the widget's own left edge.
            shown = Region(x, top, width, bottom - top)
            in_front.append(shown)
            yield shown, shown, widget.render_lines(Region(x - region.x, top - region.y, width, bottom - top))
