/* The map page (kaart.html) of a mart with a `map` declaration (pipelines/publishing/choropleth.py): a
   choropleth of the 12 provinces for the chosen sector, measure and year, the legend, and the table of the
   same figures beside it.

   Data: the version's data.csv from cijfers.js (window.betamonitorCsv; a page opened from file:// may
   load a <script src> but not fetch() a file), parsed with static/tables.js's parser. Geometry:
   static/provincies.js (window.betamonitorProvincies: viewBox and one SVG path per province, from
   @svg-maps/netherlands, CC BY 4.0; written once per site by site.py). Rows go to paths through the
   config's `areas` (provincie_code -> svg id, from the seed provinces.csv); a row whose code is not
   there (`onbekend`) is in the table and in the note beside the map, never on it.

   Everything is drawn as site.py and choropleth.py describe it (map_table_view, choropleth.fill,
   choropleth.scale): the colour class of a growth figure is the number of thresholds <= it; a suppressed
   province is hatched (the SVG pattern #arcering), one without a growth figure grey. The province's
   name, count, growth and provisional mark show on hover and on keyboard focus (each province is
   focusable, in the seed's order), in the tooltip and in the province's aria-label. All text is
   inserted with textContent; the Dutch words come from <template id="kaart-teksten">. Errors go to the
   console (the browser tests fail on them). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function start() {
    var cfg = JSON.parse(document.getElementById("kaart-config").textContent);
    var helpers = window.betamonitorTables, geo = window.betamonitorProvincies;
    if (!helpers || !geo) { throw new Error("tables.js of provincies.js is niet geladen"); }
    if (typeof window.betamonitorCsv !== "string") { throw new Error("cijfers.js is niet geladen"); }
    var nlNumber = helpers.nlNumber, slug = helpers.slug;
    var texts = {};
    Array.prototype.forEach.call(document.getElementById("kaart-teksten").content.querySelectorAll("[data-tekst]"),
      function (n) { texts[n.getAttribute("data-tekst")] = n.textContent; });
    var cols = {};
    cfg.columns.forEach(function (c) { cols[c.name] = c; });

    // --- the rows ---
    var lines = helpers.parseCsv(window.betamonitorCsv), header = lines[0], rows = [];
    for (var i = 1; i < lines.length; i++) {
      var r = {};
      for (var j = 0; j < header.length; j++) { r[header[j]] = lines[i][j] === undefined ? "" : lines[i][j]; }
      rows.push(r);
    }
    var order = {};
    cfg.order.forEach(function (code, k) { order[code] = k; });

    function shown(name, value) {  // site.display
      var col = cols[name] || {kind: "text"};
      if (value === "") { return "\u2013"; }
      if (col.kind === "bool") { return value === "true" ? "ja" : value === "false" ? "nee" : value; }
      if (col.kind === "num") { return nlNumber(value, true); }
      if (col.kind === "year") { return nlNumber(value, false); }
      return Object.prototype.hasOwnProperty.call(col.map || {}, value) ? col.map[value] : value;
    }

    function signed(value) {  // growth in the tooltip: +5,2%
      var text = nlNumber(value, true);
      return (/^-/.test(text) || /^0(,0+)?$/.test(text) ? text : "+" + text) + "%";
    }

    // --- the choice ---
    var form = document.getElementById("kaart-keuze");
    var selects = {};
    Array.prototype.forEach.call(form.querySelectorAll("select[data-column]"), function (s) {
      selects[s.getAttribute("data-column")] = s;
    });
    var keys = cfg.by.concat([cfg.year]);

    function choice() {
      var out = {};
      keys.forEach(function (k) { out[k] = selects[k].value; });
      return out;
    }

    function refreshOptions(changed) {
      // The lists after the changed one keep only the values that have rows for the choice before them;
      // the year stays when it exists, else the latest year.
      var start = keys.indexOf(changed) + 1;
      for (var k = start; k < keys.length; k++) {
        var before = keys.slice(0, k), seen = {}, values = [];
        rows.forEach(function (r) {
          for (var b = 0; b < before.length; b++) { if (r[before[b]] !== selects[before[b]].value) { return; } }
          if (!seen[r[keys[k]]]) { seen[r[keys[k]]] = true; values.push(r[keys[k]]); }
        });
        var name = keys[k], current = selects[name].value;
        if (name === cfg.year) { values.sort(function (a, b) { return Number(a) - Number(b); }); }
        while (selects[name].firstChild) { selects[name].removeChild(selects[name].firstChild); }
        values.forEach(function (v) { selects[name].appendChild(el("option", {value: v}, shown(name, v))); });
        selects[name].value = values.indexOf(current) >= 0 ? current : (name === cfg.year ? values[values.length - 1] : values[0]);
      }
    }

    // --- the map ---
    var box = document.getElementById("kaart"), tip = document.getElementById("kaart-tip");
    var svg = svgEl("svg", {viewBox: geo.viewBox, "class": "kaart-svg", focusable: "false"});
    var layer = svgEl("g", {"class": "provincies"});
    var focusRing = svgEl("path", {"class": "kaart-focus", d: "", fill: "none"});
    var paths = {};
    cfg.order.forEach(function (code) {
      var id = cfg.areas[code];
      if (!Object.prototype.hasOwnProperty.call(geo.paths, id)) { throw new Error("geen vorm voor " + code + " (" + id + ")"); }
      var p = svgEl("path", {d: geo.paths[id], id: "kaart-" + id, "data-code": code, tabindex: "0", role: "img",
                             stroke: "#555555", "stroke-width": "0.8", "stroke-linejoin": "round"});
      paths[code] = p;
      layer.appendChild(p);
    });
    svg.appendChild(layer);
    svg.appendChild(focusRing);
    box.appendChild(svg);

    var current = {};   // code -> row of the map shown

    function tipLines(code) {
      var row = current[code];
      var name = row ? shown(cfg.name, row[cfg.name]) : cfg.names[code];
      var lines = [name];
      if (!row) { lines.push(texts["geen-cijfer"]); return lines; }
      if (row[cfg.suppression] === "c") { lines.push(texts.geheim); return lines; }
      var star = row[cfg.provisional] === "true" ? "*" : "";
      lines.push(texts.aantal + " " + shown(cfg.value, row[cfg.value]) + star);
      lines.push(row[cfg.colour] === "" ? texts["geen-groei"] : texts.groei + " " + signed(row[cfg.colour]) + star);
      if (star) { lines.push("* " + texts.voorlopig); }
      return lines;
    }

    function showTip(code, x, y) {
      var lines = tipLines(code);
      while (tip.firstChild) { tip.removeChild(tip.firstChild); }
      tip.appendChild(el("strong", {}, lines[0]));
      lines.slice(1).forEach(function (t) { tip.appendChild(el("span", {}, t)); });
      tip.hidden = false;
      var area = box.parentNode.getBoundingClientRect();
      var left = Math.max(0, Math.min(x - area.left + 12, area.width - tip.offsetWidth));
      var top = Math.max(0, Math.min(y - area.top + 12, area.height - tip.offsetHeight));
      tip.style.left = left + "px";
      tip.style.top = top + "px";
      tip.setAttribute("data-code", code);
      focusRing.setAttribute("d", paths[code].getAttribute("d"));
      Array.prototype.forEach.call(document.querySelectorAll("table.kaart-tabel tbody tr"), function (tr) {
        tr.classList.toggle("actief", tr.getAttribute("data-code") === code);
      });
    }

    function hideTip() {
      tip.hidden = true;
      tip.removeAttribute("data-code");
      focusRing.setAttribute("d", "");
      Array.prototype.forEach.call(document.querySelectorAll("table.kaart-tabel tr.actief"), function (tr) {
        tr.classList.remove("actief");
      });
    }

    cfg.order.forEach(function (code) {
      var p = paths[code];
      p.addEventListener("mousemove", function (e) { showTip(code, e.clientX, e.clientY); });
      p.addEventListener("mouseleave", hideTip);
      p.addEventListener("focus", function () {
        var r = p.getBoundingClientRect();
        showTip(code, r.left + r.width / 2, r.top + r.height / 2);
      });
      p.addEventListener("blur", hideTip);
    });

    // --- the legend, the table, the note ---
    function anchor(row) { return "f-" + slug(cfg.grain.map(function (g) { return row[g]; })); }

    function lineagePage(row) {  // site.lineage_file
      var by = cfg.lineageBy;
      return "lineage/" + (by.length ? slug(by.map(function (c) { return row[c]; })) : "alle") + ".html";
    }

    function tableRow(row) {  // site.map_table_view
      var tr = el("tr", {"data-code": row[cfg.area]}), provisional = row[cfg.provisional] === "true";
      cfg.table.forEach(function (name) {
        var value = row[name], text = shown(name, value), col = cols[name];
        if (name === cfg.name) { tr.appendChild(el("th", {scope: "row"}, text)); return; }
        var num = col.kind === "num" || col.kind === "year";
        var td = el("td", num ? {"class": "num"} : {});
        if (name === cfg.suppression && value === "c") {
          td.appendChild(el("abbr", {"class": "sym", title: cfg.confidential}, "c"));
        } else if (name === cfg.colour) {
          td.appendChild(el("a", {href: lineagePage(row) + "#" + anchor(row), title: "herkomst van dit cijfer"}, text));
        } else {
          td.textContent = text;
        }
        if (provisional && num && value !== "") { td.appendChild(el("abbr", {"class": "sym", title: "voorlopig cijfer"}, "*")); }
        tr.appendChild(td);
      });
      return tr;
    }

    function classOf(growth, sc) {  // choropleth.colour_class
      if (growth === "" || isNaN(Number(growth))) { return null; }
      var g = Number(growth), n = 0;
      sc.thresholds.forEach(function (t) { if (g >= t) { n++; } });
      return n;
    }

    function fillOf(row, sc) {  // choropleth.fill
      if (!row) { return cfg.noFigure; }
      if (row[cfg.suppression] === "c") { return cfg.hatch; }
      var cls = classOf(row[cfg.colour], sc);
      return cls === null ? cfg.noFigure : sc.colours[cls];
    }

    function draw() {
      var c = choice();
      var picked = rows.filter(function (r) {
        for (var k = 0; k < keys.length; k++) { if (r[keys[k]] !== c[keys[k]]) { return false; } }
        return true;
      });
      picked.sort(function (a, b) {  // choropleth.row_order: the seed's order, others last as they came
        var oa = Object.prototype.hasOwnProperty.call(order, a[cfg.area]) ? order[a[cfg.area]] : cfg.order.length;
        var ob = Object.prototype.hasOwnProperty.call(order, b[cfg.area]) ? order[b[cfg.area]] : cfg.order.length;
        return oa - ob;
      });
      var sc = cfg.scales[cfg.by.map(function (b) { return c[b]; }).join("\u001f")];
      current = {};
      var off = [];
      picked.forEach(function (r) {
        if (Object.prototype.hasOwnProperty.call(paths, r[cfg.area])) { current[r[cfg.area]] = r; } else { off.push(r); }
      });
      cfg.order.forEach(function (code) {
        var p = paths[code], row = current[code];
        p.setAttribute("fill", fillOf(row, sc));
        p.setAttribute("data-suppressed", row && row[cfg.suppression] === "c" ? "true" : "false");
        p.setAttribute("aria-label", tipLines(code).join(", "));
      });
      // caption, baseline year, legend labels
      var caption = keys.map(function (k) { return shown(k, c[k]); }).join(", ");
      document.querySelector("#kaart-titel [data-slot=keuze]").textContent = caption;
      var base = "";
      picked.forEach(function (r) { if (!base && r[cfg.baseline]) { base = r[cfg.baseline]; } });
      document.querySelector("#kaart-titel [data-slot=basisjaar]").textContent = base || "\u2013";
      Array.prototype.forEach.call(document.querySelectorAll("#kaart-legenda li[data-klasse]"), function (li) {
        var k = Number(li.getAttribute("data-klasse"));
        li.querySelector(".vlak").style.background = sc.colours[k];
        li.querySelector("[data-slot=label]").textContent = sc.labels[k];
      });
      // the table
      var tbody = document.querySelector("table.kaart-tabel tbody"), body = document.createElement("tbody");
      picked.forEach(function (r) { body.appendChild(tableRow(r)); });
      tbody.parentNode.replaceChild(body, tbody);
      document.querySelector("table.kaart-tabel caption").textContent = caption + ": " + texts.onderschrift;
      // the rows not on the map
      var note = document.getElementById("kaart-onbekend");
      note.hidden = off.length === 0;
      note.textContent = off.length ? texts["niet-op-kaart"] + " " + off.map(function (r) {
        var star = r[cfg.provisional] === "true" ? "*" : "";
        if (r[cfg.suppression] === "c") { return shown(cfg.name, r[cfg.name]) + " (" + texts.geheim + ")"; }
        return shown(cfg.name, r[cfg.name]) + " (" + texts.aantal + " " + shown(cfg.value, r[cfg.value]) + star + ", " +
          (r[cfg.colour] === "" ? texts["geen-groei"] : texts.groei + " " + signed(r[cfg.colour]) + star) + ")";
      }).join("; ") + "; " + texts["onbekend-uitleg"] : "";
      hideTip();
      document.body.setAttribute("data-kaart", "ready");
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function (e) {
      if (e.target.tagName !== "SELECT") { return; }
      refreshOptions(e.target.getAttribute("data-column"));
      draw();
    });
    form.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll(".zonder-script"), function (n) { n.hidden = true; });
    draw();
  }

  function run() {
    try { start(); } catch (err) { console.error(err); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
