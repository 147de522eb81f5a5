"""A learner's browser tab without the browser: Streamlit's own WebSocket protocol.

Streamlit's frontend loads the page over HTTP, opens a WebSocket at ``/_stcore/stream``
(subprotocol ``streamlit``) and then talks protobuf: it sends a ``BackMsg`` whose
``rerun_script`` carries the URL's query string, the page and the value of every widget
it changed; the server answers with ``ForwardMsg``s (``new_session``, one ``delta`` per
element drawn, ``page_info_changed`` when the script changes the URL, ``auto_rerun``
for a fragment that polls, and ``script_finished``). This client does exactly that,
so a few hundred "learners" cost a few MB each instead of a Chromium each.

It finds widgets the way a person does, by their label, reads the ids Streamlit gave
them from the deltas, and sends values for those ids, as the frontend does.

How a learner stays signed in is in one place, :func:`credentials`: the session token
rides in a cookie that the page's own script writes (a custom component of version 2,
``sandbox/ui/components/session_cookie.py``); this client reads that component's data from
the deltas, keeps the cookie, and sends it with every later connection, as a browser does.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlparse

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from sandbox.ui.components.session_cookie import COOKIE

# How long one script run may take before the client gives up on it (a loaded 2-core box).
RUN_TIMEOUT_S = 90
WIDGET_KINDS = ("button", "text_area", "text_input", "checkbox", "button_group", "radio", "selectbox")
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
         ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class ProtocolError(Exception):
    """The server closed the connection or said something we did not expect."""


def credentials(query_string: str, cookies: dict[str, str]) -> str | None:
    """The learner's session token, from what the server last told this tab."""
    return cookies.get(COOKIE) or None


def cookie_written(element) -> tuple[str, str] | None:
    """(name, value) when ``element`` is the sandbox's cookie writer ("" value: delete it)."""
    if element.WhichOneof("type") != "bidi_component":
        return None
    try:
        data = json.loads(element.bidi_component.json or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get("name"):
        return None
    return str(data["name"]), str(data.get("value") or "")


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    proto: object


@dataclass
class Run:
    """What one script run drew: the widgets, the Markdown text, and any exception."""

    widgets: list[Widget] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # written by the page's script ("" deletes)

    def widget(self, kind: str, label_start: str) -> Widget:
        for widget in self.widgets:
            if widget.kind == kind and widget.label.startswith(label_start):
                return widget
        raise ProtocolError(f"no {kind} labelled {label_start!r} on the page")

    def widgets_of(self, kind: str, label_start: str) -> list[Widget]:
        return [w for w in self.widgets if w.kind == kind and w.label.startswith(label_start)]

    def shows(self, text: str) -> bool:
        return any(text in chunk for chunk in self.texts)


class StreamlitTab:
    """One learner's tab, through ``base_url`` (the proxy or a server)."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.query_string = ""
        self.fragment: tuple[str, float] | None = None  # (fragment id, seconds) of the live poll
        self.connection = None
        self.runs = 0
        self.timeouts = 0  # runs given up on (RUN_TIMEOUT_S); the connection was dropped each time

    @property
    def token(self) -> str | None:
        return credentials(self.query_string, self.cookies)

    async def open(self, http: httpx.AsyncClient) -> None:
        """Load the page as a browser does (the proxy may set its affinity cookie), then connect."""
        response = await http.get(self.base_url + "/", headers=self._cookie_header())
        for header in response.headers.get_list("set-cookie"):
            parsed = SimpleCookie()
            parsed.load(header)
            self.cookies.update({name: morsel.value for name, morsel in parsed.items()})
        if response.status_code != 200:
            raise ProtocolError(f"GET / answered {response.status_code}")
        await self.connect()

    async def connect(self) -> None:
        parts = urlparse(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.connection = await websockets.connect(
            f"{scheme}://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers=self._cookie_header(), origin=f"{parts.scheme}://{parts.netloc}",
            max_size=None, open_timeout=60, ping_interval=None,
        )

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
            self.connection = None

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    async def rerun(self, states: list[WidgetState] = (), fragment_id: str = "") -> Run:
        """Send one rerun (a click, a form submit, a poll) and read until the script finishes."""
        message = BackMsg()
        client_state = message.rerun_script
        client_state.query_string = self.query_string  # where the sign-in rides (see credentials)
        client_state.widget_states.widgets.extend(states)
        if fragment_id:
            client_state.fragment_id = fragment_id
            client_state.is_auto_rerun = True
        if self.connection is None:
            raise ProtocolError("not connected (the last run timed out, or the tab was closed)")
        try:
            await self.connection.send(message.SerializeToString())
            run = Run()
            deadline = time.monotonic() + RUN_TIMEOUT_S
            while True:
                raw = await asyncio.wait_for(self.connection.recv(), timeout=max(0.1, deadline - time.monotonic()))
                forward = ForwardMsg()
                forward.ParseFromString(raw)
                kind = forward.WhichOneof("type")
                if kind == "delta":
                    self._read_delta(forward.delta, run)
                elif kind == "page_info_changed":
                    self.query_string = forward.page_info_changed.query_string
                elif kind == "auto_rerun":
                    self.fragment = (forward.auto_rerun.fragment_id, forward.auto_rerun.interval)
                elif kind == "script_finished" and forward.script_finished in _DONE:
                    self.runs += 1
                    for name, value in run.cookies.items():
                        if value:
                            self.cookies[name] = value
                        else:
                            self.cookies.pop(name, None)
                    return run
        except asyncio.TimeoutError:
            # What that run still sends would be read as the answer to the next one (a post
            # "not confirmed" although stored): drop the connection; the caller reconnects.
            self.timeouts += 1
            await self.close()
            raise ProtocolError(f"no answer within {RUN_TIMEOUT_S} s") from None
        except (websockets.ConnectionClosed, OSError) as error:
            raise ProtocolError(f"{type(error).__name__}: {error}") from None

    @staticmethod
    def _read_delta(delta, run: Run) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        written = cookie_written(element)
        if written:
            run.cookies[written[0]] = written[1]
        elif kind == "markdown":
            run.texts.append(element.markdown.body)
        elif kind == "html":  # learners' posts: sanitised HTML (components/text.py)
            run.texts.append(element.html.body)
        elif kind == "heading":
            run.texts.append(element.heading.body)
        elif kind == "alert":
            run.texts.append(element.alert.body)
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            run.widgets.append(Widget(kind, proto.id, proto.label, proto))


def text(widget: Widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def ticked(widget: Widget) -> WidgetState:
    return WidgetState(id=widget.id, bool_value=True)


def click(widget: Widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


def option_value(option) -> str:
    """What the frontend sends for one option of a pills/segmented widget: Streamlit takes a
    leading Material icon or emoji out of the label into ``content_icon`` and the browser
    puts it back (``${contentIcon} ${content}``), which is what the server's options are."""
    return f"{option.content_icon} {option.content}".strip() if option.content_icon else option.content


def selected(widget: Widget) -> list[int]:
    """Indices of the options a pills/segmented widget shows as pressed."""
    return list(widget.proto.default)


def pick(widget: Widget, option_index: int) -> WidgetState:
    """Press one more option of a pills/segmented widget, as a person's click does: the
    frontend sends every pressed option (a multi-select keeps the ones pressed before)."""
    state = WidgetState(id=widget.id)
    chosen = [i for i in selected(widget) if i != option_index] + [option_index]
    state.string_array_value.data.extend(option_value(widget.proto.options[i]) for i in chosen)
    return state
