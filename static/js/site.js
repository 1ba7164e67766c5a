/*
 * Behaviour hooks for the whole site. Pages carry data attributes; this file does the rest,
 * because the content security policy allows no inline script (script-src 'self').
 * Every hook is an enhancement: each page still works with JavaScript off.
 *
 *   data-confirm="Question?"      on a button, link or form: ask before going ahead.
 *   data-print                    on a button: open the print dialog.
 *   data-autosubmit               on a form: submit when a select/checkbox changes (filters).
 *   data-scroll-active            on a strip of tabs that scrolls sideways (narrow screens):
 *                                 bring its .active tab into view on load, without moving the
 *                                 page itself.
 *   data-chart="line|bar|doughnut"
 *   data-chart-source="<id>"      on a box (give it class "chart-box" for its height) or on a
 *                                 <canvas> (wrapped in a .chart-box if it has none): draw a chart
 *                                 from the JSON in <script type="application/json" id="<id>">,
 *                                 which is what {{ value|json_script:"<id>" }} writes.
 *   data-chart-label="..."        optional accessible name for the chart (also read from the
 *                                 JSON's "title"); pages should show the same numbers in a table.
 *
 * Chart data shapes (all keys except labels/dates and values optional):
 *   line:     {"dates": ["2026-01-10", ...], "values": [2, 3.5, ...],
 *              "label": "Minutes of read-aloud", "target": 5, "targetLabel": "Target",
 *              "baseline": 1, "unit": "min", "title": "Progress towards the goal"}
 *             "dates" (ISO) place the points by date, so three days are narrower than two
 *             weeks, and label the axis and tooltips as dates; "labels" instead of "dates"
 *             space the points evenly, one per label.
 *   bar:      {"labels": ["Jan 2026", ...], "values": [4, 2, ...], "label": "Visits"}
 *   doughnut: {"labels": ["Agreed", "In progress", "Met"], "values": [3, 5, 2],
 *              "colors": ["#2f5da8", "#0b5560", "#1d6f3b"]}
 *             "colors" (bar or doughnut, one per value) give each value a colour of its own,
 *             e.g. a status that keeps its colour whichever other statuses are shown;
 *             otherwise colours follow the palette by position.
 *   Any type may give "datasets": [{"label": "...", "data": [...]}, ...] instead of "values".
 *   line may give "yMin" and "yMax": the value axis's fixed range (a rubric's scale).
 */
