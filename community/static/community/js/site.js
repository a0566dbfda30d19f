/* Small behaviours every page may use, wired by data attributes: the site runs
 * under a strict Content-Security-Policy, so templates carry no inline script.
 *
 * data-confirm="Question?"  on a form: ask before it is sent.
 * data-merge-into="<id>"    on a button: fill the merge form's idea number.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-merge-into]");
    if (!button) return;
    var field = document.querySelector("input[name=into]");
    if (field) field.value = button.dataset.mergeInto;
  });
})();
