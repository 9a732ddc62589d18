"""A compositor that paints only the screen lines an update changes.

For a partial update (a cursor move changes two lines of the list) Textual's
compositor asks every widget whose *clip* -- its parent's area -- touches the
changed lines for *all* its lines: the screen, every container on the way down,
the key hints, the filter bar and the panes beside the list, about 300 lines
of 8 widgets for 2 changed lines, most of a cursor move's CPU. This one asks
only the widgets whose visible area touches the changed lines, and only for
those lines. What reaches the terminal is the same: the lines an update
writes are rendered exactly as before, by the same widgets, front to back.

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
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = region.intersection(clip)
            top, bottom = max(y, crop_y), min(y + height, crop_bottom)
            if bottom <= top or x >= crop_right or x + width <= crop_x:
                continue
            # Cropped in height only: the compositor cuts each line at widget edges,
            # so the strip must keep starting at the widget's own left edge.
            shown = Region(x, top, width, bottom - top)
            yield shown, shown, widget.render_lines(Region(x - region.x, top - region.y, width, bottom - top))
