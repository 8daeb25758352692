/* kg graph page: draws the graph in #kg-data with vis-network and wires the controls.
   Graph data reaches the DOM only through textContent and checked href properties, never
   as HTML. Exposes window.kg (network, data, find, focusNode) for scripts and tests, and
   window.__kgDrawnMs (ms since navigation start when the first frame was drawn). */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = new Map(), papers = new Map(), groups = new Map(), adj = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); adj.set(n.id, { out: [], in: [] }); });
  DATA.papers.forEach(function (p) { papers.set(p.id, p); });
  DATA.groups.forEach(function (g) { groups.set(g.group, g); });
  var relColor = new Map(DATA.relations.map(function (r) { return [r.relation, r.color]; }));
  DATA.edges.forEach(function (e) { adj.get(e.from).out.push(e); adj.get(e.to).in.push(e); });
  var big = DATA.edges.length > 1500 || DATA.nodes.length > 1000;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function safeUrl(u) {
    try { var p = new URL(String(u)); return p.protocol === "http:" || p.protocol === "https:" ? p.href : null; }
    catch (err) { return null; }
  }
  function link(u, text) {
    var href = safeUrl(u);
    if (!href) return el("span", text || u);
    var a = el("a", text || u);
    a.href = href; a.rel = "noopener noreferrer"; a.target = "_blank";
    return a;
  }
  function paperTitle(pid) { var p = papers.get(pid); return p ? p.title : pid; }
  function relChip(rel) {
    var s = el("span", rel, "kg-rel");
    s.style.background = relColor.get(rel) || "#999";
    return s;
  }
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/[\s\-\u2010-\u2015_]+/g, ""); }

  /* Tooltips: DOM elements, so vis-network appends them instead of parsing text. */
  function nodeTip(n) {
    var d = el("div");
    add(d, el("b", n.label), el("div", n.group === "baseline" ? "method (baseline)" : n.type, "kg-meta"));
    if (n.aliases.length) add(d, el("div", "also: " + n.aliases.join(", ")));
    if (n.papers !== undefined) add(d, el("div", "papers: " + n.papers));
    if (n.date) add(d, el("div", "date: " + n.date));
    return d;
  }
  function edgeTip(e) {
    var d = el("div");
    add(d, el("b", e.relation), el("div", byId.get(e.from).label + " \u2192 " + byId.get(e.to).label, "kg-meta"));
    if (e.paper_id) add(d, el("div", "paper: " + paperTitle(e.paper_id)));
    if (e.sentence) add(d, el("div", "\u201c" + e.sentence + "\u201d"));
    return d;
  }

  var groupOptions = {};
  DATA.groups.forEach(function (g) {
    groupOptions[g.group] = {
      shape: g.shape, borderWidth: g.dashed ? 2 : 1.5, shapeProperties: { borderDashes: g.dashed ? [4, 3] : false },
      color: { background: g.color, border: g.border, highlight: { background: g.color, border: "#111" },
               hover: { background: g.color, border: "#111" } }
    };
  });
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return { id: n.id, label: n.short, x: n.x, y: n.y, size: n.size, group: n.group, title: nodeTip(n) };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var c = relColor.get(e.relation) || "#999";
    return {
      id: e.id, from: e.from, to: e.to, label: e.relation, relation: e.relation, title: edgeTip(e),
      color: { color: c, highlight: c, hover: c, opacity: 0.8 }, font: { color: c },
      smooth: e.curve ? { enabled: true, type: e.curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(e.curve) }
                      : { enabled: false }
    };
  }));

  /* Filters: a hidden group hides its nodes and their edges; a hidden relation its edges. */
  var hiddenGroups = new Set(), hiddenRels = new Set();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return !hiddenGroups.has(n.group); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) {
    return !hiddenRels.has(e.relation) && !hiddenGroups.has(byId.get(e.from).group) && !hiddenGroups.has(byId.get(e.to).group);
  } });

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, {
    autoResize: true, height: "100%", width: "100%",
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: { enabled: false }, minVelocity: 2,
               forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.1 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false },
    groups: groupOptions,
    nodes: { font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" }, scaling: { label: { drawThreshold: 6 } } },
    edges: { width: 1, selectionWidth: 2, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             font: { size: 10, align: "middle", strokeWidth: 3, strokeColor: "#ffffff" } }
  });
  network.once("afterDrawing", function () {
    window.__kgDrawnMs = Math.round(performance.now());
    document.documentElement.setAttribute("data-kg-drawn", "1");
  });

  function showCounts() {
    document.getElementById("kg-count").textContent = nodes.length + " nodes \u00b7 " + edges.length + " edges";
    var filtered = nodesView.length !== nodes.length || edgesView.length !== edges.length;
    document.getElementById("kg-shown").textContent = filtered ? "(showing " + nodesView.length + " \u00b7 " + edgesView.length + ")" : "";
  }
  function refresh() { nodesView.refresh(); edgesView.refresh(); showCounts(); }

  function legendRow(listId, key, swatch, text, count, hidden) {
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.value = key;
    box.addEventListener("change", function () { if (box.checked) hidden.delete(key); else hidden.add(key); refresh(); });
    var label = add(el("label"), box, swatch, el("span", text), el("span", count, "kg-n"));
    add(document.getElementById(listId), add(el("li"), label));
    return box;
  }
  var groupBoxes = new Map();
  DATA.groups.forEach(function (g) {
    var sw = el("span", null, "kg-swatch " + g.shape + (g.dashed ? " dashed" : ""));
    sw.style.background = g.color; sw.style.borderColor = g.border;
    groupBoxes.set(g.group, legendRow("kg-types", g.group, sw, g.label, g.count, hiddenGroups));
  });
  DATA.relations.forEach(function (r) {
    var sw = el("span", null, "kg-line"); sw.style.borderColor = r.color;
    legendRow("kg-relations", r.relation, sw, r.relation, r.count, hiddenRels);
  });

  /* Side panel: the clicked node's papers and every edge in and out, with its evidence. */
  var panel = document.getElementById("kg-panel");
  function nodeButton(id) {
    var b = el("button", byId.get(id).label, "kg-link"); b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function evidence(e, other) {
    var li = add(el("li"), relChip(e.relation), other);
    if (e.paper_id) add(li, el("div", paperTitle(e.paper_id), "kg-meta"));
    if (e.sentence) add(li, el("blockquote", e.sentence));
    var extra = ["dataset", "margin", "value", "derivation"].filter(function (k) { return e[k] !== undefined; })
      .map(function (k) { return k + ": " + e[k]; });
    if (extra.length) add(li, el("div", extra.join(" \u00b7 "), "kg-meta"));
    return li;
  }
  function listSection(title, items, make) {
    if (!items.length) return;
    add(panel, el("h3", title + " (" + items.length + ")"));
    var ul = add(panel, el("ul"));
    items.slice(0, 300).forEach(function (x) { add(ul, make(x)); });
    if (items.length > 300) add(ul, el("li", "\u2026 and " + (items.length - 300) + " more", "kg-meta"));
  }
  function showNode(id) {
    var n = byId.get(id), a = adj.get(id);
    panel.replaceChildren();
    var h = add(panel, el("h2", n.label));
    if (n.group === "baseline") add(h, el("span", "baseline", "kg-badge"));
    add(panel, el("p", n.type + " \u00b7 " + n.id, "kg-meta"));
    if (n.aliases.length) add(panel, el("p", "Also: " + n.aliases.join(", "), "kg-meta"));
    if (n.papers !== undefined) add(panel, el("p", "Papers: " + n.papers + (n.first_seen ? " \u00b7 first seen " + n.first_seen : ""), "kg-meta"));
    if (n.type === "paper" && n.title && n.title !== n.label) add(panel, el("p", n.title));
    if (n.date && n.type === "paper") add(panel, el("p", "Date: " + n.date, "kg-meta"));
    if (n.url) add(panel, add(el("p"), link(n.url)));
    listSection("Papers", n.type === "paper" ? [] : n.paper_ids, function (pid) {
      var p = papers.get(pid), li = el("li");
      add(li, byId.has(pid) ? nodeButton(pid) : el("span", paperTitle(pid)));
      if (p && p.date) add(li, el("span", " (" + p.date + ")", "kg-meta"));
      if (p && p.url && safeUrl(p.url)) add(li, el("span", " "), link(p.url, "link"));
      return li;
    });
    listSection("Outgoing", a.out, function (e) { return evidence(e, add(el("span", "\u2192 "), nodeButton(e.to))); });
    listSection("Incoming", a.in, function (e) { return evidence(e, add(el("span", "\u2190 "), nodeButton(e.from))); });
  }
  function showEdge(id) {
    var e = DATA.edges[id];
    panel.replaceChildren();
    add(panel, add(el("h2"), relChip(e.relation)));
    add(panel, add(el("p"), nodeButton(e.from), el("span", " \u2192 "), nodeButton(e.to)));
    add(panel, el("ul")).appendChild(evidence(e, null));
    if (e.rule) add(panel, el("p", "rule: " + e.rule + " \u00b7 edge " + e.key, "kg-meta"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  /* Search: any label or alias, ignoring case, spaces and hyphens. */
  var names = [];
  DATA.nodes.forEach(function (n) {
    [n.label, n.id, n.id.split(":").slice(1).join(":")].concat(n.aliases).forEach(function (s) {
      if (s) names.push([norm(s), n.id]);
    });
  });
  var datalist = document.getElementById("kg-names");
  if (DATA.nodes.length <= 5000) DATA.nodes.forEach(function (n) { var o = el("option"); o.value = n.label; datalist.appendChild(o); });
  function find(query) {
    var q = norm(query), best = null, bestRank = 9;
    if (!q) return null;
    names.forEach(function (pair) {
      var rank = pair[0] === q ? 0 : pair[0].indexOf(q) === 0 ? 1 : pair[0].indexOf(q) > 0 ? 2 : 9;
      if (rank < bestRank || (rank === bestRank && rank < 9 && byId.get(pair[1]).degree > byId.get(best).degree)) {
        best = pair[1]; bestRank = rank;
      }
    });
    return bestRank < 9 ? best : null;
  }
  function focusNode(id) {
    var n = byId.get(id);
    if (hiddenGroups.has(n.group)) { hiddenGroups.delete(n.group); groupBoxes.get(n.group).checked = true; refresh(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400 } });
    showNode(id);
  }
  var status = document.getElementById("kg-search-status");
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var id = find(document.getElementById("kg-query").value);
    status.textContent = id ? "" : "no match";
    if (id) focusNode(id);
  });

  /* Physics: off at load (positions come precomputed); on demand it runs until stable. */
  var physicsButton = document.getElementById("kg-physics"), physicsOn = false, physicsTimer = null;
  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({ physics: { enabled: on } });
    physicsButton.textContent = "Physics: " + (on ? "on" : "off");
    physicsButton.setAttribute("aria-pressed", String(on));
    clearTimeout(physicsTimer);
    if (on) physicsTimer = setTimeout(function () { setPhysics(false); }, 30000);
  }
  physicsButton.addEventListener("click", function () { setPhysics(!physicsOn); });
  network.on("stabilized", function () { if (physicsOn) setPhysics(false); });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  showCounts();
  network.fit();
  if (DATA.focus !== null && byId.has(DATA.focus)) { network.selectNodes([DATA.focus]); showNode(DATA.focus); }
  window.kg = { network: network, data: DATA, find: find, focusNode: focusNode, nodes: nodesView, edges: edgesView };
})();
