/* atfgraph page, part 5: the timeline, events by topic or type on a time axis. Events are placed by
   their date bounds; those whose year is unknown go in a lane of their own below the axis, never at year 0. */
var lanesSelect = document.getElementById("lanes");
lanesSelect.value = state.lanes;
lanesSelect.addEventListener("change", function () { state.lanes = lanesSelect.value; renderTimeline(); });
var topicLabel = {};
data.topics.forEach(function (t) { topicLabel[t.id] = t.label; });

function timelineEvents() {
  var topics = state.topic ? topicClosure(state.topic) : null;
  return data.events.filter(function (event) { return itemPasses(event, topics); }).map(function (event) {
    var lanes;
    if (event.placement === "unknown") { lanes = []; }
    else if (state.lanes === "type") { lanes = [event.type]; }
    else {
      lanes = event.topics.filter(function (t) { return !topics || topics.has(t); })
        .map(function (t) { return topicLabel[t] || t; });
      if (!lanes.length) { lanes = ["(no topic)"]; }
    }
    return { event: event, lanes: lanes };
  });
}

var measureContext = document.createElement("canvas").getContext("2d");
function measure(text) {
  measureContext.font = "11px " + getComputedStyle(document.body).fontFamily;
  return measureContext.measureText(text).width;
}

function dayNumber(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5; }

