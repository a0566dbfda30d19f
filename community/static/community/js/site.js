/* Small behaviours every page shares. Loaded in <head> without `defer`, so the
 * `js` class is on <html> before the first paint: the menu folds away on a
 * phone without flashing open. Everything here works without JavaScript too:
 * the menu is then simply always shown, forms post without confirming.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* Say `text` to screen readers through the page's polite live region,
   * without moving focus. Cleared first, so the same words are said again. */
  function announce(text) {
    var region = document.getElementById("live-announcer");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }
  window.idealoopAnnounce = announce;

  /* The Menu button on narrow screens (the CSS decides when it shows). */
  function menu(button) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    button.hidden = false;

    function set(open, returnFocus) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
      if (!open && returnFocus) button.focus();
    }

    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true", false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false, true);
      }
    });
    // Focus or a tap leaving the header closes the menu.
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".site-header")) set(false, false);
    });
  }

  /* <form data-confirm="Question?">: ask before posting. */
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  /* A button with data-fill="selector" data-value="…" fills that input. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-fill"));
    if (input) {
      input.value = button.getAttribute("data-value");
      input.focus();
    }
  });

  /* After a vote, htmx swaps the widget (keeping focus on the button by its
   * id); the new score and the member's vote are announced. */
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.indexOf("vote-") !== 0) return;
    var widget = document.getElementById(target.id);
    if (widget && widget.dataset.voteAnnouncement) announce(widget.dataset.voteAnnouncement);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    if (button) menu(button);
  });
})();
