// The country page's what-if panel: sliders for a few inputs (bounds from GET /api/scenarios/inputs), results
// from POST /api/scenarios. Every value is written with textContent; nothing is loaded from elsewhere.
(function () {
  "use strict";

  var panel = document.getElementById("scenario-panel");
  if (!panel) { return; }
  var code = panel.getAttribute("data-country");
  var form = document.getElementById("scenario-form");
  var sliders = document.getElementById("scenario-sliders");
  var status = document.getElementById("scenario-status");
  var result = document.getElementById("scenario-result");
  var loading = document.getElementById("scenario-loading");

  var SLIDERS = [
    { key: "milex", input: "milex_gdp", mode: "relative", min: -100, max: 100, step: 5,
      label: "Military spending (share of GDP; every spending measure moves with it)" },
    { key: "jucon", input: "v2x_jucon", mode: "add", index: true,
      label: "Judicial constraints on the executive (V-Dem, 0-1)" },
    { key: "legcon", input: "v2xlg_legcon", mode: "add", index: true,
      label: "Legislative constraints on the executive (V-Dem, 0-1)" },
    { key: "cspart", input: "v2x_cspart", mode: "add", index: true,
      label: "Civil society participation (V-Dem, 0-1)" },
    { key: "shift", shift: { from: "capacity", to: "governance" }, min: 0, max: 100, step: 5,
      label: "Move U.S. security capacity (train-and-equip) aid to security governance" }
  ];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(1) + "%"; }
  function points(v) {
    if (v === null || v === undefined) { return "–"; }
    var s = (v * 100).toFixed(2);
    return (v > 0 ? "+" : "") + s;
  }
  function num(v, digits) {
    if (v === null || v === undefined) { return "missing"; }
    var a = Math.abs(v);
    if (a >= 1e6) { return (v / 1e6).toFixed(2) + "M"; }
    if (a >= 1e3) { return Math.round(v).toLocaleString("en-US"); }
    return Number(v.toFixed(digits === undefined ? 3 : digits)).toString();
  }
  function money(v) { return v === null || v === undefined ? "no data" : "$" + num(v); }

  function describe(spec, value) {
    var v = Number(value);
    if (spec.mode === "relative") { return (v > 0 ? "+" : "") + v + "%"; }
    if (spec.shift) { return v + "% moved"; }
    return (v > 0 ? "+" : "") + v.toFixed(2);
  }

  function resulting(spec, value, current) {
    var v = Number(value);
    if (spec.shift) {
      if (!current.capacity) { return ""; }
      var moved = current.capacity.value * v / 100;
      return "capacity " + money(current.capacity.value - moved) + ", governance " +
        money((current.governance && current.governance.value || 0) + moved);
    }
    var now = current[spec.input];
    if (!now || now.value === null) { return ""; }
    var after = spec.mode === "relative" ? now.value * (1 + v / 100) : now.value + v;
    return num(now.value) + " → " + num(after) + " (value of " + now.value_year + ")";
  }

  function build(data) {
    var current = {};
    data.inputs.forEach(function (item) { current[item.name] = item; });
    data.categories.forEach(function (item) { current[item.name.replace("category:", "")] = item; });
    document.getElementById("scenario-basis").textContent = "Changes apply to the inputs of " + data.data_year +
      ", which the forecast for " + data.year + " sees. Values a source stopped reporting are changed where the " +
      "forecast carries them forward from.";
    SLIDERS.forEach(function (spec) {
      var row = el("div", "scenario-slider");
      row.setAttribute("data-key", spec.key);
      var id = "scenario-" + spec.key;
      var label = el("label", null, spec.label);
      label.setAttribute("for", id);
      var input = el("input");
      input.type = "range";
      input.id = id;
      input.name = spec.key;
      var min = spec.min, max = spec.max, step = spec.step, disabled = null;
      if (spec.index) {
        var now = current[spec.input];
        if (!now || now.value === null) {
          disabled = "no V-Dem value for " + data.data_year + " or the years the forecast carries forward";
          min = -0.5; max = 0.5;
        } else {
          min = Math.max(-0.5, -Math.floor(now.value * 100) / 100);
          max = Math.min(0.5, Math.floor((1 - now.value) * 100) / 100);
        }
        step = 0.01;
      } else if (spec.shift) {
        if (!current.capacity || !current.capacity.value) {
          disabled = "no U.S. security capacity aid recorded (Greenbook obligations end in FY2020)";
        }
      } else if (!current[spec.input] || current[spec.input].value === null) {
        disabled = "no SIPRI value";
      }
      input.min = String(min);
      input.max = String(max);
      input.step = String(step);
      input.value = "0";
      input.setAttribute("data-input", spec.input || "");
      var out = el("output", "scenario-value", describe(spec, 0));
      out.setAttribute("for", id);
      var after = el("span", "scenario-after muted small", resulting(spec, 0, current));
      if (disabled) {
        input.disabled = true;
        after.textContent = disabled;
        row.classList.add("disabled");
      }
      input.addEventListener("input", function () {
        out.textContent = describe(spec, input.value);
        if (!disabled) { after.textContent = resulting(spec, input.value, current); }
      });
      row.appendChild(label);
      row.appendChild(input);
      row.appendChild(out);
      row.appendChild(after);
      sliders.appendChild(row);
    });
    loading.hidden = true;
    form.hidden = false;
  }

  function request() {
    var changes = [], shifts = [];
    SLIDERS.forEach(function (spec) {
      var input = document.getElementById("scenario-" + spec.key);
      var v = Number(input.value);
      if (input.disabled || v === 0) { return; }
      if (spec.shift) {
        shifts.push({ from: spec.shift.from, to: spec.shift.to, percent: v });
      } else {
        changes.push({ input: spec.input, mode: spec.mode, amount: v });
      }
    });
    return { changes: changes, shifts: shifts };
  }

  function table(headers, rows) {
    var t = el("table", "table scenario-table");
    var head = el("thead"), tr = el("tr");
    headers.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    head.appendChild(tr);
    t.appendChild(head);
    var body = el("tbody");
    rows.forEach(function (cells) {
      var r = el("tr");
      cells.forEach(function (c) { r.appendChild(el("td", null, c)); });
      body.appendChild(r);
    });
    t.appendChild(body);
    return t;
  }

  function show(data) {
    result.innerHTML = "";
    var outcome = data.results[0];
    var level = Math.round(data.interval_level * 100) + "%";
    var head = el("div", "scenario-headline");
    var base = el("div", "scenario-risk");
    base.appendChild(el("span", "eyebrow", "Baseline " + data.year));
    base.appendChild(el("span", "big-number", pct(outcome.p_baseline)));
    base.appendChild(el("span", "muted small", level + " interval " + pct(outcome.p_baseline_low) + "–" + pct(outcome.p_baseline_high)));
    var scen = el("div", "scenario-risk");
    scen.appendChild(el("span", "eyebrow", "Scenario"));
    scen.appendChild(el("span", "big-number", pct(outcome.p_scenario)));
    scen.appendChild(el("span", "muted small", level + " interval " + pct(outcome.p_scenario_low) + "–" + pct(outcome.p_scenario_high)));
    var diff = el("div", "scenario-risk");
    var direction = outcome.difference > 0 ? "up" : (outcome.difference < 0 ? "down" : "flat");
    diff.appendChild(el("span", "eyebrow", "Difference"));
    diff.appendChild(el("span", "big-number delta " + direction, points(outcome.difference) + " pts"));
    diff.appendChild(el("span", "muted small", level + " interval " + points(outcome.difference_low) + " to " +
      points(outcome.difference_high) + " points (paired refits)"));
    head.appendChild(base);
    head.appendChild(scen);
    head.appendChild(diff);
    result.appendChild(head);
    result.setAttribute("data-difference", String(outcome.difference));
    if (outcome.draws_lower !== null && outcome.draws_lower !== undefined) {
      result.appendChild(el("p", "small", "Of " + data.draws + " bootstrap refits of the " + data.model +
        " model on resampled countries, the scenario lowers the risk in " + Math.round(outcome.draws_lower * 100) +
        "% and raises it in " + Math.round(outcome.draws_higher * 100) + "%."));
    }
    if (outcome.extrapolation) {
      result.appendChild(el("p", "notice small scenario-warning", "Extrapolation: " +
        outcome.extrapolated_features.join(", ") + " outside the range of the training data; the model has " +
        "never seen such values."));
    }
    if (outcome.features_not_in_model.length) {
      result.appendChild(el("p", "muted small", "Changed but not used by the model: " +
        outcome.features_not_in_model.join(", ") + "."));
    }
    if (!outcome.features_changed.length) {
      result.appendChild(el("p", "muted small", "No forecast feature reads these inputs, so the model cannot respond."));
    }
    result.appendChild(el("h3", null, "What moved the risk (contributions to the log-odds)"));
    result.appendChild(table(["Feature", "Before", "After", "Contribution before", "after", "change"],
      outcome.moved.map(function (m) {
        return [(m.label || m.description) + (m.value_changed ? "" : " (same value; interaction)"), num(m.value_before),
          num(m.value_after), m.contribution_before.toFixed(3), m.contribution_after.toFixed(3),
          (m.contribution_change > 0 ? "+" : "") + m.contribution_change.toFixed(3)];
      })));
    result.appendChild(el("h3", null, "Inputs changed"));
    result.appendChild(table(["Input", "How", "Value of", "Before", "After"], outcome.inputs.map(function (i) {
      return [i.label || i.input, i.role, i.value_year === null ? "" : String(i.value_year), num(i.before), num(i.after)];
    })));
    result.appendChild(el("p", "scenario-caveat small", data.caveat));
    result.hidden = false;
  }

  function fail(message) {
    result.innerHTML = "";
    result.appendChild(el("p", "notice scenario-error", message));
    result.hidden = false;
  }

  fetch("/api/scenarios/inputs?country=" + encodeURIComponent(code)).then(function (r) {
    return r.json().then(function (body) {
      if (!r.ok) { throw new Error(body.detail || ("HTTP " + r.status)); }
      return body;
    });
  }).then(build).catch(function (error) {
    loading.textContent = "The scenario inputs could not be loaded: " + error.message;
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = request();
    if (!chosen.changes.length && !chosen.shifts.length) {
      status.textContent = "Move a slider first.";
      return;
    }
    var draws = Number(document.getElementById("scenario-draws").value);
    var button = document.getElementById("scenario-run");
    button.disabled = true;
    status.textContent = "Refitting the model " + draws + " times…";
    panel.setAttribute("data-state", "running");
    fetch("/api/scenarios", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ country: code, draws: draws, scenarios: [{ changes: chosen.changes, shifts: chosen.shifts }] })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) {
          var allowed = body.allowed && body.allowed.length && body.allowed.length < 12 ? " Allowed: " + body.allowed.join(", ") : "";
          throw new Error((body.detail || ("HTTP " + r.status)) + allowed);
        }
        return body;
      });
    }).then(function (body) {
      show(body);
      status.textContent = "";
      panel.setAttribute("data-state", "done");
    }).catch(function (error) {
      fail(error.message);
      status.textContent = "";
      panel.setAttribute("data-state", "error");
    }).then(function () { button.disabled = false; });
  });

  document.getElementById("scenario-reset").addEventListener("click", function () {
    SLIDERS.forEach(function (spec) {
      var input = document.getElementById("scenario-" + spec.key);
      input.value = "0";
      input.dispatchEvent(new Event("input"));
    });
    result.hidden = true;
    status.textContent = "";
  });
})();
