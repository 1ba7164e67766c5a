/*
 * Coordinator pages: show only the parts of a form that apply to the current choice.
 *
 *   <input type="radio" name="who" data-toggle-sections="who" ...>
 *   <div data-section="who" data-section-value="new"> ... </div>
 *
 * A box is hidden while the radio group named by data-section has another value checked.
 * data-section-value may list several values, separated by spaces (a box for any of them).
 * With JavaScript off every box stays visible, and the server ignores the ones that do not
 * apply.
 */
(function () {
  "use strict";

  function update(form, group) {
    var checked = form.querySelector('input[name="' + group + '"]:checked');
    var value = checked ? checked.value : "";
    form.querySelectorAll('[data-section="' + group + '"]').forEach(function (box) {
      var values = (box.getAttribute("data-section-value") || "").split(" ");
      box.hidden = value !== "" && values.indexOf(value) === -1;
    });
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      var groups = {};
      form.querySelectorAll("[data-toggle-sections]").forEach(function (input) {
        groups[input.getAttribute("data-toggle-sections")] = true;
      });
      Object.keys(groups).forEach(function (group) {
        update(form, group);
        form.addEventListener("change", function (event) {
          if (event.target.name === group) {
            update(form, group);
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
