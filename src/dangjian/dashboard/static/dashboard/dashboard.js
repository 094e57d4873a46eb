/* 仪表盘 and the big screen: draws each chart of the page's JSON (json_script "dashboard-data") with ECharts.
   CSP-clean: no inline script or style; tooltips in rich-text mode (ECharts' HTML tooltips set inline styles).
   A click on a bar, slice or point opens the records it counts; each chart's table is toggled by its button. */
(function () {
  "use strict";

  var COLORS = ["#c8161d", "#e6a23c", "#2f7ed8", "#3aa57a", "#8e6bbf", "#e86a5f", "#5ab1c9", "#a0784b"];

  function axisOption(c, horizontal, dark) {
    var category = { type: "category", data: c.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", name: c.unit };
    if (c.unit === "%") {
      value.max = 100;
    }
    var series = c.series.map(function (s) {
      var kind = c.kind === "line" ? "line" : "bar";
      var item = { name: s.name, type: kind, data: s.data, cursor: "pointer", connectNulls: false };
      if (c.kind === "stack") {
        item.stack = "total";
      }
      if (kind === "bar" && c.series.length === 1) {
        item.label = { show: true, position: horizontal ? "right" : "top", color: dark ? "#eee" : "#333" };
      }
      return item;
    });
    var option = {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      series: series,
      legend: c.series.length > 1 ? { type: "scroll", top: 0 } : { show: false }
    };
    if (horizontal) {
      category.inverse = true;
      category.axisLabel.width = 140;
      category.axisLabel.overflow = "truncate";
      option.xAxis = value;
      option.yAxis = category;
    } else {
      category.axisLabel.rotate = c.categories.length > 6 ? 30 : 0;
      option.xAxis = category;
      option.yAxis = value;
    }
    return option;
  }

  function itemOption(c, narrow) {
    var s = c.series[0];
    var data = c.categories.map(function (name, n) {
      return { name: name, value: s.data[n] };
    });
    if (c.kind === "funnel") {
      return {
        legend: { show: false },
        series: [{ type: "funnel", name: s.name, data: data, sort: "none", cursor: "pointer",
          left: "5%", width: "90%", label: { show: true, position: "inside", formatter: "{b}：{c}" } }]
      };
    }
    return {
      legend: { type: "scroll", bottom: 0 },
      // on a phone the slices' labels do not fit beside the ring: the legend and the table name them
      series: [{ type: "pie", name: s.name, data: data, radius: ["35%", "65%"], cursor: "pointer",
        label: { show: !narrow, formatter: "{b}：{c}" } }]
    };
  }

  // the big screen is read from across the hall: larger axis labels, legends and values
  function bigger(o) {
    ["xAxis", "yAxis"].forEach(function (axis) {
      if (o[axis]) {
        o[axis].axisLabel = Object.assign({}, o[axis].axisLabel, { fontSize: 16 });
        o[axis].nameTextStyle = { fontSize: 16 };
      }
    });
    if (o.legend) {
      o.legend.textStyle = { fontSize: 16 };
    }
    o.series.forEach(function (s) {
      s.label = Object.assign({}, s.label, { fontSize: 18 });
    });
  }

  function option(c, dark, narrow) {
    var o;
    if (c.kind === "pie" || c.kind === "funnel") {
      o = itemOption(c, narrow);
    } else {
      o = axisOption(c, c.kind === "hbar", dark);
    }
    o.color = COLORS;
    o.backgroundColor = "transparent";
    o.aria = { enabled: true };
    // richText: drawn on the canvas, no HTML with inline styles (style-src 'self')
    o.tooltip = { renderMode: "richText", trigger: c.kind === "stack" || c.kind === "group" || c.kind === "line" ? "axis" : "item",
      valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + (c.unit === "%" ? "%" : " " + c.unit); } };
    o.animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (dark) {
      bigger(o);
    }
    return o;
  }

  function draw(el, c, dark, navigate) {
    var chart = window.echarts.init(el, dark ? "dark" : null);
    chart.setOption(option(c, dark, el.clientWidth < 480));
    if (navigate) {
      chart.on("click", function (p) {
        var s = c.series[c.kind === "pie" || c.kind === "funnel" ? 0 : p.seriesIndex];
        var link = s && s.links[p.dataIndex];
        if (link) {
          window.location.assign(link);
        }
      });
    }
    return chart;
  }

  function readData() {
    var node = document.getElementById("dashboard-data");
    var byId = {};
    if (node) {
      JSON.parse(node.textContent).forEach(function (c) { byId[c.id] = c; });
    }
    return byId;
  }

  function page(byId) {
    var charts = [];
    document.querySelectorAll(".dash-chart[data-chart]").forEach(function (el) {
      var c = byId[el.getAttribute("data-chart")];
      if (c) {
        charts.push(draw(el, c, false, true));
      }
    });
    document.querySelectorAll(".dash-toggle").forEach(function (button) {
      var table = document.getElementById(button.getAttribute("data-table"));
      if (!table) {
        return;
      }
      table.hidden = true;
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        table.hidden = !table.hidden;
        button.setAttribute("aria-expanded", table.hidden ? "false" : "true");
      });
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  function screen(byId, body) {
    var slides = Array.prototype.slice.call(document.querySelectorAll(".screen-slide"));
    if (!slides.length) {
      return;
    }
    var seconds = parseInt(body.getAttribute("data-interval"), 10) || 12;
    var drawn = {};
    var current = 0;
    var paused = false;
    var timer = null;
    var position = document.getElementById("screen-position");
    var pausedNote = document.getElementById("screen-paused");

    function show(n) {
      current = (n + slides.length) % slides.length;
      slides.forEach(function (slide, i) { slide.hidden = i !== current; });
      var el = slides[current].querySelector(".dash-chart");
      var id = el.getAttribute("data-chart");
      if (!drawn[id] && byId[id]) {
        drawn[id] = draw(el, byId[id], true, false);
      } else if (drawn[id]) {
        drawn[id].resize();
      }
      if (position) {
        position.textContent = (current + 1) + " / " + slides.length;
      }
    }

    function schedule() {
      if (timer) {
        window.clearInterval(timer);
      }
      timer = paused ? null : window.setInterval(function () { show(current + 1); }, seconds * 1000);
    }

    document.addEventListener("keydown", function (e) {
      if (e.key === " " || e.key === "p" || e.key === "P") {
        paused = !paused;
        if (pausedNote) {
          pausedNote.hidden = !paused;
        }
        e.preventDefault();
      } else if (e.key === "ArrowRight" || e.key === "PageDown") {
        show(current + 1);
      } else if (e.key === "ArrowLeft" || e.key === "PageUp") {
        show(current - 1);
      } else {
        return;
      }
      schedule();
    });
    window.addEventListener("resize", function () {
      Object.keys(drawn).forEach(function (id) { drawn[id].resize(); });
    });
    show(0);
    schedule();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) {
      return;
    }
    var byId = readData();
    var body = document.body;
    if (body.classList.contains("dash-screen")) {
      screen(byId, body);
    } else {
      page(byId);
    }
  });
})();
