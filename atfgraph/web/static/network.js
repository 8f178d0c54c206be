/* atfgraph: draws the network in #network-data (nodes with positions, kinds, labels) with Cytoscape.js.
   The data comes in a JSON data block of the page; nothing is fetched. Clicking a node opens its page. */
(function () {
  "use strict";
  var holder = document.getElementById("network-data");
  var container = document.getElementById("network");
  if (!holder || !container || typeof cytoscape !== "function") { return; }
  var data = JSON.parse(holder.textContent);
  var styles = {};
  data.kinds.forEach(function (kind) { styles[kind.kind] = kind; });

  var legend = document.getElementById("network-legend");
  if (legend) {
    data.kinds.forEach(function (kind) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = kind.colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(kind.label));
      legend.appendChild(item);
    });
  }

  var elements = data.nodes.map(function (node) {
    var style = styles[node.kind] || { colour: "#bab0ac", shape: "ellipse" };
    return { group: "nodes", data: { id: node.id, label: node.display, full: node.label, href: node.href,
                                     colour: style.colour, shape: style.shape },
             position: { x: node.x, y: node.y } };
  }).concat(data.edges.map(function (edge, index) {
    return { group: "edges", data: { id: "e" + index, source: edge.source, target: edge.target, label: edge.label } };
  }));

  var cy = cytoscape({
    container: container,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)", "width": 22, "height": 22,
        "label": "data(label)", "font-size": 11, "color": "#1f2933", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "wrap", "text-max-width": 120, "text-outline-color": "#ffffff", "text-outline-width": 2,
        "min-zoomed-font-size": 6
      } },
      { selector: "node.ego", style: { "width": 34, "height": 34, "border-width": 4, "border-color": "#1f2933",
                                       "font-weight": "bold" } },
      { selector: "edge", style: {
        "width": 1.2, "line-color": "#b9c1cc", "curve-style": "bezier",
        "target-arrow-shape": data.directed ? "triangle" : "none", "target-arrow-color": "#b9c1cc", "arrow-scale": 0.6
      } },
      { selector: "edge:selected, edge.hover", style: {
        "label": "data(label)", "font-size": 9, "text-rotation": "autorotate", "text-background-color": "#ffffff",
        "text-background-opacity": 0.9, "line-color": "#1d4e89"
      } }
    ]
  });
  if (data.ego) { cy.getElementById(data.ego).addClass("ego"); }
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.assign(href); }
  });
  cy.on("mouseover", "edge", function (event) { event.target.addClass("hover"); });
  cy.on("mouseout", "edge", function (event) { event.target.removeClass("hover"); });
  container.setAttribute("data-drawn", String(cy.nodes().length));
  window.atfgraphNetwork = cy;
}());
