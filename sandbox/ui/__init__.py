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
