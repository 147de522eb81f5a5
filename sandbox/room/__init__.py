"""The room: one workshop's live state in a server process, owned in one place.

``Rooms(engine)`` is the factory's product (in the spirit of Flask's app
factory): the Streamlit app holds exactly one per database (``sandbox.ui.db``,
one ``st.cache_resource``), a test builds a fresh one. ``rooms.room(workshop_id)``
gives the :class:`Room` of one workshop, which owns:

- the one incremental log loader for that workshop (``SharedLog``, with the
  guard against SQLite reusing ids after a reset), used by the tick, missions
  and the dashboard alike;
- the tick and its "nothing is due" state, keyed by workshop id only;
- the missions' index of the log, built once per change of the log;
- the scripted timeline with each step's status, release and skip.

``rooms.writing(now)`` is the write path of every command a person gives: after
the command, in its transaction, it records the missions that command's
activity finished (whatever page the person is on), and after the commit it
drops what the room remembered if the command changed the timeline.

Layer: above services, simulation and metrics, below ui and cli (the import
test, tests/sandbox/test_import_layers.py, keeps it so). Never imports Streamlit.
"""
from sandbox.room.rooms import Room, RoomSnapshot, Rooms, RoomWrite

__all__ = ["Room", "RoomSnapshot", "RoomWrite", "Rooms"]