function renderTimeline() {
  var chart = document.getElementById("timeline-chart");
  var unknownBox = document.getElementById("timeline-unknown");
  chart.textContent = "";
  unknownBox.textContent = "";
  var entries = timelineEvents();
  var dated = entries.filter(function (entry) { return entry.event.placement !== "unknown"; });
  var unknown = entries.filter(function (entry) { return entry.event.placement === "unknown"; });
  document.getElementById("counts").textContent =
    dated.length + " dated events · " + unknown.length + " with the year unknown";
  renderTimelineLegend();

  if (dated.length) {
    var firstYear = Infinity, lastYear = -Infinity;
    dated.forEach(function (entry) {
      firstYear = Math.min(firstYear, +entry.event.start.slice(0, 4));
      lastYear = Math.max(lastYear, +entry.event.end.slice(0, 4));
    });
    lastYear += 1;
    var laneNames = [];
    dated.forEach(function (entry) { entry.lanes.forEach(function (lane) { if (laneNames.indexOf(lane) < 0) { laneNames.push(lane); } }); });
    laneNames.sort(function (a, b) { return a === "(no topic)" ? 1 : b === "(no topic)" ? -1 : a.localeCompare(b); });
    var labelWidth = 230, right = 16, top = 28;
    var width = Math.max(chart.clientWidth || 900, 700);
    var axisStart = dayNumber(firstYear + "-01-01"), axisEnd = dayNumber(lastYear + "-01-01");
    var scale = (width - labelWidth - right) / (axisEnd - axisStart);
    var texts = {};
    dated.forEach(function (entry) {
      var event = entry.event;
      var text = event.label.length > 42 ? event.label.slice(0, 41) + "…" : event.label;
      var room = measure(text) + (event.placement === "open" ? 30 : 12) + 8;
      texts[event.id] = { text: text, room: room };
      // Shrink the scale until the event's label fits before the right edge.
      var days = dayNumber(event.end) + 1 - axisStart;
      scale = Math.min(scale, Math.max((width - labelWidth - right - room) / days, 0.001));
    });
    var x = function (iso) { return labelWidth + (dayNumber(iso) - axisStart) * scale; };
    var rowHeight = 22;
    // Pack each lane's items into rows so that labels do not overlap.
    var lanes = laneNames.map(function (name) {
      var items = [];
      dated.forEach(function (entry) { if (entry.lanes.indexOf(name) >= 0) { items.push(entry.event); } });
      items.sort(function (a, b) { return a.start < b.start ? -1 : a.start > b.start ? 1 : a.label.localeCompare(b.label); });
      var rowEnds = [];
      var placed = items.map(function (event) {
        var x0 = x(event.start);
        var x1 = event.placement === "span" ? Math.max(x(event.end) + scale, x0 + 5) : x0;
        var extent = x1 + texts[event.id].room;
        var row = 0;
        while (row < rowEnds.length && rowEnds[row] > x0 - 8) { row += 1; }
        rowEnds[row] = extent;
        return { event: event, row: row, x0: x0, x1: x1, text: texts[event.id].text };
      });
      return { name: name, items: placed, rows: Math.max(rowEnds.length, 1) };
    });
    var height = top + lanes.reduce(function (sum, lane) { return sum + lane.rows * rowHeight + 12; }, 0) + 8;
    var svg = svgEl("svg", { width: width, height: height, role: "img", "aria-label": "Timeline of events" });
    var step = [1, 2, 5, 10, 20, 50, 100].find(function (s) { return (lastYear - firstYear) / s <= 14; }) || 100;
    for (var year = Math.ceil(firstYear / step) * step; year <= lastYear; year += step) {
      var tx = x(year + "-01-01");
      svg.appendChild(svgEl("line", { x1: tx, x2: tx, y1: top - 6, y2: height, stroke: "#e4e7eb" }));
      var tick = svgEl("text", { x: tx, y: top - 10, "text-anchor": "middle", "class": "tick" });
      tick.textContent = String(year);
      svg.appendChild(tick);
    }
    var y = top;
    lanes.forEach(function (lane, index) {
      var laneHeight = lane.rows * rowHeight + 12;
      if (index % 2 === 0) {
        svg.appendChild(svgEl("rect", { x: 0, y: y, width: width, height: laneHeight, fill: "#f5f7fa", opacity: 0.7 }));
      }
      var name = svgEl("text", { x: 8, y: y + 17, "class": "lane-label" });
      name.textContent = lane.name.length > 32 ? lane.name.slice(0, 31) + "…" : lane.name;
      svg.appendChild(name);
      lane.items.forEach(function (item) {
        var event = item.event;
        var colour = data.typeColours[event.type] || "#bab0ac";
        var cy0 = y + 6 + item.row * rowHeight + rowHeight / 2;
        var g = svgEl("g", { "class": "tl-item", "data-event": event.short, "data-lane": lane.name,
                             "data-placement": event.placement, "data-start": event.start, "data-x": item.x0.toFixed(1) });
        var title = svgEl("title");
        title.textContent = event.label + " · " + event.date + " · " + event.type;
        g.appendChild(title);
        if (event.placement === "span") {
          g.appendChild(svgEl("rect", { x: item.x0, y: cy0 - 5, width: Math.max(item.x1 - item.x0, 3), height: 10,
                                        rx: 3, fill: colour }));
        } else {
          g.appendChild(svgEl("polygon", { points: [item.x0, cy0 - 6, item.x0 + 6, cy0, item.x0, cy0 + 6, item.x0 - 6, cy0].join(" "),
                                           fill: colour, stroke: "#ffffff", "stroke-width": 1 }));
          if (event.placement === "open") {
            g.appendChild(svgEl("path", { d: "M" + (item.x0 + 7) + " " + cy0 + " h 16 m -5 -4 l 5 4 l -5 4",
                                          stroke: colour, fill: "none", "stroke-width": 1.6, "stroke-dasharray": "3 2" }));
          }
        }
        var label = svgEl("text", { x: item.x1 + (event.placement === "span" ? 6 : 10) + (event.placement === "open" ? 18 : 0),
                                    y: cy0 + 4 });
        label.textContent = item.text;
        g.appendChild(label);
        g.addEventListener("click", function () { showEvent(event.id); });
        svg.appendChild(g);
      });
      y += laneHeight;
    });
    chart.appendChild(svg);
  } else {
    chart.appendChild(el("p", { "class": "hint" }, "No dated event matches the filters."));
  }

  unknownBox.appendChild(el("h3", {}, "Year unknown (" + unknown.length + ")"));
  unknownBox.appendChild(el("p", { "class": "hint" },
    yearFiltering() ? "Hidden while a year is set: these events cannot be placed in a year range."
                    : "These events have no known year, so they are not on the time axis."));
  var chips = el("div", { "class": "chips" });
  unknown.forEach(function (entry) {
    var event = entry.event;
    var chip = el("button", { type: "button", "class": "chip", "data-event": event.short, "data-lane": "unknown" });
    var dot = el("span", { "class": "dot" });
    dot.style.background = data.typeColours[event.type] || "#bab0ac";
    chip.appendChild(dot);
    chip.appendChild(el("span", {}, event.label));
    chip.appendChild(el("span", { "class": "date" }, event.date || "no date"));
    chip.title = event.type;
    chip.addEventListener("click", function () { showEvent(event.id); });
    chips.appendChild(chip);
  });
  unknownBox.appendChild(chips);
}

function renderTimelineLegend() {
  var box = document.getElementById("timeline-legend");
  box.textContent = "";
  Object.keys(data.typeColours).forEach(function (type) {
    var item = el("span");
    var dot = el("span", { "class": "dot" });
    dot.style.cssText = "display:inline-block;width:9px;height:9px;border-radius:2px;transform:rotate(45deg);background:" +
      data.typeColours[type];
    item.appendChild(dot);
    item.appendChild(document.createTextNode(type));
    box.appendChild(item);
  });
  box.appendChild(el("span", {}, "◆ a day · ▬ a span · ◆⇢ end unknown"));
}
