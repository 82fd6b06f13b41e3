// The flight deck explorer. Every number, limit, rule and reading comes from the
// embedded data, which the engine computed; this script only chooses and draws.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data-json").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = {
    // The static charts' colours (src/charts/draw.rs); each point also says its reading.
    improvement: "#289de0", concern: "#fab428", neutral_high: "#361475",
    neutral_low: "#361475", common_cause: "#7b7d7d"
  };
  var POINT_WORDS = {
    improvement: "special cause improvement", concern: "special cause concern",
    neutral_high: "special cause, neither improvement nor concern (high)",
    neutral_low: "special cause, neither improvement nor concern (low)",
    common_cause: "common cause variation"
  };
  var RULE_WORDS = {
    outside: "a point outside the process limits", shift: "a run of seven on one side of the mean",
    trend: "seven points rising or falling", two_in_three: "two of three points near a limit", none: "none"
  };
  var ICON_NAMES = {};
  D.icons.forEach(function (i) { ICON_NAMES[i.stem] = i.name; });
  var INDICATORS = {};
  D.indicators.forEach(function (i) { INDICATORS[i.id] = i; });
  var state = { unit: 0, group: "all", pillar: "1", indicator: "", rank: "area", variation: "", assurance: "", sort: "", desc: false };

  // Rows of a unit as objects, built once per unit.
  var cache = {};
  // A column as the engine wrote it: values, or a dictionary and one code per row.
  function column(c) {
    if (Array.isArray(c)) { return c; }
    return c.codes.map(function (k) { return k === null ? null : c.values[k]; });
  }
  function objects(table) {
    var cols = {}, n = 0;
    for (var c in table) { cols[c] = column(table[c]); n = cols[c].length; }
    var out = [];
    for (var k = 0; k < n; k++) {
      var o = {};
      for (var d in cols) { o[d] = cols[d][k]; }
      out.push(o);
    }
    return out;
  }
  function rowsOf(u) {
    if (!cache[u]) { cache[u] = { rows: objects(D.units[u].rows), summary: objects(D.units[u].summary) }; }
    return cache[u];
  }
  function series(u, group, id) {
    return rowsOf(u).rows.filter(function (r) { return r.offence_group === group && r.indicator === id; })
      .sort(function (a, b) { return a.period < b.period ? -1 : a.period > b.period ? 1 : 0; });
  }
  function summaryRow(u, group, id) {
    var s = rowsOf(u).summary;
    for (var i = 0; i < s.length; i++) { if (s[i].offence_group === group && s[i].indicator === id) { return s[i]; } }
    return null;
  }

  // Words for numbers.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function monthWords(p) { if (!p) { return ""; } var y = p.slice(0, 4), m = +p.slice(5, 7); return MONTHS[m - 1] + " " + y; }
  function thousands(v) { return Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function fmt(v, unit) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "string") { return v; }
    if (unit === "proportion") { return (v * 100).toFixed(1) + "%"; }
    if (unit === "count") { return thousands(v); }
    if (unit === "median days") { return (Math.round(v * 10) / 10) + " days"; }
    return v.toFixed(2);
  }
  function tick(v, unit) {
    if (unit === "proportion") { return (v * 100).toFixed(1) + "%"; }
    if (unit === "ratio") { return v.toFixed(2); }
    return (Math.round(v * 10) / 10).toString();
  }
  function interval(lo, hi, unit) {
    if (typeof lo === "string") { return lo; }
    if (lo === null || hi === null || lo === undefined) { return ""; }
    return fmt(lo, unit) + " to " + fmt(hi, unit);
  }
  function words(code) { return code ? code.replace(/_/g, " ") : ""; }
  function variationClass(code) {
    if (!code || typeof code !== "string") { return "none"; }
    if (code.indexOf("concern") === 0) { return "concern"; }
    if (code.indexOf("improvement") === 0) { return "improvement"; }
    if (code.indexOf("neutral") === 0) { return "neutral"; }
    return code === "common_cause" ? "common_cause" : "none";
  }
  function icon(prefix, code) {
    if (!code || typeof code !== "string") { return ""; }
    var stem = prefix + "-" + code.replace(/_/g, "-");
    var name = ICON_NAMES[stem];
    if (!name) { return ""; }
    return "<svg class=\"icon\" width=\"24\" height=\"24\" viewBox=\"0 0 48 48\" role=\"img\" aria-label=\"" + esc(name) + "\"><title>" + esc(name) + "</title><use href=\"#" + stem + "\"/></svg>";
  }
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var a in attrs) { e.setAttribute(a, attrs[a]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function num(v) { return typeof v === "number" ? v : null; }

  // The state in the URL fragment, so a link opens the same view.
  function readFragment() {
    var h = location.hash.replace(/^#/, "");
    if (!h) { return; }
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("="); if (i < 0) { return; }
      var k = decodeURIComponent(kv.slice(0, i)), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "unit") {
        for (var u = 0; u < D.units.length; u++) { if (D.units[u].kind + ":" + D.units[u].name === v) { state.unit = u; } }
      } else if (k === "indicator" && INDICATORS[v]) { state.indicator = v; state.pillar = String(INDICATORS[v].pillar); }
      else if (k === "group" || k === "rank" || k === "variation" || k === "assurance") { state[k] = v; }
      else if (k === "pillar" && !state.indicator) { state.pillar = v; }
    });
  }
  function writeFragment() {
    var u = D.units[state.unit];
    var parts = [["unit", u.kind + ":" + u.name], ["group", state.group], ["indicator", state.indicator], ["rank", state.rank]];
    if (state.variation) { parts.push(["variation", state.variation]); }
    if (state.assurance) { parts.push(["assurance", state.assurance]); }
    var h = "#" + parts.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
    if (location.hash !== h) { history.replaceState(null, "", h); }
  }

  function option(sel, value, text) { var o = document.createElement("option"); o.value = value; o.textContent = text; sel.appendChild(o); }
  function fillControls() {
    option($("force"), D.force, D.force);
    D.units.forEach(function (u, i) {
      option($("unit"), String(i), u.kind === "all" ? "All of " + D.force : (u.kind === "area" ? "Area: " : "Team: ") + u.name);
    });
    D.groups.forEach(function (g) { option($("group"), g.id, g.label); });
    D.pillars.forEach(function (p, i) { option($("pillar"), String(i + 1), "Pillar " + (i + 1) + ": " + p); });
  }
  function fillIndicators() {
    var sel = $("indicator");
    sel.textContent = "";
    D.indicators.filter(function (i) { return String(i.pillar) === state.pillar; })
      .forEach(function (i) { option(sel, i.id, i.title); });
    if (!INDICATORS[state.indicator] || String(INDICATORS[state.indicator].pillar) !== state.pillar) {
      state.indicator = sel.options.length ? sel.options[0].value : "";
    }
    sel.value = state.indicator;
  }
  function syncControls() {
    $("unit").value = String(state.unit);
    $("group").value = state.group;
    $("pillar").value = state.pillar;
    fillIndicators();
    $("rank-by").value = state.rank;
    $("variation-filter").value = state.variation;
    $("assurance-filter").value = state.assurance;
  }

  // An XmR chart of a series, as the engine classified it.
  function drawSeries(box, rows, ind, small) {
    box.textContent = "";
    var W = small ? 300 : 820, H = small ? 130 : 340;
    var m = small ? { l: 40, r: 8, t: 8, b: 20 } : { l: 64, r: 16, t: 16, b: 40 };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "class": "xmr" }, box);
    var vals = [];
    rows.forEach(function (r) { [r.value, r.mean, r.lpl, r.upl].forEach(function (v) { if (num(v) !== null) { vals.push(v); } }); });
    rows.forEach(function (r) { if (num(r.target) !== null) { vals.push(r.target); } });
    if (!vals.length) {
      var t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", "class": "empty" }, svg);
      t.textContent = "No values to draw";
      svg.setAttribute("aria-label", "No values to draw");
      return 0;
    }
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
    if (lo === hi) { lo -= 1; hi += 1; }
    var pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
    // Shares lie in 0 to 1, and counts, medians and ratios are never negative: a limit
    // beyond is not drawn, as in the static charts.
    lo = Math.max(0, lo);
    if (ind.unit === "proportion") { hi = Math.min(1, hi); }
    var n = rows.length, step = (W - m.l - m.r) / Math.max(n, 1);
    var x = function (i) { return m.l + step * (i + 0.5); };
    var y = function (v) { return m.t + (H - m.t - m.b) * (1 - (v - lo) / (hi - lo)); };
    // Axes: three ticks on y, a label every year on x.
    for (var k = 0; k <= 3; k++) {
      var v = lo + (hi - lo) * k / 3;
      el("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), "class": "grid" }, svg);
      var lab = el("text", { x: m.l - 6, y: y(v) + 4, "text-anchor": "end", "class": "tick" }, svg);
      lab.textContent = tick(v, ind.unit);
    }
    rows.forEach(function (r, i) {
      if (!small && (r.period.slice(5) === "01" || i === 0)) {
        var tx = el("text", { x: x(i), y: H - m.b + 16, "text-anchor": "middle", "class": "tick" }, svg);
        tx.textContent = monthWords(r.period);
      }
    });
    // Mean and process limits: a step per month, so a rebase shows as a break.
    ["mean", "lpl", "upl"].forEach(function (c) {
      var d = "";
      rows.forEach(function (r, i) {
        var v = num(r[c]);
        if (v === null || v < lo || v > hi) { return; }
        d += "M" + (x(i) - step / 2).toFixed(1) + "," + y(v).toFixed(1) + "H" + (x(i) + step / 2).toFixed(1);
      });
      if (d) { el("path", { d: d, "class": c === "mean" ? "mean" : "limit" }, svg); }
    });
    // The target in force each month, as a step like the limits (a dated target starts
    // at its month).
    var tpath = "";
    rows.forEach(function (r, i) {
      var v = num(r.target);
      if (v === null || v < lo || v > hi) { return; }
      tpath += "M" + (x(i) - step / 2).toFixed(1) + "," + y(v).toFixed(1) + "H" + (x(i) + step / 2).toFixed(1);
    });
    if (tpath) { el("path", { d: tpath, "class": "target" }, svg); }
    // A process change (a rebase) between two months, labelled, as on the static charts.
    if (!small) {
      (D.rebases || []).forEach(function (c) {
        if (c.indicators && c.indicators.indexOf(ind.id) < 0) { return; }
        var at = -1;
        rows.forEach(function (r, i) { if (r.period === c.month) { at = i; } });
        if (at < 0) { return; }
        var bx = x(at) - step / 2;
        el("line", { x1: bx, x2: bx, y1: m.t, y2: H - m.b, "class": "rebase" }, svg);
        var lab = el("text", { x: bx + 4, y: m.t + 10, "class": "tick rebase-label" }, svg);
        lab.textContent = c.label || "Limits recalculated";
      });
    }
    var line = "";
    rows.forEach(function (r, i) { var v = num(r.value); if (v !== null) { line += (line ? "L" : "M") + x(i).toFixed(1) + "," + y(v).toFixed(1); } });
    if (line) { el("path", { d: line, "class": "series" }, svg); }
    var drawn = 0;
    rows.forEach(function (r, i) {
      var v = num(r.value);
      if (v === null) { return; }
      var type = typeof r.point_type === "string" && COLOURS[r.point_type] ? r.point_type : "common_cause";
      var final = r.status === "final";
      var c = el("circle", { cx: x(i), cy: y(v), r: small ? 2.6 : 4.5, "class": "point " + (final ? "final" : "not-final"),
        fill: final ? COLOURS[type] : "#ffffff", stroke: COLOURS[type], "stroke-width": 2, "data-period": r.period }, svg);
      if (!small) { c.setAttribute("tabindex", "0"); }
      var tip = tooltipText(r, ind);
      c.setAttribute("aria-label", tip);
      var tt = el("title", {}, c); tt.textContent = tip;
      drawn++;
    });
    svg.setAttribute("aria-label", ind.title + ": " + drawn + " months, " + (rows.length ? monthWords(rows[0].period) + " to " + monthWords(rows[rows.length - 1].period) : ""));
    return drawn;
  }
  function tooltipText(r, ind) {
    var t = monthWords(r.period) + ": " + fmt(r.value, ind.unit);
    var i = interval(r.ci_low, r.ci_high, ind.unit);
    if (i) { t += " (95% interval " + i + ")"; }
    if (r.numerator !== null && r.denominator !== null && r.denominator !== undefined) { t += "; " + fmt(r.numerator, "count") + " of " + fmt(r.denominator, "count"); }
    else if (r.denominator !== null && ind.unit === "median days") { t += "; " + fmt(r.denominator, "count") + " cases"; }
    t += "; " + r.status;
    if (typeof r.point_type === "string" && POINT_WORDS[r.point_type]) { t += "; " + POINT_WORDS[r.point_type]; }
    if (typeof r.rule === "string" && r.rule !== "none" && RULE_WORDS[r.rule]) { t += "; rule: " + RULE_WORDS[r.rule]; }
    return t;
  }

  function renderChart() {
    var ind = INDICATORS[state.indicator], u = D.units[state.unit];
    var group = D.groups.filter(function (g) { return g.id === state.group; })[0];
    var rows = series(state.unit, state.group, state.indicator);
    var s = summaryRow(state.unit, state.group, state.indicator);
    $("chart-title").textContent = ind.title;
    $("chart-subtitle").textContent = (u.kind === "all" ? D.force : u.name) + ", " + group.label + ", " + monthWords(D.from) + " to " + monthWords(D.month) + ". " + ind.definition;
    var drawn = drawSeries($("chart"), rows, ind, false);
    $("chart").setAttribute("data-points", String(drawn));
    var notes = [];
    if (!rows.length) { notes.push("This indicator is counted for all offences only, or the extract lacks what it needs."); }
    if (rows.some(function (r) { return r.status !== "final"; })) { notes.push("Hollow points are provisional or truncated months: they are not final and do not enter the limits or rules."); }
    if (rows.some(function (r) { return r.mean === "[c]"; })) { notes.push("The SPC of this series is withheld: it holds a suppressed count."); }
    notes.push("Key: filled points are final; colour and the words in each point's label give its reading (blue improvement, orange concern, purple neither, grey common cause); the solid line is the mean, dashed lines the process limits" + (rows.some(function (r) { return num(r.target) !== null; }) ? ", the green dotted line the target." : "."));
    $("chart-note").textContent = notes.join(" ");
    var head = "<tr><th scope=\"col\">Month</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Value</th><th scope=\"col\">95% interval</th><th scope=\"col\">Status</th><th scope=\"col\">Reading</th><th scope=\"col\">Rule</th></tr>";
    $("data").tHead.innerHTML = head;
    $("data").tBodies[0].innerHTML = rows.map(function (r) {
      return "<tr><th scope=\"row\">" + esc(monthWords(r.period)) + "</th><td class=\"num\">" + esc(fmt(r.numerator, "count")) + "</td><td class=\"num\">" + esc(fmt(r.denominator, "count")) +
        "</td><td class=\"num\">" + esc(fmt(r.value, ind.unit)) + "</td><td>" + esc(interval(r.ci_low, r.ci_high, ind.unit)) + "</td><td>" + esc(r.status) + "</td><td>" +
        esc(POINT_WORDS[r.point_type] || words(r.point_type)) + "</td><td>" + esc(RULE_WORDS[r.rule] || words(r.rule)) + "</td></tr>";
    }).join("");
  }

  function summaryRows() {
    return rowsOf(state.unit).summary.filter(function (s) {
      if (s.offence_group !== state.group) { return false; }
      if (state.variation && variationClass(s.variation) !== state.variation) { return false; }
      if (state.assurance) {
        var a = typeof s.assurance === "string" && s.assurance ? s.assurance : "none";
        if (a !== state.assurance) { return false; }
      }
      return true;
    });
  }
  var SUMMARY_COLUMNS = [["indicator", "Indicator"], ["value", "Value"], ["interval", "95% interval"], ["variation", "Variation"], ["target", "Target"], ["assurance", "Assurance"]];
  function renderSummary() {
    var rows = summaryRows();
    var key = state.sort;
    if (key) {
      rows.sort(function (a, b) {
        var va = key === "indicator" ? INDICATORS[a.indicator].title : a[key], vb = key === "indicator" ? INDICATORS[b.indicator].title : b[key];
        if (typeof va !== "number" && typeof vb === "number") { return 1; }
        if (typeof vb !== "number" && typeof va === "number") { return -1; }
        var c = va < vb ? -1 : va > vb ? 1 : 0;
        return state.desc ? -c : c;
      });
    }
    $("summary-title").textContent = "Summary of indicators, " + monthWords(D.month);
    $("summary").tHead.innerHTML = "<tr>" + SUMMARY_COLUMNS.map(function (c) {
      var sortable = c[0] !== "interval";
      var aria = state.sort === c[0] ? (state.desc ? "descending" : "ascending") : "none";
      return "<th scope=\"col\"" + (sortable ? " aria-sort=\"" + aria + "\"><button type=\"button\" class=\"sort\" data-key=\"" + c[0] + "\">" + c[1] + "</button>" : ">" + c[1]) + "</th>";
    }).join("") + "</tr>";
    $("summary").tBodies[0].innerHTML = rows.map(function (s) {
      var ind = INDICATORS[s.indicator];
      var when = s.value_period && s.value_period !== D.month ? " <span class=\"note\">(" + esc(monthWords(s.value_period)) + ")</span>" : "";
      return "<tr data-indicator=\"" + esc(s.indicator) + "\" data-variation=\"" + esc(s.variation || "") + "\"><th scope=\"row\"><button type=\"button\" class=\"link\" data-open=\"" + esc(s.indicator) + "\">" + esc(ind.title) + "</button></th>" +
        "<td class=\"num\">" + esc(fmt(s.value, ind.unit)) + when + "</td><td>" + esc(interval(s.ci_low, s.ci_high, ind.unit)) + "</td><td class=\"v-" + variationClass(s.variation) + "\">" +
        icon("variation", s.variation) + " " + esc(words(s.variation) || "no reading") + "</td><td class=\"num\">" + esc(fmt(s.target, ind.unit)) + "</td><td>" + icon("assurance", s.assurance) + " " + esc(words(s.assurance)) + "</td></tr>";
    }).join("");
    $("summary-count").textContent = rows.length + " indicators shown";
  }

  function renderMultiples() {
    var box = $("multiples");
    box.textContent = "";
    $("multiples-title").textContent = "Pillar " + state.pillar + ": " + D.pillars[+state.pillar - 1];
    D.indicators.filter(function (i) { return String(i.pillar) === state.pillar; }).forEach(function (ind) {
      var rows = series(state.unit, state.group, ind.id);
      var card = document.createElement("div");
      card.className = "card";
      var b = document.createElement("button");
      b.type = "button"; b.className = "link"; b.setAttribute("data-open", ind.id);
      // The summary's reading: the latest final month, as the summary table shows it.
      var s = summaryRow(state.unit, state.group, ind.id);
      var shown = s && (num(s.value) !== null || typeof s.value === "string");
      b.textContent = ind.title + (shown ? ": " + fmt(s.value, ind.unit) + " (" + monthWords(s.value_period) + ")" : "");
      card.appendChild(b);
      var chart = document.createElement("div");
      card.appendChild(chart);
      drawSeries(chart, rows, ind, true);
      box.appendChild(card);
    });
  }

  function renderRanking() {
    var ind = INDICATORS[state.indicator];
    var items = [];
    D.units.forEach(function (u, i) {
      if (u.kind !== state.rank) { return; }
      var s = summaryRow(i, state.group, state.indicator);
      items.push({ name: u.name, s: s });
    });
    items.sort(function (a, b) {
      var va = a.s && num(a.s.value), vb = b.s && num(b.s.value);
      if (va === null || va === undefined) { return 1; }
      if (vb === null || vb === undefined) { return -1; }
      return vb - va || (a.name < b.name ? -1 : 1);
    });
    $("ranking-title").textContent = "Ranking of " + (state.rank === "area" ? "areas" : "teams") + ": " + ind.title;
    var box = $("ranking");
    box.textContent = "";
    var W = 820, rowH = 26, H = 30 + rowH * Math.max(items.length, 1), L = 260;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-label": "Ranking of " + items.length + " units by " + ind.title }, box);
    var vals = [];
    items.forEach(function (it) { if (it.s) { [it.s.value, it.s.ci_low, it.s.ci_high].forEach(function (v) { if (num(v) !== null) { vals.push(v); } }); } });
    var lo = vals.length ? Math.min(0, Math.min.apply(null, vals)) : 0, hi = vals.length ? Math.max.apply(null, vals) : 1;
    if (ind.unit === "proportion") { hi = Math.min(1, hi * 1.05 || 1); }
    if (hi === lo) { hi = lo + 1; }
    var x = function (v) { return L + (W - L - 20) * (v - lo) / (hi - lo); };
    items.forEach(function (it, k) {
      var yy = 20 + k * rowH;
      var t = el("text", { x: L - 8, y: yy + 4, "text-anchor": "end", "class": "tick" }, svg);
      t.textContent = it.name;
      if (!it.s || num(it.s.value) === null) { return; }
      if (num(it.s.ci_low) !== null && num(it.s.ci_high) !== null) { el("line", { x1: x(it.s.ci_low), x2: x(it.s.ci_high), y1: yy, y2: yy, "class": "whisker" }, svg); }
      var c = el("circle", { cx: x(it.s.value), cy: yy, r: 5, "class": "rank-point" }, svg);
      var tt = el("title", {}, c);
      tt.textContent = it.name + ": " + fmt(it.s.value, ind.unit) + " (95% interval " + interval(it.s.ci_low, it.s.ci_high, ind.unit) + ")";
    });
    $("ranking-table").tHead.innerHTML = "<tr><th scope=\"col\">Unit</th><th scope=\"col\">Value</th><th scope=\"col\">95% interval</th><th scope=\"col\">Month</th></tr>";
    $("ranking-table").tBodies[0].innerHTML = items.map(function (it) {
      var s = it.s || {};
      return "<tr><th scope=\"row\">" + esc(it.name) + "</th><td class=\"num\">" + esc(fmt(s.value, ind.unit)) + "</td><td>" + esc(interval(s.ci_low, s.ci_high, ind.unit)) + "</td><td>" + esc(monthWords(s.value_period)) + "</td></tr>";
    }).join("");
  }

  // The CSV of the view: the flight deck's rows for this force, unit, group and indicator.
  var CSV_COLUMNS = ["period", "force", "area", "offence_group", "indicator", "numerator", "denominator", "value", "ci_low", "ci_high", "polarity", "pillar", "status", "mean", "lpl", "upl", "rule", "point_type"];
  function csvField(v) {
    if (v === null || v === undefined) { return ""; }
    var s = String(v);
    return /[",\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }
  function viewCsv() {
    var ind = INDICATORS[state.indicator], u = D.units[state.unit];
    var lines = [CSV_COLUMNS.join(",")];
    series(state.unit, state.group, state.indicator).forEach(function (r) {
      var full = { force: D.force, area: u.name, polarity: ind.polarity, pillar: ind.pillar };
      lines.push(CSV_COLUMNS.map(function (c) { return csvField(c in full ? full[c] : r[c]); }).join(","));
    });
    return lines.join("\n") + "\n";
  }
  function download() {
    var u = D.units[state.unit];
    var name = ["flightdeck", D.force, u.name, state.group, state.indicator].join("-").replace(/[^A-Za-z0-9_-]+/g, "_") + ".csv";
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([viewCsv()], { type: "text/csv" }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  var tooltip = $("tooltip");
  function showTip(e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains("point") || !t.getAttribute("aria-label")) { return; }
    tooltip.textContent = t.getAttribute("aria-label");
    tooltip.hidden = false;
    var r = t.getBoundingClientRect();
    tooltip.style.left = Math.min(window.scrollX + r.left + 12, window.scrollX + document.documentElement.clientWidth - 320) + "px";
    tooltip.style.top = (window.scrollY + r.top - 12 - tooltip.offsetHeight) + "px";
  }
  function hideTip() { tooltip.hidden = true; }

  function render() {
    writeFragment();
    renderChart();
    renderSummary();
    renderMultiples();
    renderRanking();
  }
  function openIndicator(id) {
    state.indicator = id;
    state.pillar = String(INDICATORS[id].pillar);
    syncControls();
    render();
    $("chart-title").scrollIntoView();
    $("indicator").focus();
  }

  function start() {
    fillControls();
    state.pillar = "1";
    readFragment();
    if (!state.indicator) { state.indicator = D.indicators.filter(function (i) { return String(i.pillar) === state.pillar; })[0].id; }
    syncControls();
    $("unit").addEventListener("change", function () { state.unit = +this.value; render(); });
    $("group").addEventListener("change", function () { state.group = this.value; render(); });
    $("pillar").addEventListener("change", function () { state.pillar = this.value; fillIndicators(); render(); });
    $("indicator").addEventListener("change", function () { state.indicator = this.value; render(); });
    $("rank-by").addEventListener("change", function () { state.rank = this.value; render(); });
    $("variation-filter").addEventListener("change", function () { state.variation = this.value; render(); });
    $("assurance-filter").addEventListener("change", function () { state.assurance = this.value; render(); });
    $("download").addEventListener("click", download);
    document.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button") : null;
      if (!b) { return; }
      if (b.hasAttribute("data-open")) { openIndicator(b.getAttribute("data-open")); }
      if (b.classList.contains("sort")) {
        var k = b.getAttribute("data-key");
        if (state.sort === k) { state.desc = !state.desc; } else { state.sort = k; state.desc = false; }
        renderSummary();
      }
    });
    $("chart").addEventListener("mouseover", showTip);
    $("chart").addEventListener("focusin", showTip);
    $("chart").addEventListener("mouseout", hideTip);
    $("chart").addEventListener("focusout", hideTip);
    window.addEventListener("hashchange", function () { readFragment(); syncControls(); render(); });
    render();
    // When the page became usable, for the test that it does within a second.
    document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-ready", "1");
  }
  start();
})();
