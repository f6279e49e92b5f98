// The dashboard's small amount of behaviour: auto-submitting filters, a table filter, the risk map and the
// Vega-Lite charts. Everything it loads comes from this server.
(function () {
  "use strict";

  function pct(value) {
    return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + "%";
  }

  // Filters submit on change (a button stands in without JavaScript).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      form.querySelectorAll("select").forEach(function (s) { s.disabled = s.value === ""; });
      form.submit();
    });
  });

  // Quick filter of the watchlist table by name or ISO3.
  var search = document.getElementById("watchlist-search");
  if (search) {
    search.addEventListener("input", function () {
      var text = search.value.trim().toLowerCase();
      document.querySelectorAll("#watchlist tbody tr").forEach(function (row) {
        row.hidden = text !== "" && row.getAttribute("data-name").indexOf(text) === -1;
      });
    });
  }

  // The choropleth: shapes from /assets/worldmap.svg, colours and tooltips from the page's data.
  var holder = document.getElementById("map");
  if (holder) {
    var canvas = holder.querySelector(".map-canvas");
    var tip = holder.querySelector(".map-tip");
    var data = JSON.parse(document.getElementById("map-data").textContent);
    var setView = function (name) {
      var svg = canvas.querySelector("svg");
      holder.setAttribute("data-view", name);
      document.querySelectorAll(".toggle button").forEach(function (b) {
        b.classList.toggle("on", b.getAttribute("data-view") === name);
      });
      if (!svg) { return; }
      var box = holder.getAttribute("data-" + name);
      var parts = box.split(" ").map(Number);
      svg.setAttribute("viewBox", box);
      // Fit the box in the card: full width, but never taller than 560 px (the shape scales inside).
      svg.style.width = "100%";
      svg.style.height = Math.min(560, canvas.clientWidth * parts[3] / parts[2]) + "px";
    };
    window.addEventListener("resize", function () { setView(holder.getAttribute("data-view") || "world"); });
    document.querySelectorAll(".toggle button").forEach(function (button) {
      button.addEventListener("click", function () { setView(button.getAttribute("data-view")); });
    });
    fetch("/assets/worldmap.svg").then(function (r) {
      if (!r.ok) { throw new Error("map shapes: HTTP " + r.status); }
      return r.text();
    }).then(function (text) {
      canvas.innerHTML = text;
      canvas.querySelectorAll("g.country").forEach(function (shape) {
        var iso3 = shape.getAttribute("data-iso3");
        var item = data[iso3];
        var title = shape.querySelector("title");
        if (!item) {
          shape.classList.add("nodata");
          if (title) { title.textContent += ": no forecast"; }
          return;
        }
        shape.classList.add("has-data");
        if (item.dim) { shape.classList.add("dim"); }
        shape.style.fill = item.colour;
        if (title) { title.remove(); }
        var go = function () { window.location.href = "/countries/" + encodeURIComponent(item.code); };
        shape.addEventListener("click", go);
        shape.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
        shape.addEventListener("mousemove", function (e) {
          var box = holder.getBoundingClientRect();
          tip.hidden = false;
          tip.innerHTML = "";
          var name = document.createElement("strong");
          name.textContent = item.name;
          var line = document.createElement("span");
          var interval = item.low === null || item.low === undefined ? "" : " (" + pct(item.low) + "–" + pct(item.high) + ")";
          line.textContent = pct(item.p) + interval + " · rank " + item.rank;
          tip.appendChild(name);
          tip.appendChild(line);
          var x = Math.min(e.clientX - box.left + 14, box.width - tip.offsetWidth - 4);
          tip.style.left = x + "px";
          tip.style.top = (e.clientY - box.top + 14) + "px";
        });
        shape.addEventListener("mouseleave", function () { tip.hidden = true; });
      });
      setView(holder.getAttribute("data-view") || "world");
      holder.setAttribute("data-ready", "1");
    }).catch(function (error) {
      canvas.innerHTML = "";
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = "The map could not be drawn: " + error.message;
      canvas.appendChild(p);
    });
  }

  // Vega-Lite charts: each spec sits in a JSON script beside its container.
  var charts = document.querySelectorAll("[data-chart]");
  if (charts.length) {
    var draw = function () {
      charts.forEach(function (el) {
        var spec = JSON.parse(document.getElementById("spec-" + el.getAttribute("data-chart")).textContent);
        window.vegaEmbed(el, spec, {
          renderer: "svg",
          actions: { export: true, source: false, compiled: false, editor: false },
          tooltip: { theme: "light" }
        }).then(function () {
          el.setAttribute("data-rendered", "1");
        }).catch(function (error) {
          el.textContent = "This chart could not be drawn: " + error.message;
          el.setAttribute("data-rendered", "error");
        });
      });
    };
    if (window.vegaEmbed) { draw(); } else { window.addEventListener("load", draw); }
  }
})();
