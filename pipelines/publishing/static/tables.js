/* The figures of every version in the browser: the filterable figures table (on the version page, or
   for a large mart one table-*.html per sector) and the lineage of one figure (lineage/*.html, the
   figure in the URL's #anchor), both read from the version's data.csv.

   Where the data comes from. A page opened from the file system (file://) may not fetch() or XHR
   another file (Chromium blocks it), but it may load a classic <script src>. So the version folder has
   one cijfers.js that sets window.betamonitorCsv to the text of the version's data.csv (written by
   site.py through json_for_script), loaded by every table and lineage page of the version: the rows
   are in the site once per version (about the size of data.csv), not once per page, and a browser
   that serves them over http reads the file once for all pages. Measured on the shipped sample
   (institution_growth, 13,197 rows): data.csv is 1.45 MB and cijfers.js 1.51 MB; each sector's rows as
   JSON arrays in a <script type="application/json"> would be 2.14 MB, and 4.28 MB with the lineage
   pages holding them too, against a budget of 5 MB for a whole publication.

   Each page has a <script type="application/json" id="tabel-config"> (site.py: filterable_view,
   lineage_part_config): the page's rows (`part`: a column and its value, or all), the columns in the
   order shown with their Dutch labels and how to show a value (`kind`: num, year, bool, or text with a
   `map` of codes to Dutch words), and for lineage pages the computation templates, the inputs per series
   and year and the trace command's parts. Everything is shown as site.py's views describe it (display(),
   figures_table_view(), lineage_section_view()); the browser tests compare both.
   All text is inserted with textContent, never as HTML. Errors go to the console (the tests fail on
   them). No network, no modules. */
