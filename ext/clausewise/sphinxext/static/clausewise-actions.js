/* clausewise: the action register's filters (every source or one, every owner or one).
   As the matrix's: without this script the page shows every action and no button; the script
   reveals the buttons and hides the rows the pressed buttons leave out. A row's source and owner
   are classes the build gives it ("clausewise-action-source-3"), the buttons' data-value the number. */
(function () {
  "use strict";

  function setUp(bar) {
    var shown = bar.querySelector(".clausewise-action-shown");
    var chosen = { source: "all", owner: "all" };

    function keeps(row, group) {
      return chosen[group] === "all" || row.classList.contains("clausewise-action-" + group + "-" + chosen[group]);
    }

    function apply() {
      var visible = 0;
      var total = 0;
      document.querySelectorAll("table.clausewise-action-register > tbody > tr").forEach(function (row) {
        row.hidden = !(keeps(row, "source") && keeps(row, "owner"));
        total += 1;
        visible += row.hidden ? 0 : 1;
      });
      bar.querySelectorAll("button[data-filter]").forEach(function (button) {
        var pressed = chosen[button.getAttribute("data-filter")] === button.getAttribute("data-value");
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
      shown.textContent = "Showing " + visible + " of " + total + " actions";
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

  var bar = document.querySelector(".clausewise-action-filters");
  if (bar) {
    setUp(bar);
  }
})();
