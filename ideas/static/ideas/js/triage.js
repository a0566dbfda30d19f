// Keyboard triage in the inbox: j/k move between ideas, x selects, Enter opens.
(function () {
  "use strict";
  const rows = () => Array.from(document.querySelectorAll("[data-triage-row]"));
  let current = -1;

  function focusRow(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("is-current", i === current));
    all[current].focus();
  }

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input[type=text], textarea, select");
    if (typing || event.altKey || event.ctrlKey || event.metaKey || !rows().length) return;
    const row = rows()[current];
    if (event.key === "j") focusRow(current + 1);
    else if (event.key === "k") focusRow(current - 1);
    else if (event.key === "x" && row) row.querySelector("input[type=checkbox]").click();
    else if (event.key === "Enter" && row && event.target === row) row.querySelector("[data-open]").click();
    else return;
    event.preventDefault();
  });

  document.addEventListener("change", (event) => {
    if (!event.target.matches("[data-select-all]")) return;
    rows().forEach((row) => { row.querySelector("input[type=checkbox]").checked = event.target.checked; });
  });
})();
