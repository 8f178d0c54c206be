/* atfgraph page, part 3: the hover tooltip, the details panel and the search box. */
var tooltip = document.getElementById("tooltip");
function showTooltip(title, sub, position) {
  tooltip.textContent = "";
  tooltip.appendChild(el("div", {}, title));
  if (sub) { tooltip.appendChild(el("div", { "class": "sub" }, sub)); }
  tooltip.style.left = Math.round(position.x + 14) + "px";
  tooltip.style.top = Math.round(position.y + 14) + "px";
  tooltip.hidden = false;
}
function hideTooltip() { tooltip.hidden = true; }

cy.on("mouseover", "node", function (event) {
  var node = byId[event.target.id()];
  showTooltip(node.label, node.type + (node.start ? " · " + node.start.slice(0, 4) : ""), event.renderedPosition);
  event.target.connectedEdges().addClass("show-label");
});
cy.on("mouseout", "node", function (event) { hideTooltip(); event.target.connectedEdges().removeClass("show-label"); });
cy.on("mouseover", "edge", function (event) {
  var edge = data.edges[parseInt(event.target.id().slice(1), 10)];
  showTooltip(edge.label, byId[edge.source].label + " → " + byId[edge.target].label, event.renderedPosition);
});
cy.on("mouseout", "edge", hideTooltip);
cy.on("tap", "node", function (event) { showNode(event.target.id()); });
cy.on("tap", "edge", function (event) { showEdge(data.edges[parseInt(event.target.id().slice(1), 10)]); });
cy.on("tap", function (event) { if (event.target === cy) { closeDetails(); } });

var details = document.getElementById("details");
var detailsBody = document.getElementById("details-body");

function swatch(kind) {
  var style = kindStyle[kind] || { colour: "#bab0ac", shape: "ellipse" };
  var svg = svgEl("svg", { "class": "swatch", viewBox: "0 0 16 16", "aria-hidden": "true" });
  var shape;
  if (style.shape === "ellipse") { shape = svgEl("circle", { cx: 8, cy: 8, r: 7 }); }
  else if (style.shape === "diamond") { shape = svgEl("polygon", { points: "8,1 15,8 8,15 1,8" }); }
  else if (style.shape === "hexagon") { shape = svgEl("polygon", { points: "4,2 12,2 15,8 12,14 4,14 1,8" }); }
  else if (style.shape === "triangle" || style.shape === "round-triangle") { shape = svgEl("polygon", { points: "8,1 15,14 1,14" }); }
  else if (style.shape === "round-rectangle") { shape = svgEl("rect", { x: 1, y: 2, width: 14, height: 12, rx: 3 }); }
  else { shape = svgEl("rect", { x: 1, y: 2, width: 14, height: 12 }); }
  shape.setAttribute("fill", style.colour);
  svg.appendChild(shape);
  return svg;
}

function link(href, text) {
  var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, text);
  return a;
}

function showNode(id) {
  var node = byId[id];
  if (!node) { return; }
  detailsBody.textContent = "";
  detailsBody.appendChild(el("h2", {}, node.label));
  var line = el("div", { "class": "kind-line" });
  line.appendChild(swatch(node.kind));
  line.appendChild(el("span", {}, node.type || node.kind));
  detailsBody.appendChild(line);
  var list = el("dl");
  node.details.forEach(function (row) {
    if (row[0] === "Type") { return; }
    list.appendChild(el("dt", {}, row[0]));
    list.appendChild(el("dd", {}, row[1]));
  });
  linkGroups(id).forEach(function (group) {
    list.appendChild(el("dt", {}, group.title));
    var cell = el("dd");
    var items = el("ul", { "class": "links" });
    group.others.forEach(function (other) {
      var li = el("li");
      var a = el("a", { href: "#", "data-id": other.id }, byId[other.id].label + (other.note ? " (" + other.note + ")" : ""));
      a.addEventListener("click", function (event) { event.preventDefault(); focusNode(other.id); });
      li.appendChild(a);
      items.appendChild(li);
    });
    cell.appendChild(items);
    list.appendChild(cell);
  });
  if (node.sources.length) {
    list.appendChild(el("dt", {}, "Sources"));
    var dd = el("dd");
    var ul = el("ul");
    node.sources.forEach(function (pair) {
      var li = el("li");
      li.appendChild(link(pair[1], pair[0]));
      ul.appendChild(li);
    });
    dd.appendChild(ul);
    list.appendChild(dd);
  }
  if (node.url) {
    list.appendChild(el("dt", {}, "Address"));
    var urlCell = el("dd");
    urlCell.appendChild(link(node.url, node.url));
    list.appendChild(urlCell);
  }
  list.appendChild(el("dt", {}, "Identifier (IRI)"));
  var iriCell = el("dd");
  iriCell.appendChild(link(node.id, node.id));
  list.appendChild(iriCell);
  list.appendChild(el("dt", {}, "In this view"));
  var metrics = el("dd", { "class": "metrics" });
  [["links", node.metrics.degree], ["weighted degree", node.metrics.weighted],
   ["betweenness", node.metrics.betweenness], ["eigenvector", node.metrics.eigenvector],
   ["community", node.metrics.community + 1]].forEach(function (pair) {
    metrics.appendChild(el("span", {}, pair[0]));
    metrics.appendChild(el("span", {}, String(pair[1])));
  });
  list.appendChild(metrics);
  detailsBody.appendChild(list);
  details.hidden = false;
  details.setAttribute("data-node", id);
  cy.nodes().unselect();
  cy.getElementById(id).select();
}