(function () {
  "use strict";

  // ---------- confirmation ----------

  // Clicks on buttons and links (this also covers pressing Enter in a form, which the browser
  // turns into a click on the form's default button).
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM") {
      return;
    }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Forms that ask as a whole, whichever button submits them.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    if (event.submitter && event.submitter.hasAttribute("data-confirm")) {
      return; // already asked on click
    }
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }, true);

  // ---------- print buttons ----------

  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-print]");
    if (el) {
      event.preventDefault();
      window.print();
    }
  });

  // ---------- auto-submitting filter forms ----------

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-autosubmit")) {
      return;
    }
    if (event.target.matches("select, input[type=checkbox], input[type=radio], input[type=date]")) {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  // ---------- tab strips that scroll sideways ----------

  // Bring the active tab into view inside its strip, centred where it can be. Only the strip
  // scrolls (scrollIntoView could move the page too).
  function showActiveTab(strip) {
    var tab = strip.querySelector(".active");
    if (!tab || strip.scrollWidth <= strip.clientWidth) {
      return;
    }
    var stripBox = strip.getBoundingClientRect();
    var tabBox = tab.getBoundingClientRect();
    if (tabBox.left >= stripBox.left && tabBox.right <= stripBox.right) {
      return;
    }
    strip.scrollLeft += tabBox.left - stripBox.left - (strip.clientWidth - tabBox.width) / 2;
  }

  // ---------- charts ----------

  // Colours chosen to stay distinguishable and to have at least 3:1 contrast on white.
  var PALETTE = ["#0b5560", "#5b3f8c", "#b35c00", "#1d6f3b", "#a4243b", "#2f5da8", "#6b6f75"];
  var TARGET_COLOUR = "#a4243b";
  var BASELINE_COLOUR = "#6b6f75";
  var DAY = 86400000; // milliseconds

  // "2026-01-10" -> days since 1970-01-01 (UTC, so no time zone shifts a date), or NaN.
  function dayNumber(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
    return parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) / DAY : NaN;
  }

  function formatDay(day, withYear) {
    var options = { month: "short", day: "numeric", timeZone: "UTC" };
    if (withYear) {
      options.year = "numeric";
    }
    return new Date(day * DAY).toLocaleDateString(document.documentElement.lang || undefined, options);
  }

  function yearOf(day) {
    return new Date(day * DAY).getUTCFullYear();
  }

  // Ticks on a date axis: from the first day, every day, 2 days, week, 2 weeks, 4 weeks...,
  // as often as the axis has room for their labels.
  var DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

  function dateTicks(width, first, last, withYear) {
    var room = Math.max(2, Math.floor(width / (withYear ? 110 : 64))); // labels that fit
    var span = last - first;
    var step = Math.max(1, Math.ceil(span / (room - 1)));
    for (var i = 0; i < DAY_STEPS.length; i++) {
      if (Math.floor(span / DAY_STEPS[i]) + 1 <= room) {
        step = DAY_STEPS[i];
        break;
      }
    }
    var ticks = [];
    for (var day = first; day <= last; day += step) {
      ticks.push({ value: day });
    }
    return ticks;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      if (window.console) {
        window.console.error("data-chart: bad JSON in #" + id, error);
      }
      return null;
    }
  }

  function datasetsFrom(data, type) {
    if (Array.isArray(data.datasets)) {
      return data.datasets.map(function (ds, i) {
        var colour = ds.color || PALETTE[i % PALETTE.length];
        var fill = type !== "line" && /^#[0-9a-f]{6}$/i.test(colour) ? colour + "cc" : colour;
        return Object.assign({ borderColor: colour, backgroundColor: fill }, ds);
      });
    }
    var values = Array.isArray(data.values) ? data.values : [];
    var colours = values.map(function (_, i) {
      return (Array.isArray(data.colors) && data.colors[i]) || PALETTE[i % PALETTE.length];
    });
    if (type === "doughnut") {
      return [{
        label: data.label || "",
        data: values,
        backgroundColor: colours,
        borderColor: "#fff",
        borderWidth: 2,
      }];
    }
    if (type === "bar") {
      return [{
        label: data.label || "",
        data: values,
        backgroundColor: Array.isArray(data.colors) ? colours : PALETTE[0],
        borderRadius: 3,
        maxBarThickness: 48,
      }];
    }
    return [{
      label: data.label || "Progress",
      data: values,
      borderColor: PALETTE[0],
      backgroundColor: PALETTE[0],
      pointRadius: 4,
      pointHoverRadius: 6,
      tension: 0, // straight lines between the measured points: a curve would invent values
      spanGaps: true,
    }];
  }

  // A horizontal line (target, baseline) across `xs`: label indexes, or days on a date axis.
  function flatLine(label, value, xs, colour, dash, byDate) {
    return {
      label: label,
      data: xs.map(function (x) { return byDate ? { x: x, y: value } : value; }),
      borderColor: colour,
      backgroundColor: colour,
      borderDash: dash,
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 0,
      fill: false,
    };
  }

  function buildConfig(type, data) {
    var labels = Array.isArray(data.labels) ? data.labels : [];
    var datasets = datasetsFrom(data, type);
    var unit = data.unit ? " " + data.unit : "";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 400 },
      plugins: {
        legend: { display: type !== "bar" || datasets.length > 1, position: "bottom" },
        title: { display: Boolean(data.title), text: data.title || "" },
      },
    };

    if (type === "line") {
      var days = Array.isArray(data.dates) ? data.dates.map(dayNumber) : [];
      var byDate = days.length > 0 && days.every(isFinite);
      var ends;
      if (byDate) {
        // A linear x axis of day numbers (Chart.js's time axis needs a date library): with
        // plain values, Chart.js reads each point's x from the labels.
        labels = days;
        ends = [Math.min.apply(null, days), Math.max.apply(null, days)];
        if (ends[0] === ends[1]) {
          ends = [ends[0] - 7, ends[1] + 7]; // one point: a fortnight around it
        }
      } else {
        if (labels.length === 1) {
          labels = labels.concat([""]); // a flat target line needs two points to show
        }
        ends = labels.map(function (_, i) { return i; });
      }
      if (data.target !== undefined && data.target !== null && data.target !== "") {
        datasets.push(flatLine(data.targetLabel || "Target", Number(data.target), ends, TARGET_COLOUR, [6, 4], byDate));
      }
      if (data.baseline !== undefined && data.baseline !== null && data.baseline !== "") {
        datasets.push(flatLine(data.baselineLabel || "Baseline", Number(data.baseline), ends, BASELINE_COLOUR, [2, 3], byDate));
      }
      options.scales = {
        y: {
          beginAtZero: data.beginAtZero !== false,
          ticks: { callback: function (value) { return value + unit; } },
        },
      };
      // A fixed range, e.g. a rubric's scale (1 to 7), so that the line's height means a score.
      if (typeof data.yMin === "number") {
        options.scales.y.min = data.yMin;
      }
      if (typeof data.yMax === "number") {
        options.scales.y.max = data.yMax;
      }
      options.plugins.tooltip = {
        callbacks: {
          label: function (ctx) {
            return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + ctx.formattedValue + unit;
          },
        },
      };
      if (byDate) {
        var withYear = yearOf(ends[0]) !== yearOf(ends[1]);
        options.scales.x = {
          type: "linear",
          min: ends[0],
          max: ends[1],
          afterBuildTicks: function (scale) {
            scale.ticks = dateTicks(scale.width, ends[0], ends[1], withYear);
          },
          ticks: {
            callback: function (day) { return formatDay(day, withYear); },
          },
        };
        // The first and last points sit on the axis's ends: draw them whole.
        datasets[0].clip = 8;
        options.plugins.tooltip.callbacks.title = function (items) {
          return items.length ? formatDay(items[0].parsed.x, true) : "";
        };
      }
    } else if (type === "bar") {
      options.scales = {
        y: { beginAtZero: true, ticks: { precision: 0 } },
      };
    } else if (type === "doughnut") {
      options.cutout = "55%";
    }

    return { type: type, data: { labels: labels, datasets: datasets }, options: options };
  }

  function drawChart(el) {
    if (el.hasAttribute("data-chart-ready") || typeof window.Chart === "undefined") {
      return;
    }
    var type = el.getAttribute("data-chart");
    if (["line", "bar", "doughnut"].indexOf(type) === -1) {
      return;
    }
    var data = readJson(el.getAttribute("data-chart-source"));
    if (!data) {
      return;
    }
    var canvas = el;
    if (el.tagName !== "CANVAS") {
      canvas = document.createElement("canvas");
      el.appendChild(canvas);
    } else if (!el.parentElement.classList.contains("chart-box")) {
      // A responsive chart needs a sized box of its own around the canvas, or it keeps growing.
      var box = document.createElement("div");
      box.className = "chart-box";
      if (el.classList.contains("chart-box-sm")) {
        box.classList.add("chart-box-sm");
      }
      el.classList.remove("chart-box", "chart-box-sm");
      el.parentElement.insertBefore(box, el);
      box.appendChild(el);
    }
    var name = el.getAttribute("data-chart-label") || data.title;
    if (name) {
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", name);
    }
    el.setAttribute("data-chart-ready", "");
    canvas.chart = new window.Chart(canvas, buildConfig(type, data));
  }

  function drawCharts(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-chart]")) {
      drawChart(scope);
    }
    scope.querySelectorAll("[data-chart]").forEach(drawChart);
  }

  function init() {
    if (typeof window.Chart !== "undefined") {
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      window.Chart.defaults.color = "#343a40";
    }
    drawCharts(document);
    document.querySelectorAll("[data-scroll-active]").forEach(showActiveTab);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
