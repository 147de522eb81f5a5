"""The server's log as an operator reads it: one line per action, who, which workshop, what failed."""
from __future__ import annotations

import re

from test_page_join import fill_join


def test_a_failed_and_a_good_join_are_one_line_each(open_app, workshop, capsys):
    capsys.readouterr()
    fill_join(open_app(), "WRONG1", "Dana Patel", "Library")
    fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library")
    lines = [line for line in capsys.readouterr().err.splitlines() if "insideout.actions" in line]
    assert len(lines) == 2, lines
    assert re.fullmatch(r"\S+ \S+ WARNING insideout\.actions: workshop=code:WRONG1 who=- did=join "
                        r"failed: .*join code is not right.*", lines[0]), lines[0]
    assert re.fullmatch(rf"\S+ \S+ INFO insideout\.actions: workshop={workshop.workshop.id} "
                        r"who=@dana-patel did=join ok", lines[1]), lines[1]
