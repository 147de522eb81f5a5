"""The sandbox's Streamlit user interface.

``sandbox/app.py`` only routes. Everything a person sees lives here:

    server.py       how to start the Streamlit server (flags, theme, no telemetry)
    state.py        every session-state key, declared once
    db.py           the one cached engine factory and a unit-of-work helper
    identity.py     who is signed in: the session token in the URL, resolved by a service
    components/     small reusable pieces (a post card, learner text, pager, badges)
    pages/          thin pages: lay out widgets and call services

Pages never run SQL and never keep learner content in session state; they ask
``sandbox.services`` every rerun.
"""

import sys

# Jupyter's extras install ``rfc3987_syntax``; when it is there, jsonschema (which Altair
# imports for its charts) imports it too, and it builds an Earley grammar at import: about
# 70% of Altair's first import (1.2 s of 1.7 s here, over 9 s on a busy machine), which
# the trainer saw as a blank dashboard (issue 14, finding 3). jsonschema uses it only to
# check the "iri" string format, which no chart spec has; marked as missing here,
# jsonschema skips that one check as it does wherever the package is not installed.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
