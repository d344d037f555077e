/* clausewise: the traceability matrix's filters (all clauses / gaps only / one standard).
   Without this script the page shows the whole matrix and no button: the script reveals the
   buttons, and hides the rows (and, with several standards, the parts) that the pressed
   buttons leave out. Rows are gaps by their class "clausewise-gap", decided by the build. */
(function () {
  "use strict";

  function setUp(bar) {
    var shown = bar.querySelector(".clausewise-matrix-shown");
    var chosen = { rows: "all", standard: "all" };

    function apply() {
      var visible = 0;
      var total = 0;
      document.querySelectorAll(".clausewise-matrix-part").forEach(function (part) {
        part.hidden = chosen.standard !== "all" && part.id !== chosen.standard;
      });
      document.querySelectorAll("table.clausewise-matrix > tbody > tr").forEach(function (row) {
        var part = row.closest(".clausewise-matrix-part");
        row.hidden = chosen.rows === "gaps" && !row.classList.contains("clausewise-gap");
        if (!part || !part.hidden) {
          total += 1;
          visible += row.hidden ? 0 : 1;
        }
      });
      bar.querySelectorAll("button[data-filter]").forEach(function (button) {
        var pressed = chosen[button.getAttribute("data-filter")] === button.getAttribute("data-value");
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
      shown.textContent = "Showing " + visible + " of " + total + " clauses";
    }

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-filter]");
      if (button) {
        chosen[button.getAttribute("data-filter")] = button.getAttribute("data-value");
        apply();
      }
    });
    bar.hidden = false;
  }

  var bar = document.querySelector(".clausewise-matrix-filters");
  if (bar) {
    setUp(bar);
  }
})();
