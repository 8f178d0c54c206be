/* atfgraph page, part 4: the legend with its type filter, the topic and year filters, size and labels. */
var legend = document.getElementById("legend");
data.kinds.forEach(function (k) {
  var li = el("li");
  var label = el("label");
  var box = el("input", { type: "checkbox", "data-kind": k.kind });
  box.checked = true;
  box.addEventListener("change", function () {
    if (box.checked) { state.kinds.add(k.kind); } else { state.kinds.delete(k.kind); }
    applyFilters();
  });
  label.appendChild(box);
  label.appendChild(swatch(k.kind));
  label.appendChild(el("span", {}, k.label));
  li.appendChild(label);
  li.appendChild(el("span", { "class": "count" }, String(k.count)));
  legend.appendChild(li);
});

var topicSelect = document.getElementById("topic");
data.topics.forEach(function (topic) {
  var option = el("option", { value: topic.id }, "\u2003".repeat(topic.depth) + topic.label);
  topicSelect.appendChild(option);
});
topicSelect.addEventListener("change", function () { state.topic = topicSelect.value; applyFilters(); });

var years = [];
data.events.concat(data.nodes).forEach(function (item) {
  if (item.start) { years.push(parseInt(item.start.slice(0, 4), 10), parseInt(item.end.slice(0, 4), 10)); }
});
var fromInput = document.getElementById("year-from");
var toInput = document.getElementById("year-to");
if (years.length) {
  fromInput.placeholder = String(Math.min.apply(null, years));
  toInput.placeholder = String(Math.max.apply(null, years));
}
function readYear(input) {
  var value = parseInt(input.value, 10);
  return isNaN(value) ? null : value;
}
[fromInput, toInput].forEach(function (input) {
  input.addEventListener("input", function () { state.from = readYear(fromInput); state.to = readYear(toInput); applyFilters(); });
});

var sizeSelect = document.getElementById("size-by");
sizeSelect.addEventListener("change", function () { state.sizeBy = sizeSelect.value; resize(); });
var labelBox = document.getElementById("show-labels");
labelBox.addEventListener("change", function () { state.labels = labelBox.checked; applyFilters(); });

function fit() { cy.fit(cy.elements().filter(function (e) { return e.visible(); }), 40); }
document.getElementById("fit").addEventListener("click", fit);
document.getElementById("reset").addEventListener("click", function () {
  state.kinds = new Set(data.kinds.map(function (k) { return k.kind; }));
  legend.querySelectorAll("input").forEach(function (box) { box.checked = true; });
  state.topic = ""; topicSelect.value = "";
  state.from = state.to = null; fromInput.value = ""; toInput.value = "";
  state.query = ""; searchInput.value = "";
  applyFilters();
  fit();
});
