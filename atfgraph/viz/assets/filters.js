/* atfgraph page, part 1: the data, the state of the controls, and which nodes and links the filters keep.
   The parts run in order in one function scope (atfgraph/viz/html.py lists them); text from the data goes
   in through textContent, never innerHTML, so a label cannot inject markup. */
var data = JSON.parse(document.getElementById("atfgraph-data").textContent);
var SVG = "http://www.w3.org/2000/svg"; // an XML namespace name, not a request
var byId = {};
data.nodes.forEach(function (node) { byId[node.id] = node; });
var eventsById = {};
data.events.forEach(function (event) { eventsById[event.id] = event; });

var state = {
  kinds: new Set(data.kinds.map(function (k) { return k.kind; })),
  topic: "",
  from: null,
  to: null,
  sizeBy: "degree",
  labels: true,
  lanes: data.lanes === "type" ? "type" : "topic",
  tab: data.view === "timeline" ? "timeline" : "network",
  query: ""
};

function el(tag, attrs, text) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
  if (text !== undefined && text !== null) { node.textContent = text; }
  return node;
}
function svgEl(tag, attrs) {
  var node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
  return node;
}


var narrower = {};
data.topics.forEach(function (topic) {
  topic.broader.forEach(function (parent) { (narrower[parent] = narrower[parent] || []).push(topic.id); });
});
function topicClosure(id) {
  var found = new Set([id]);
  var stack = [id];
  while (stack.length) {
    (narrower[stack.pop()] || []).forEach(function (child) {
      if (!found.has(child)) { found.add(child); stack.push(child); }
    });
  }
  return found;
}
function yearFiltering() { return state.from !== null || state.to !== null; }

/* An event or document passes when it has a chosen topic and its years overlap the range; an item
   whose year is unknown never passes a year filter. */
function itemPasses(item, topics) {
  if (topics && !item.topics.some(function (t) { return topics.has(t); })) { return false; }
  if (!yearFiltering()) { return true; }
  if (!item.start) { return false; }
  var first = parseInt(item.start.slice(0, 4), 10);
  var last = parseInt(item.end.slice(0, 4), 10);
  return (state.to === null || first <= state.to) && (state.from === null || last >= state.from);
}

function computeVisibility() {
  var topics = state.topic ? topicClosure(state.topic) : null;
  var filtering = Boolean(topics) || yearFiltering();
  var nodes = new Set();
  var edges = new Set();
  var projection = data.edges.some(function (e) { return e.events !== null; });
  if (!filtering) {
    data.nodes.forEach(function (n) { nodes.add(n.id); });
  } else if (projection) {
    // Co-operation and actor-topic links stand for events: a link is kept if one of its events passes.
    data.edges.forEach(function (e) {
      var topicEnd = byId[e.target].kind === "topic" ? e.target : (byId[e.source].kind === "topic" ? e.source : null);
      if (topics && topicEnd && !topics.has(topicEnd)) { return; }
      var passes = (e.events || []).some(function (id) {
        var event = eventsById[id];
        return event ? itemPasses(event, topicEnd ? null : topics) : false;
      });
      if (!passes && e.declared && !yearFiltering()) { passes = true; }
      if (passes) { edges.add(e.id); nodes.add(e.source); nodes.add(e.target); }
    });
  } else {
    var anchors = new Set();
    data.nodes.forEach(function (n) {
      if (n.item ? itemPasses(n, topics) : (topics && n.kind === "topic" && topics.has(n.id))) { anchors.add(n.id); }
    });
    anchors.forEach(function (id) { nodes.add(id); });
    data.edges.forEach(function (e) {
      if (anchors.has(e.source) && !byId[e.target].item) { nodes.add(e.target); }
      if (anchors.has(e.target) && !byId[e.source].item) { nodes.add(e.source); }
    });
  }
  data.nodes.forEach(function (n) { if (!state.kinds.has(n.kind)) { nodes.delete(n.id); } });
  data.edges.forEach(function (e) {
    var evidence = !filtering || !projection || edges.has(e.id);
    if (evidence && nodes.has(e.source) && nodes.has(e.target)) { edges.add(e.id); } else { edges.delete(e.id); }
  });
  return { nodes: nodes, edges: edges, topics: topics };
}