(function () {
  "use strict";

  // --- SHA-1, for the figure anchors (site.slug: readable part + first 6 hex of sha1 of the text) ---
  function sha1hex(text) {
    var b = new TextEncoder().encode(text), n = b.length;
    var nBlocks = ((n + 8) >> 6) + 1, w = new Int32Array(nBlocks * 16), x = new Int32Array(80);
    for (var i = 0; i < n; i++) { w[i >> 2] |= b[i] << (24 - (i % 4) * 8); }
    w[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    w[nBlocks * 16 - 1] = n * 8;
    var h = [0x67452301, 0xEFCDAB89 | 0, 0x98BADCFE | 0, 0x10325476, 0xC3D2E1F0 | 0];
    for (var blk = 0; blk < w.length; blk += 16) {
      var t;
      for (t = 0; t < 16; t++) { x[t] = w[blk + t]; }
      for (t = 16; t < 80; t++) { var v = x[t - 3] ^ x[t - 8] ^ x[t - 14] ^ x[t - 16]; x[t] = (v << 1) | (v >>> 31); }
      var a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
      for (t = 0; t < 80; t++) {
        var f, k;
        if (t < 20) { f = (bb & c) | (~bb & d); k = 0x5A827999; }
        else if (t < 40) { f = bb ^ c ^ d; k = 0x6ED9EBA1; }
        else if (t < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8F1BBCDC | 0; }
        else { f = bb ^ c ^ d; k = 0xCA62C1D6 | 0; }
        var tmp = (((a << 5) | (a >>> 27)) + f + e + k + x[t]) | 0;
        e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
    }
    return h.map(function (y) { return ("00000000" + (y >>> 0).toString(16)).slice(-8); }).join("");
  }

  function slug(parts) {  // site.slug
    var text = parts.join("-");
    var base = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "x";
    return base + "-" + sha1hex(text).slice(0, 6);
  }

  // --- data.csv (RFC 4180, as DuckDB writes it and Python's csv module reads it) ---
  function parseCsv(text) {
    var rows = [], row = [], field = "", quoted = false, start = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) { field += text.slice(start, i + 1); i++; start = i + 1; }
          else { field += text.slice(start, i); quoted = false; start = i + 1; }
        }
      } else if (c === 34) { field += text.slice(start, i); quoted = true; start = i + 1; }
      else if (c === 44) { row.push(field + text.slice(start, i)); field = ""; start = i + 1; }
      else if (c === 10 || c === 13) {
        row.push(field + text.slice(start, i)); rows.push(row); row = []; field = "";
        if (c === 13 && text.charCodeAt(i + 1) === 10) { i++; }
        start = i + 1;
      }
    }
    if (start < text.length || field !== "" || row.length) { row.push(field + text.slice(start)); rows.push(row); }
    return rows;
  }

  function readRows(cfg) {
    if (typeof window.betamonitorCsv !== "string") { throw new Error("cijfers.js is niet geladen"); }
    var lines = parseCsv(window.betamonitorCsv), header = lines[0], out = [];
    for (var i = 1; i < lines.length; i++) {
      var r = {};
      for (var j = 0; j < header.length; j++) { r[header[j]] = lines[i][j] === undefined ? "" : lines[i][j]; }
      if (!cfg.part || r[cfg.part.column] === cfg.part.value) { out.push(r); }
    }
    return out;
  }

  // --- values as the pages show them (site.display, texts_nl.nl_number) ---
  function nlNumber(text, grouping) {
    var m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) { return text; }
    var whole = m[2];
    if (grouping && whole.length > 3) {
      whole = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    }
    return m[1] + whole + (m[3] !== undefined ? "," + m[3] : "");
  }

  function shown(col, value) {
    if (value === "") { return "\u2013"; }
    if (col.kind === "bool") { return value === "true" ? "ja" : value === "false" ? "nee" : value; }
    if (col.kind === "num") { return nlNumber(value, true); }
    if (col.kind === "year") { return nlNumber(value, false); }
    return Object.prototype.hasOwnProperty.call(col.map || {}, value) ? col.map[value] : value;
  }

  function columnsByName(cfg) {
    var out = {};
    cfg.columns.forEach(function (c) { out[c.name] = c; });
    return out;
  }

  function anchor(cfg, row) {
    return "f-" + slug(cfg.grain.map(function (g) { return row[g]; }));
  }

  function lineagePage(cfg, row) {  // site.lineage_file
    var by = cfg.lineageBy;
    return "lineage/" + (by.length ? slug(by.map(function (c) { return row[c]; })) : "alle") + ".html";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // --- the filterable table (table-*.html) ---
  function tableRow(cfg, cols, row) {
    var tr = el("tr"), provisional = row.is_provisional === "true";
    cfg.columns.forEach(function (col) {
      var value = row[col.name], text = shown(col, value);
      if (col.name === cfg.grain[0]) { tr.appendChild(el("th", {scope: "row"}, text)); return; }
      var td = el("td", col.kind === "num" || col.kind === "year" ? {"class": "num"} : {});
      if (col.name === "suppression" && value === "c") {
        td.appendChild(el("abbr", {"class": "sym", title: cfg.confidential}, "c"));
      } else if (col.name === cfg.headline) {
        td.appendChild(el("a", {href: lineagePage(cfg, row) + "#" + anchor(cfg, row), title: "herkomst van dit cijfer"}, text));
      } else {
        td.textContent = text;
      }
      if (provisional && col.kind === "num" && value !== "") {
        td.appendChild(el("abbr", {"class": "sym", title: "voorlopig cijfer"}, "*"));
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function tablePage(cfg) {
    var rows = readRows(cfg), cols = columnsByName(cfg);
    var form = document.getElementById("filters"), status = document.getElementById("tabel-status");
    var more = document.getElementById("toon-alle"), tbody = document.querySelector("table.figures tbody");
    var all = false, timer = null;
    var searchText = rows.map(function (r) {
      return cfg.search.map(function (c) { return shown(cols[c], r[c]); }).join(" ").toLowerCase();
    });

    function matching() {
      var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-column]"));
      var query = (form.querySelector("input[name=zoek]") || {value: ""}).value.trim().toLowerCase();
      var out = [];
      rows.forEach(function (r, i) {
        for (var s = 0; s < selects.length; s++) {
          if (selects[s].value !== "" && r[selects[s].getAttribute("data-column")] !== selects[s].value) { return; }
        }
        if (query && searchText[i].indexOf(query) < 0) { return; }
        out.push(r);
      });
      return out;
    }

    function draw() {
      var found = matching(), n = all ? found.length : Math.min(found.length, cfg.limit);
      var body = document.createElement("tbody");
      for (var i = 0; i < n; i++) { body.appendChild(tableRow(cfg, cols, found[i])); }
      tbody.parentNode.replaceChild(body, tbody);
      tbody = body;
      status.querySelector("[data-shown]").textContent = nlNumber(String(n), true);
      status.querySelector("[data-found]").textContent = nlNumber(String(found.length), true);
      more.hidden = n >= found.length;
      more.querySelector("[data-found]").textContent = nlNumber(String(found.length), true);
      document.body.setAttribute("data-table", "ready");
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); });
    // A choice list redraws at once; typing in the search field after a pause (data-table is "pending"
    // until then, so a reader of the page, or a test, knows the table is about to change).
    form.addEventListener("change", function (e) {
      if (e.target.tagName !== "SELECT") { return; }
      clearTimeout(timer); all = false; draw();
    });
    form.addEventListener("input", function (e) {
      if (e.target.name !== "zoek") { return; }
      document.body.setAttribute("data-table", "pending");
      clearTimeout(timer);
      timer = setTimeout(function () { all = false; draw(); }, 150);
    });
    more.addEventListener("click", function () { all = true; draw(); });
    form.hidden = false;
    status.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll(".zonder-script"), function (n) { n.hidden = true; });
    draw();
  }

  // --- one figure's lineage (lineage/*.html) ---
  function fill(template, row, cols) {  // site.fill_template
    return template.split("\u0001").map(function (part, i) {
      if (i % 2 === 0) { return part; }
      var col = cols[part];
      if (col.kind === "num") { return nlNumber(row[part], true); }
      if (col.kind === "text") { return shown(col, row[part]); }
      return row[part];
    }).join("");
  }

  function traceCommand(cfg, row) {  // site.trace_command
    var where = cfg.grain.map(function (g) { return g + "=" + row[g]; }).join(",");
    if (/[^A-Za-z0-9_=,.\-]/.test(where)) { where = "'" + where + "'"; }
    return cfg.trace.prefix + where + cfg.trace.suffix;
  }

  function section(cfg, cols, row, id) {  // one section, as site.lineage_section_view describes it
    var s = el("section", {id: id, "class": "figure-lineage"});
    s.appendChild(el("h2", {}, cfg.grain.map(function (g) { return cols[g].label + " " + shown(cols[g], row[g]); }).join(", ")));
    var shape = cfg.shapeColumns.map(function (c) { return row[c] === "" ? "0" : "1"; }).join("") + "|" + (row.suppression || "");
    var computation = Object.prototype.hasOwnProperty.call(cfg.literal, id) ? cfg.literal[id] : fill(cfg.templates[shape], row, cols);
    var p = el("p");
    p.appendChild(el("strong", {}, "Berekening."));
    p.appendChild(document.createTextNode(" " + computation));
    s.appendChild(p);
    p = el("p");
    p.appendChild(el("strong", {}, "Invoer."));
    s.appendChild(p);
    var inputs = (cfg.groups[cfg.inputKeys.map(function (k) { return row[k]; }).join("\u001f")] || []).map(function (e) {
      return {role: cfg.strings[e[0]], href: cfg.strings[e[1]], path: cfg.strings[e[2]], date: cfg.strings[e[3]],
              after: cfg.strings[e[4]]};
    });
    if (inputs.length) {
      var ul = el("ul");
      inputs.forEach(function (i) {
        var li = el("li", {}, i.role);
        if (i.href) {
          li.appendChild(document.createTextNode(": "));
          var a = el("a", {href: "#" + i.href});
          a.appendChild(el("code", {}, i.path));
          li.appendChild(a);
          if (i.date) { li.appendChild(document.createTextNode(" (geleverd " + i.date + ")")); }
        }
        li.appendChild(document.createTextNode(i.after));
        ul.appendChild(li);
      });
      s.appendChild(ul);
    } else {
      s.appendChild(document.getElementById("geen-invoer").content.cloneNode(true));
    }
    p = el("p");
    p.appendChild(el("strong", {}, "Bewijs."));
    s.appendChild(p);
    if (cfg.trace) {
      var pre = el("pre");
      pre.appendChild(el("code", {}, traceCommand(cfg, row)));
      s.appendChild(pre);
    } else {
      s.appendChild(document.getElementById("geen-bewijs").content.cloneNode(true));
    }
    return s;
  }

  function lineageView(cfg) {
    var rows = readRows(cfg), cols = columnsByName(cfg), byAnchor = null;
    var target = document.getElementById("herkomst"), missing = document.getElementById("herkomst-onbekend");
    var choose = document.getElementById("herkomst-kies");

    function show() {
      var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
      if (id.indexOf("f-") !== 0) {
        choose.hidden = false; missing.hidden = true;
        document.body.setAttribute("data-lineage", "none");
        return;
      }
      if (!byAnchor) {
        byAnchor = {};
        rows.forEach(function (r) { byAnchor[anchor(cfg, r)] = r; });
      }
      var row = byAnchor[id];
      choose.hidden = true;
      missing.hidden = !!row;
      while (target.firstChild) { target.removeChild(target.firstChild); }
      if (row) {
        var s = section(cfg, cols, row, id);
        target.appendChild(s);
        s.scrollIntoView();
      }
      document.body.setAttribute("data-lineage", row ? "shown" : "missing");
    }

    Array.prototype.forEach.call(document.querySelectorAll(".zonder-script"), function (n) { n.hidden = true; });
    window.addEventListener("hashchange", show);
    show();
  }

  function start() {
    var node = document.getElementById("tabel-config");
    if (!node) { return; }
    var cfg = JSON.parse(node.textContent);
    try {
      if (cfg.mode === "lineage") { lineageView(cfg); } else { tablePage(cfg); }
    } catch (err) {
      console.error(err);
    }
  }

  // For the browser tests: the helpers that must agree with site.py (slug, nl_number, csv).
  window.betamonitorTables = {slug: slug, nlNumber: nlNumber, parseCsv: parseCsv};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
