// Trainer view: shows the "instructor" notes that are hidden from learners.
// A real <button> in the header (so it works by keyboard and screen reader); the
// choice is remembered across pages in localStorage (works from file:// too).
(function () {
  "use strict";
  var KEY = "insideout.trainerView";

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }
  function apply(button, on) {
    document.body.classList.toggle("trainer-view", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector(".trainer-toggle__state").textContent = on ? "on" : "off";
  }

  function setup() {
    if (document.getElementById("trainer-toggle")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.id = "trainer-toggle";
    button.className = "trainer-toggle";
    button.title = "Show or hide the notes for trainers";
    button.innerHTML = 'Trainer view: <span class="trainer-toggle__state">off</span>';
    var header = document.querySelector(".md-header__inner");
    var anchor = header && header.querySelector(".md-search");
    if (header) {
      header.insertBefore(button, anchor || null);
    } else {
      document.body.insertBefore(button, document.body.firstChild);
    }
    button.addEventListener("click", function () {
      var on = !document.body.classList.contains("trainer-view");
      remember(on);
      apply(button, on);
    });
    apply(button, stored());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
