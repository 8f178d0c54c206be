/* atfgraph page, part 2: the network drawing (Cytoscape.js, preset positions), and applying the filters. */
var maxMetric = {};
["degree", "weighted", "betweenness", "eigenvector"].forEach(function (name) {
  maxMetric[name] = data.nodes.reduce(function (top, n) { return Math.max(top, n.metrics[name]); }, 0) || 1;
});
function nodeSize(node) {
  return Math.round(16 + 36 * Math.sqrt(node.metrics[state.sizeBy] / maxMetric[state.sizeBy]));
}
var maxWeight = data.edges.reduce(function (top, e) { return Math.max(top, e.weight || 1); }, 1);
var weighted = maxWeight > 1;
var kindStyle = {};
data.kinds.forEach(function (k) { kindStyle[k.kind] = k; });

var cy = cytoscape({
  container: document.getElementById("graph"),
  elements: {
    nodes: data.nodes.map(function (n) {
      return {
        data: { id: n.id, display: n.display, colour: kindStyle[n.kind].colour, shape: kindStyle[n.kind].shape,
                size: nodeSize(n) },
        position: { x: n.x, y: n.y }
      };
    }),
    edges: data.edges.map(function (e) {
      return { data: { id: e.id, source: e.source, target: e.target, label: e.label,
                       width: weighted ? 0.8 + 5 * (e.weight || 1) / maxWeight : 1.2 } };
    })
  },
  layout: { name: "preset", fit: true, padding: 40 },
  minZoom: 0.05,
  maxZoom: 4,
  boxSelectionEnabled: false,
  style: [
    { selector: "node", style: {
      "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
      "label": "data(display)", "font-size": 13, "color": "#1f2933", "text-valign": "bottom", "text-margin-y": 4,
      "text-wrap": "wrap", "text-max-width": 130, "text-outline-color": "#ffffff", "text-outline-width": 2.5,
      "border-width": 1.5, "border-color": "#ffffff", "min-zoomed-font-size": 7
    } },
    { selector: "node.no-label", style: { "label": "" } },
    { selector: "node.ego", style: { "border-color": "#1f2933", "border-width": 5, "font-weight": "bold", "font-size": 14 } },
    { selector: "edge", style: {
      "width": "data(width)", "line-color": "#b9c1cc", "curve-style": "bezier", "opacity": 0.85,
      "target-arrow-shape": data.directed ? "triangle" : "none", "target-arrow-color": "#b9c1cc", "arrow-scale": 0.6
    } },
    { selector: "edge.show-label, edge:selected", style: {
      "label": "data(label)", "font-size": 10, "color": "#3e4c59", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.9, "text-background-padding": 2
    } },
    { selector: ".faded", style: { "opacity": 0.15 } },
    { selector: "node.match", style: { "border-color": "#1d4e89", "border-width": 4 } },
    { selector: "node:selected", style: { "border-color": "#1f2933", "border-width": 4 } },
    { selector: "edge:selected", style: { "line-color": "#1d4e89", "target-arrow-color": "#1d4e89", "opacity": 1 } },
    { selector: ".hidden", style: { "display": "none" } }
  ]
});

if (data.ego) { cy.getElementById(data.ego).addClass("ego"); }

function visibleNodes() { return cy.nodes().filter(function (n) { return n.visible(); }); }

function updateCounts(visibility) {
  var nodeCount = visibility.nodes.size;
  var edgeCount = visibility.edges.size;
  document.body.setAttribute("data-node-count", String(nodeCount));
  document.body.setAttribute("data-edge-count", String(edgeCount));
  var noun = data.view === "cooperation" ? "actors" : "nodes";
  if (state.tab === "network") {
    document.getElementById("counts").textContent =
      nodeCount + " of " + data.nodes.length + " " + noun + " · " + edgeCount + " of " + data.edges.length + " links";
  }
  document.getElementById("empty").hidden = !(nodeCount === 0 && state.tab === "network");
}

function applyFilters() {
  var visibility = computeVisibility();
  cy.batch(function () {
    cy.nodes().forEach(function (n) { n.toggleClass("hidden", !visibility.nodes.has(n.id())); });
    cy.edges().forEach(function (e) { e.toggleClass("hidden", !visibility.edges.has(e.id())); });
    cy.nodes().forEach(function (n) { n.toggleClass("no-label", !state.labels); });
  });
  updateCounts(visibility);
  renderSearch();
  if (state.tab === "timeline") { renderTimeline(); }
  return visibility;
}

function resize() {
  cy.batch(function () {
    cy.nodes().forEach(function (n) { n.data("size", nodeSize(byId[n.id()])); });
  });
}
