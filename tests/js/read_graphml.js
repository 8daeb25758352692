// Read a GraphML file with graphology-graphml and print what it holds as JSON:
// {"order", "size", "multi", "type", "nodes": {id: attrs}, "edges": [{key, source, target, attributes}]}.
// Used by tests/test_export_graphml.py:  node tests/js/read_graphml.js FILE
"use strict";
const fs = require("fs");
const { MultiDirectedGraph } = require("graphology");
const { parse } = require("graphology-graphml");

const graph = parse(MultiDirectedGraph, fs.readFileSync(process.argv[2], "utf8"));
const nodes = {};
graph.forEachNode((id, attrs) => { nodes[id] = attrs; });
const edges = [];
graph.forEachEdge((key, attributes, source, target) => { edges.push({ key, source, target, attributes }); });
process.stdout.write(JSON.stringify({ order: graph.order, size: graph.size, multi: graph.multi, type: graph.type, nodes, edges }));
