/* kg graph page: draws the graph in #kg-data with vis-network and wires the controls.
   Graph data reaches the DOM only through textContent and checked href properties, never
   as HTML. Exposes window.kg (network, data, find, resolve, focusNode, only, lineage, ...)
   for scripts and tests, and window.__kgDrawnMs (ms since navigation start when the first
   frame was drawn).

   Views: the graph (a node is drawn only when one of its edges is, unless "Show
   unconnected" is on; papers can be folded away), and the lineage of one node (its
   ancestors and descendants through the lineage relations, left to right). Node labels in
   the graph view are painted here, hubs first, each only where it collides with none
   already painted: few at the first zoom; zoomed in past ALL_LABELS_SCALE, all of them. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = new Map(), papers = new Map(), adj = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); adj.set(n.id, { out: [], in: [] }); });
  DATA.papers.forEach(function (p) { papers.set(p.id, p); });
  var relColor = new Map(DATA.relations.map(function (r) { return [r.relation, r.color]; }));
  DATA.edges.forEach(function (e) { adj.get(e.from).out.push(e); adj.get(e.to).in.push(e); });
  var LINEAGE = new Set(DATA.lineage_relations);
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
  function button(text, cls, onclick) {
    var b = el("button", text, cls); b.type = "button"; b.addEventListener("click", onclick);
    return b;
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
  function $(id) { return document.getElementById(id); }
  /* The canonical key of kg.resolve.canonical_key: case, spaces, hyphens, underscores,
     quotes and dots between letters ignored. */
  var KEY_DROP = /[\s\-_\u2010\u2011\u2012\u2013\u2014]+|(?<=[a-z])\.(?=[a-z])|["'\u201c\u201d\u2018\u2019`]/g;
  function canonicalKey(s) { return String(s).trim().toLowerCase().replace(KEY_DROP, ""); }

  /* Tooltips: DOM elements, so vis-network appends them instead of parsing text. */
  function nodeTip(n) {
    var d = el("div");
    add(d, el("b", n.label), el("div", n.group === "baseline" ? "method (baseline)" : n.type, "kg-meta"));
    if (n.aliases.length) add(d, el("div", "also: " + n.aliases.join(", ")));
    if (n.papers !== undefined) add(d, el("div", "papers: " + n.papers));
    if (n.date) add(d, el("div", "date: " + n.date));
    return d;
  }
  /* A reported number: "88.56% top-1 accuracy", a margin "+2.4% accuracy on ImageNet". */
  function resultText(e) {
    if (typeof e.value !== "number") return "";
    var sign = e.relation === "outperforms" ? "+" : "";
    return sign + e.value + (e.unit || "") + (e.metric ? " " + e.metric : "") +
      (e.relation === "outperforms" && e.dataset ? " on " + e.dataset : "");
  }
  function edgeTip(e) {
    var d = el("div");
    add(d, el("b", e.relation + (e.derivation ? " \u00b7 " + e.derivation : "")),
        el("div", byId.get(e.from).label + " \u2192 " + byId.get(e.to).label, "kg-meta"));
    if (resultText(e)) add(d, el("div", resultText(e)));
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
  var DIM_NODE = { background: "#f1f3f5", border: "#dde1e6", highlight: { background: "#f1f3f5", border: "#9aa5b1" },
                   hover: { background: "#f1f3f5", border: "#9aa5b1" } };
  function edgeColor(e, dim) {
    var c = dim ? "#eceef1" : relColor.get(e.relation) || "#999";
    return { color: c, highlight: c, hover: c, opacity: dim ? 1 : 0.8 };
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return { id: n.id, x: n.x, y: n.y, size: n.size, group: n.group, title: nodeTip(n),
             color: groupOptions[n.group].color };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, relation: e.relation, title: edgeTip(e), color: edgeColor(e, false),
      smooth: e.curve ? { enabled: true, type: e.curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(e.curve) }
                      : { enabled: false }
    };
  }));

  /* What the graph view draws: an edge when its relation and both end types are shown; a
     node when its type is shown and one of its drawn edges touches it (or "Show
     unconnected" is on, or it is the node searched for). */
  var hiddenGroups = new Set(), hiddenRels = new Set(), showLonely = false, pinned = null;
  var shownNodes = new Set(), shownEdges = new Set(), lonely = 0;
  function compute() {
    shownNodes.clear(); shownEdges.clear();
    var deg = new Map();
    DATA.edges.forEach(function (e) {
      if (hiddenRels.has(e.relation) || hiddenGroups.has(byId.get(e.from).group) || hiddenGroups.has(byId.get(e.to).group)) return;
      shownEdges.add(e.id);
      deg.set(e.from, (deg.get(e.from) || 0) + 1); deg.set(e.to, (deg.get(e.to) || 0) + 1);
    });
    lonely = 0;
    DATA.nodes.forEach(function (n) {
      if (hiddenGroups.has(n.group)) return;
      var d = deg.get(n.id) || 0;
      if (!d) lonely++;
      if (d || showLonely || n.id === pinned) shownNodes.add(n.id);
    });
  }
  compute();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });

  var container = $("kg-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, {
    autoResize: true, height: "100%", width: "100%",
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: { enabled: false }, minVelocity: 2,
               forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.1 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false },
    groups: groupOptions,
    nodes: { font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { width: 1, selectionWidth: 2, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             font: { size: 11, align: "top", strokeWidth: 3, strokeColor: "#ffffff", multi: false } }
  });
  network.once("afterDrawing", function () {
    window.__kgDrawnMs = Math.round(performance.now());
    document.documentElement.setAttribute("data-kg-drawn", "1");
  });

  /* Labels, hubs first, each where it overlaps no label already painted (any, once zoomed in). */
  var LABEL_PX = 12, ALL_LABELS_SCALE = 1.5, measure = document.createElement("canvas").getContext("2d"), widths = new Map();
  measure.font = LABEL_PX + "px system-ui, sans-serif";
  var byDegree = DATA.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
    return byId.get(b).degree - byId.get(a).degree || (a < b ? -1 : a > b ? 1 : 0);
  });
  var painted = [];
  function labelWidth(id) {
    if (!widths.has(id)) widths.set(id, measure.measureText(byId.get(id).short).width);
    return widths.get(id);
  }
  function paintLabels(ctx) {
    painted = [];
    if (mode !== "graph") return;
    var order = byDegree.filter(function (id) { return shownNodes.has(id) && (!lit || lit.ids.has(id)); });
    if (lit) order.sort(function (a, b) { return (b === lit.center) - (a === lit.center); });
    var scale = network.getScale(), w = container.clientWidth, h = container.clientHeight;
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), pos = network.getPositions(order), grid = new Map(), CELL = 64;
    ctx.save();
    ctx.font = (LABEL_PX / scale) + "px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale; ctx.strokeStyle = "rgba(255,255,255,0.92)"; ctx.fillStyle = "#1f2933";
    for (var i = 0; i < order.length && painted.length < 800; i++) {
      var id = order[i], p = pos[id], sx = (p.x - tl.x) * scale, sy = (p.y - tl.y) * scale;
      if (sx < -100 || sy < -40 || sx > w + 100 || sy > h + 40) continue;
      var half = labelWidth(id) / 2 + 2, top = sy + byId.get(id).size * scale + 1;
      var box = [sx - half, top, sx + half, top + LABEL_PX + 3], free = true, cells = [];
      for (var cx = Math.floor(box[0] / CELL); cx <= Math.floor(box[2] / CELL); cx++) {
        for (var cy = Math.floor(box[1] / CELL); cy <= Math.floor(box[3] / CELL); cy++) {
          var key = cx + "," + cy, list = grid.get(key);
          cells.push(key);
          if (list) list.forEach(function (b) { if (b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]) free = false; });
        }
      }
      if (!free && scale < ALL_LABELS_SCALE) continue;
      cells.forEach(function (key) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(box); });
      painted.push({ id: id, box: box });
      var ty = p.y + byId.get(id).size + 1 / scale;
      ctx.strokeText(byId.get(id).short, p.x, ty);
      ctx.fillText(byId.get(id).short, p.x, ty);
    }
    ctx.restore();
  }
  network.on("afterDrawing", paintLabels);

  /* Counts, in the bar and in the legend (shown / all). */
  var groupCounts = new Map(), relCounts = new Map();
  function fmt(shown, all) { return shown === all ? String(all) : shown + " / " + all; }
  function showCounts() {
    var of = function (n, all) { return n === all ? String(n) : n + " of " + all; };
    $("kg-count").textContent = of(nodes.length, DATA.total.nodes) + " nodes \u00b7 " + of(edges.length, DATA.total.edges) + " edges";
    var filtered = shownNodes.size !== nodes.length || shownEdges.size !== edges.length;
    $("kg-shown").textContent = filtered ? "(showing " + shownNodes.size + " \u00b7 " + shownEdges.size + ")" : "";
    var g = new Map(), r = new Map();
    shownNodes.forEach(function (id) { var k = byId.get(id).group; g.set(k, (g.get(k) || 0) + 1); });
    shownEdges.forEach(function (i) { var k = DATA.edges[i].relation; r.set(k, (r.get(k) || 0) + 1); });
    DATA.groups.forEach(function (x) { groupCounts.get(x.group).textContent = fmt(g.get(x.group) || 0, x.count); });
    DATA.relations.forEach(function (x) { relCounts.get(x.relation).textContent = fmt(r.get(x.relation) || 0, x.count); });
    var lb = $("kg-lonely");
    lb.textContent = (showLonely ? "Hide " : "Show ") + lonely + " unconnected";
    lb.setAttribute("aria-pressed", String(showLonely));
    var pb = $("kg-papers"), folded = hiddenGroups.has("paper");
    pb.hidden = !groupBoxes.has("paper");
    pb.textContent = folded ? "Unfold papers" : "Fold papers";
    pb.setAttribute("aria-pressed", String(folded));
    relOnly.forEach(function (b, rel) { b.setAttribute("aria-pressed", String(hiddenRels.size === DATA.relations.length - 1 && !hiddenRels.has(rel))); });
  }
  function refresh() {
    compute();
    nodesView.refresh(); edgesView.refresh();
    if (lit) light(lit.center);
    showCounts();
  }

  function legendRow(listId, key, swatch, text, hidden, counts) {
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.value = key;
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(key); else hidden.add(key);
      if (mode === "relation") showGraph();
      refresh();
    });
    var n = el("span", "", "kg-n");
    counts.set(key, n);
    var li = add(el("li"), add(el("label"), box, swatch, el("span", text), n));
    add($(listId), li);
    return { box: box, li: li };
  }
  var groupBoxes = new Map(), relBoxes = new Map(), relOnly = new Map();
  DATA.groups.forEach(function (g) {
    var sw = el("span", null, "kg-swatch " + g.shape + (g.dashed ? " dashed" : ""));
    sw.style.background = g.color; sw.style.borderColor = g.border;
    groupBoxes.set(g.group, legendRow("kg-types", g.group, sw, g.label, hiddenGroups, groupCounts).box);
  });
  function only(rel) {
    hiddenRels.clear();
    DATA.relations.forEach(function (r) { if (r.relation !== rel) hiddenRels.add(r.relation); });
    relBoxes.forEach(function (b, k) { b.checked = !hiddenRels.has(k); });
    if (mode !== "graph") showGraph();
    refresh();
    if (shownNodes.size && shownNodes.size <= RELATION_VIEW_MAX) showRelation(rel);
    else if (shownNodes.size) network.fit({ nodes: Array.from(shownNodes), maxZoomLevel: 1.5 });
  }
  function allRelations() {
    hiddenRels.clear(); relBoxes.forEach(function (b) { b.checked = true; });
    if (mode !== "graph") showGraph();
    refresh();
  }
  DATA.relations.forEach(function (r) {
    var sw = el("span", null, "kg-line"); sw.style.borderColor = r.color;
    var row = legendRow("kg-relations", r.relation, sw, r.relation, hiddenRels, relCounts);
    relBoxes.set(r.relation, row.box);
    var b = button("only", "kg-only", function () { only(r.relation); });
    b.value = r.relation; b.title = "Show only " + r.relation + " edges and the nodes they join";
    relOnly.set(r.relation, add(row.li, b).lastChild);
  });
  $("kg-all-relations").addEventListener("click", allRelations);
  function setGroup(group, shown) {
    if (shown) hiddenGroups.delete(group); else hiddenGroups.add(group);
    if (groupBoxes.has(group)) groupBoxes.get(group).checked = shown;
    refresh();
  }
  $("kg-papers").addEventListener("click", function () { setGroup("paper", hiddenGroups.has("paper")); });
  $("kg-lonely").addEventListener("click", function () { showLonely = !showLonely; refresh(); });

  /* Highlight: a node and its drawn neighbours keep their colours, the rest is dimmed. */
  var lit = null;
  function light(id) {
    var ids = new Set([id]), a = adj.get(id), touching = new Set();
    a.out.concat(a.in).forEach(function (e) {
      if (shownEdges.has(e.id)) { ids.add(e.from); ids.add(e.to); touching.add(e.id); }
    });
    var was = lit;
    lit = { center: id, ids: ids, edges: touching };
    restyle(was);
  }
  function unlight() { var was = lit; lit = null; restyle(was); }
  function restyle(was) {
    var nodeUpdates = [], edgeUpdates = [];
    DATA.nodes.forEach(function (n) {
      var dimNow = !!lit && !lit.ids.has(n.id), dimBefore = !!was && !was.ids.has(n.id);
      if (dimNow !== dimBefore) nodeUpdates.push({ id: n.id, color: dimNow ? DIM_NODE : groupOptions[n.group].color });
    });
    DATA.edges.forEach(function (e) {
      var dimNow = !!lit && !lit.edges.has(e.id), dimBefore = !!was && !was.edges.has(e.id);
      if (dimNow !== dimBefore) edgeUpdates.push({ id: e.id, color: edgeColor(e, dimNow) });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    network.redraw();
  }

  /* Side panel: the clicked node's papers and every edge in and out, with its evidence. */
  var panel = $("kg-panel");
  function nodeButton(id) { return button(byId.get(id).label, "kg-link", function () { focusNode(id); }); }
  function evidence(e, other) {
    var li = add(el("li"), relChip(e.relation), other);
    if (e.derivation) add(li, el("span", " " + e.derivation, "kg-meta"));
    if (e.paper_id) add(li, el("div", paperTitle(e.paper_id), "kg-meta"));
    if (e.sentence) add(li, el("blockquote", e.sentence));
    var extra = ["dataset", "margin", "derivation"].filter(function (k) { return e[k] !== undefined; })
      .map(function (k) { return k + ": " + e[k]; });
    if (resultText(e)) extra.unshift("result: " + resultText(e));
    if (extra.length) add(li, el("div", extra.join(" \u00b7 "), "kg-meta"));
    return li;
  }
  function listSection(title, items, make) {
    if (!items.length) return null;
    add(panel, el("h3", title + " (" + items.length + ")"));
    var ul = add(panel, el("ul"));
    items.slice(0, 300).forEach(function (x) { add(ul, make(x)); });
    if (items.length > 300) add(ul, el("li", "\u2026 and " + (items.length - 300) + " more", "kg-meta"));
    return ul;
  }
  function hasLineage(id) {
    var a = adj.get(id);
    return a.out.concat(a.in).some(function (e) { return LINEAGE.has(e.relation); });
  }
  /* Sections of the node panel, in order; each adds to the panel what it has for node n. */
  var nodeSections = [
    function header(n) {
      var h = add(panel, el("h2", n.label));
      if (n.group === "baseline") add(h, el("span", "baseline", "kg-badge"));
      add(panel, el("p", n.type + " \u00b7 " + n.id, "kg-meta"));
      if (n.aliases.length) add(panel, el("p", "Also: " + n.aliases.join(", "), "kg-meta"));
      if (n.papers !== undefined) add(panel, el("p", "Papers: " + n.papers + (n.first_seen ? " \u00b7 first seen " + n.first_seen : ""), "kg-meta"));
      if (n.type === "paper" && n.title && n.title !== n.label) add(panel, el("p", n.title));
      if (n.date && n.type === "paper") add(panel, el("p", "Date: " + n.date, "kg-meta"));
      if (n.url) add(panel, add(el("p"), link(n.url)));
    },
    function actions(n) {
      if (!hasLineage(n.id) || (mode === "lineage" && lineageOf === n.id)) return;
      var b = button("Lineage", "", function () { showLineage(n.id); });
      b.id = "kg-lineage-button"; b.title = "Ancestors and descendants through " + DATA.lineage_relations.join(", ");
      add(panel, add(el("p", null, "kg-actions"), b));
    },
    function leaderboardTable(n) {
      var board = DATA.leaderboards[n.id];
      if (!board) return;
      add(panel, el("h3", "Leaderboard: " + (board.metric || "unnamed metric") + " (" + board.count + ")"));
      var table = el("table", null, "kg-leaderboard"), head = el("tr");
      add(panel, table); add(table, head);
      ["#", "method", "value", "paper"].forEach(function (t) { add(head, el("th", t)); });
      board.rows.forEach(function (r) {
        var tr = el("tr"), cell = el("td");
        add(table, tr);
        tr.title = r.sentence;
        add(tr, el("td", String(r.rank)));
        add(tr, cell); add(cell, byId.has(r.id) ? nodeButton(r.id) : el("span", r.name));
        add(tr, el("td", r.value + r.unit + (r.metric && r.metric !== board.metric ? " (" + r.metric + ")" : "")));
        add(tr, el("td", paperTitle(r.paper_id), "kg-meta"));
      });
      if (board.count > board.rows.length) add(panel, el("p", "\u2026 and " + (board.count - board.rows.length) + " more", "kg-meta"));
    },
    function paperList(n) {
      listSection("Papers", n.type === "paper" ? [] : n.paper_ids, function (pid) {
        var p = papers.get(pid), li = el("li");
        add(li, byId.has(pid) ? nodeButton(pid) : el("span", paperTitle(pid)));
        if (p && p.date) add(li, el("span", " (" + p.date + ")", "kg-meta"));
        if (p && p.url && safeUrl(p.url)) add(li, el("span", " "), link(p.url, "link"));
        return li;
      });
    },
    function edgeLists(n) {
      var a = adj.get(n.id);
      listSection("Outgoing", a.out, function (e) { return evidence(e, add(el("span", "\u2192 "), nodeButton(e.to))); });
      listSection("Incoming", a.in, function (e) { return evidence(e, add(el("span", "\u2190 "), nodeButton(e.from))); });
    }
  ];
  function showNode(id) {
    panel.replaceChildren();
    var n = byId.get(id);
    nodeSections.forEach(function (section) { section(n); });
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
    if (p.nodes.length) { showNode(p.nodes[0]); if (mode === "graph") light(p.nodes[0]); }
    else if (p.edges.length) showEdge(p.edges[0]);
    else if (mode === "graph") clear();
  });

  /* Search: an exact name answers as kg.query.find_node does (DATA.names holds its answers);
     otherwise the best-connected node whose name starts with, then contains, the text. */
  var keys = [];
  DATA.nodes.forEach(function (n) {
    [n.label, n.id].concat(n.aliases).forEach(function (s) { if (s) keys.push([canonicalKey(s), n.id]); });
  });
  var datalist = $("kg-names");
  if (DATA.nodes.length <= 5000) DATA.nodes.forEach(function (n) { var o = el("option"); o.value = n.label; datalist.appendChild(o); });
  function resolve(query) {
    var q = canonicalKey(query);
    if (!q) return null;
    if (Object.prototype.hasOwnProperty.call(DATA.names, q)) {
      var v = DATA.names[q];
      if (Array.isArray(v)) return { ambiguous: v };
      return byId.has(v) ? { id: v } : { missing: v };
    }
    var best = null, bestRank = 9;
    keys.forEach(function (pair) {
      var at = pair[0].indexOf(q), rank = at === 0 ? 1 : at > 0 ? 2 : 9;
      if (rank < bestRank || (rank === bestRank && rank < 9 && byId.get(pair[1]).degree > byId.get(best).degree)) {
        best = pair[1]; bestRank = rank;
      }
    });
    return bestRank < 9 ? { id: best } : null;
  }
  function find(query) { var r = resolve(query); return r && r.id ? r.id : null; }
  function focusNode(id) {
    var n = byId.get(id);
    if (mode === "relation") showGraph();
    if (mode === "lineage" && !lineageIds.has(id)) {
      if (DATA.lineage) { network.selectNodes([]); showNode(id); return; }
      showGraph();
    }
    if (mode === "lineage") { network.selectNodes([id]); showNode(id); return; }
    if (hiddenGroups.has(n.group)) { hiddenGroups.delete(n.group); groupBoxes.get(n.group).checked = true; }
    pinned = id;
    refresh();
    light(id);
    network.selectNodes([id]);
    network.fit({ nodes: Array.from(lit.ids), maxZoomLevel: 1.2, animation: { duration: 400 } });
    showNode(id);
  }
  function clear() {
    pinned = null;
    unlight();
    network.unselectAll();
    $("kg-search-status").replaceChildren();
    refresh();
  }
  var status = $("kg-search-status");
  $("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var r = resolve($("kg-query").value);
    status.replaceChildren();
    if (r && r.id) focusNode(r.id);
    else if (r && r.ambiguous) {
      add(status, el("span", "could mean:"));
      r.ambiguous.forEach(function (id) {
        add(status, byId.has(id) ? nodeButton(id) : el("span", " " + id));
      });
    } else status.textContent = r && r.missing ? "not drawn on this page: " + r.missing : "no match";
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if ((mode === "lineage" && !DATA.lineage) || mode === "relation") showGraph();
    else clear();
  });

  /* Lineage: ancestors (out-edges) to the left, descendants (in-edges) to the right, one
     column per hop, each node once (as kg query lineage / descendants walk). */
  var mode = "graph", lineageOf = null, lineageIds = new Set();
  function walk(id, way, step, levels) {
    var queue = [id], seen = new Set([id]);
    while (queue.length) {
      var n = queue.shift();
      adj.get(n)[way].forEach(function (e) {
        var other = way === "out" ? e.to : e.from;
        if (!LINEAGE.has(e.relation) || seen.has(other)) return;
        seen.add(other); queue.push(other);
        if (!levels.has(other)) levels.set(other, levels.get(n) + step);
      });
    }
  }
  /* Columns: y of each node so that it sits near its neighbours in the column before
     (columns placed outward from level 0). */
  function arrange(levels, linked) {
    var cols = new Map(), y = new Map();
    levels.forEach(function (lv, n) { if (!cols.has(lv)) cols.set(lv, []); cols.get(lv).push(n); });
    Array.from(cols.keys()).sort(function (a, b) { return Math.abs(a) - Math.abs(b) || a - b; }).forEach(function (lv) {
      var col = cols.get(lv), towards = lv < 0 ? lv + 1 : lv - 1;
      function bary(n) {
        var ys = linked.filter(function (e) { return (e.from === n && levels.get(e.to) === towards) || (e.to === n && levels.get(e.from) === towards); })
          .map(function (e) { return y.get(e.from === n ? e.to : e.from); });
        return ys.length ? ys.reduce(function (s, v) { return s + v; }, 0) / ys.length : 0;
      }
      col.sort(function (a, b) { return bary(a) - bary(b) || (byId.get(a).label < byId.get(b).label ? -1 : 1); });
      col.forEach(function (n, i) { y.set(n, (i - (col.length - 1) / 2) * ROW); });
    });
    return y;
  }
  var COL = 300, ROW = 90;
  function drawLayered(pos, linked, labelled, center) {
    var lnodes = new vis.DataSet(Array.from(pos.keys()).map(function (n) {
      var d = byId.get(n);
      return { id: n, label: d.short, x: pos.get(n)[0], y: pos.get(n)[1], group: d.group, title: nodeTip(d),
               size: n === center ? 16 : 11, font: { size: 14, bold: n === center } };
    }));
    var ledges = new vis.DataSet(linked.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, relation: e.relation, title: edgeTip(e), color: edgeColor(e, false),
               label: labelled ? e.relation + (e.derivation ? " \u00b7 " + e.derivation : "") : undefined, width: 2,
               font: { color: relColor.get(e.relation) || "#555", align: "horizontal", size: 13 }, smooth: { enabled: false } };
    }));
    unlight();
    network.setData({ nodes: lnodes, edges: ledges });
    network.fit({ maxZoomLevel: 1.2 });
    network.moveTo({ scale: network.getScale() * 0.88 });      // room for the outer labels
    $("kg-mode").hidden = false;
    return { nodes: lnodes, edges: ledges };
  }
  function showLineage(id) {
    var levels = new Map([[id, 0]]);
    walk(id, "out", -1, levels); walk(id, "in", 1, levels);
    lineageIds = new Set(levels.keys());
    var linked = DATA.edges.filter(function (e) { return LINEAGE.has(e.relation) && levels.has(e.from) && levels.has(e.to); });
    var y = arrange(levels, linked), pos = new Map();
    levels.forEach(function (lv, n) { pos.set(n, [lv * COL, y.get(n)]); });
    mode = "lineage"; lineageOf = id;
    var drawn = drawLayered(pos, linked, true, id);
    var up = Array.from(levels.values()).filter(function (v) { return v < 0; }).length, down = levels.size - 1 - up;
    $("kg-mode-text").textContent = "Lineage of " + byId.get(id).label + ": " + up + " ancestor" + (up === 1 ? "" : "s") +
      ", " + down + " descendant" + (down === 1 ? "" : "s");
    $("kg-back").hidden = !!DATA.lineage;
    showNode(id);
    window.kg.lineageView = { nodes: drawn.nodes, edges: drawn.edges, levels: Object.fromEntries(levels) };
  }
  /* One relation with few nodes: each connected part as columns, an edge's target to the
     left of its source, the parts packed in rows. */
  var RELATION_VIEW_MAX = 200;
  function showRelation(rel) {
    var linked = DATA.edges.filter(function (e) { return shownEdges.has(e.id); }), out = new Map(), root = new Map();
    function top(n) { while (root.get(n) !== n) n = root.get(n); return n; }
    shownNodes.forEach(function (n) { out.set(n, []); root.set(n, n); });
    linked.forEach(function (e) { out.get(e.from).push(e.to); root.set(top(e.from), top(e.to)); });
    var level = new Map(), busy = new Set();
    function lv(n) {
      if (level.has(n)) return level.get(n);
      if (busy.has(n)) return 0;
      busy.add(n);
      var v = out.get(n).reduce(function (m, t) { return Math.max(m, lv(t) + 1); }, 0);
      busy.delete(n); level.set(n, v);
      return v;
    }
    var parts = new Map();
    Array.from(shownNodes).sort().forEach(function (n) { lv(n); var r = top(n); if (!parts.has(r)) parts.set(r, []); parts.get(r).push(n); });
    var boxes = Array.from(parts.values()).sort(function (a, b) { return b.length - a.length || (a[0] < b[0] ? -1 : 1); }).map(function (part) {
      var levels = new Map(part.map(function (n) { return [n, level.get(n)]; }));
      var y = arrange(levels, linked.filter(function (e) { return levels.has(e.from); }));
      var ys = part.map(function (n) { return y.get(n); }), low = Math.min.apply(null, ys);
      var wide = Math.max.apply(null, part.map(function (n) { return level.get(n); }));
      return { part: part, y: y, low: low, w: wide * COL + 200, h: Math.max.apply(null, ys) - low + ROW };
    });
    var area = boxes.reduce(function (s, b) { return s + b.w * b.h; }, 0);
    var width = Math.max(Math.sqrt(area) * 1.6, Math.max.apply(null, boxes.map(function (b) { return b.w; })));
    var x = 0, yTop = 0, rowH = 0, pos = new Map();
    boxes.forEach(function (b) {
      if (x > 0 && x + b.w > width) { x = 0; yTop += rowH; rowH = 0; }
      b.part.forEach(function (n) { pos.set(n, [x + level.get(n) * COL, yTop + b.y.get(n) - b.low]); });
      x += b.w; rowH = Math.max(rowH, b.h);
    });
    mode = "relation"; lineageOf = null;
    drawLayered(pos, linked, false, null);
    $("kg-mode-text").textContent = "Only " + rel + ": " + linked.length + " edge" + (linked.length === 1 ? "" : "s") +
      " between " + pos.size + " nodes";
    $("kg-back").hidden = false;
  }
  function showGraph() {
    mode = "graph"; lineageOf = null; lineageIds = new Set();
    $("kg-mode").hidden = true;
    network.setData({ nodes: nodesView, edges: edgesView });
    fitMain();
  }
  $("kg-back").addEventListener("click", function () { if (mode === "relation") allRelations(); else showGraph(); });

  /* Physics: off at load (positions come precomputed); on demand it runs until stable. */
  var physicsButton = $("kg-physics"), physicsOn = false, physicsTimer = null;
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
  $("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  window.kg = { network: network, data: DATA, find: find, resolve: resolve, focusNode: focusNode, clear: clear,
                only: only, allRelations: allRelations, lineage: showLineage, graph: showGraph,
                nodes: nodesView, edges: edgesView, mode: function () { return mode; },
                lit: function () { return lit ? Array.from(lit.ids).sort() : []; },
                labels: function () { return painted.slice(); } };
  showCounts();
  function fitMain() {
    var main = DATA.main.filter(function (id) { return shownNodes.has(id); });
    network.fit(main.length > 1 ? { nodes: main } : undefined);
  }
  fitMain();
  if (DATA.lineage && byId.has(DATA.focus)) showLineage(DATA.focus);
  else if (DATA.focus !== null && byId.has(DATA.focus)) { network.selectNodes([DATA.focus]); showNode(DATA.focus); }
})();