/* The node's links grouped by what they say: "part of →", "← coordinates", shown as lists of names. */
function linkGroups(id) {
  var groups = {};
  var order = [];
  data.edges.forEach(function (e) {
    if (e.source !== id && e.target !== id) { return; }
    var outgoing = e.source === id;
    var other = outgoing ? e.target : e.source;
    var title = !data.directed ? (e.relation === "cooperatedWith" ? "Co-operated with" : e.label)
      : outgoing ? e.label : (e.inverse || "← " + e.label);
    if (!groups[title]) { groups[title] = []; order.push(title); }
    var note = e.events && e.events.length ? e.events.length + (e.events.length === 1 ? " event" : " events") : "";
    groups[title].push({ id: other, note: note });
  });
  return order.map(function (title) {
    var others = groups[title].sort(function (a, b) { return byId[a.id].label.localeCompare(byId[b.id].label); });
    return { title: title.charAt(0).toUpperCase() + title.slice(1), others: others };
  });
}

function showEdge(edge) {
  detailsBody.textContent = "";
  detailsBody.appendChild(el("h2", {}, byId[edge.source].label + " → " + byId[edge.target].label));
  var list = el("dl");
  edge.details.forEach(function (row) {
    list.appendChild(el("dt", {}, row[0]));
    list.appendChild(el("dd", {}, row[1]));
  });
  detailsBody.appendChild(list);
  details.hidden = false;
  details.removeAttribute("data-node");
}

function showEvent(id) {
  if (byId[id]) { showNode(id); return; }
  var event = eventsById[id];
  if (!event) { return; }
  detailsBody.textContent = "";
  detailsBody.appendChild(el("h2", {}, event.label));
  var list = el("dl");
  [["Type", event.type], ["Date", event.date || "no date"], ["Topics", event.topicLabels.join("; ")]].forEach(
    function (row) {
      if (!row[1]) { return; }
      list.appendChild(el("dt", {}, row[0]));
      list.appendChild(el("dd", {}, row[1]));
    });
  list.appendChild(el("dt", {}, "Identifier (IRI)"));
  var iriCell = el("dd");
  iriCell.appendChild(link(event.id, event.id));
  list.appendChild(iriCell);
  detailsBody.appendChild(list);
  details.hidden = false;
}

function closeDetails() {
  details.hidden = true;
  details.removeAttribute("data-node");
  cy.elements().unselect();
}
document.getElementById("details-close").addEventListener("click", closeDetails);


var searchInput = document.getElementById("search");
var searchResults = document.getElementById("search-results");

function search(text) {
  var query = text.trim().toLowerCase();
  if (!query) { return []; }
  var starts = [];
  var contains = [];
  data.nodes.forEach(function (n) {
    var at = n.search.indexOf(query);
    if (at === 0 || n.search.indexOf("| " + query) >= 0) { starts.push(n); } else if (at > 0) { contains.push(n); }
  });
  return starts.concat(contains).map(function (n) { return n.id; });
}

function renderSearch() {
  var ids = search(state.query);
  searchResults.textContent = "";
  cy.nodes().removeClass("match").removeClass("faded");
  cy.edges().removeClass("faded");
  if (!state.query.trim()) { return; }
  ids.slice(0, 30).forEach(function (id, index) {
    var node = byId[id];
    var hidden = !cy.getElementById(id).visible();
    var li = el("li", { role: "option", "data-id": id, "class": hidden ? "hidden-by-filter" : "" });
    if (index === 0) { li.classList.add("active"); }
    li.appendChild(swatch(node.kind));
    li.appendChild(el("span", {}, node.label));
    li.appendChild(el("span", { "class": "kind" }, hidden ? "hidden" : node.type));
    li.addEventListener("click", function () { focusNode(id); });
    searchResults.appendChild(li);
  });
  if (!ids.length) { searchResults.appendChild(el("li", { "class": "hidden-by-filter" }, "No match")); return; }
  var matches = new Set(ids);
  cy.batch(function () {
    cy.nodes().forEach(function (n) {
      if (matches.has(n.id())) { n.addClass("match"); } else { n.addClass("faded"); }
    });
    cy.edges().addClass("faded");
  });
}

function focusNode(id) {
  var target = cy.getElementById(id);
  if (target.visible()) {
    cy.animate({ center: { eles: target }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 250 });
  }
  showNode(id);
}

searchInput.addEventListener("input", function () { state.query = searchInput.value; renderSearch(); });
searchInput.addEventListener("keydown", function (event) {
  if (event.key === "Enter") {
    var first = search(state.query)[0];
    if (first) { focusNode(first); }
  } else if (event.key === "Escape") {
    searchInput.value = ""; state.query = ""; renderSearch();
  }
});
