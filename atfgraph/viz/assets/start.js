/* atfgraph page, part 6: tabs, the first drawing, and window.atfgraph for scripts and tests. */
function showTab(name) {
  state.tab = name === "timeline" ? "timeline" : "network";
  document.body.setAttribute("data-tab", state.tab);
  document.getElementById("timeline").hidden = state.tab !== "timeline";
  document.getElementById("graph").style.visibility = state.tab === "network" ? "visible" : "hidden";
  document.querySelectorAll(".tab").forEach(function (button) {
    button.setAttribute("aria-pressed", String(button.getAttribute("data-tab") === state.tab));
  });
  document.getElementById("size-panel").hidden = state.tab !== "network";
  if (state.tab === "timeline") { renderTimeline(); } else { cy.resize(); }
  updateCounts(computeVisibility());
}
document.querySelectorAll(".tab").forEach(function (button) {
  button.addEventListener("click", function () { showTab(button.getAttribute("data-tab")); });
});
window.addEventListener("resize", function () { if (state.tab === "timeline") { renderTimeline(); } });

var subtitle = document.getElementById("subtitle");
if (!subtitle.textContent.trim()) {
  subtitle.textContent = "Click a node or link for its details · scroll to zoom · drag the background to pan";
}

applyFilters();
showTab(state.tab);

/* For scripts and tests: what the page shows, and the controls as functions. */
window.atfgraph = {
  cy: cy,
  data: data,
  visibleNodeCount: function () { return visibleNodes().length; },
  visibleEdgeCount: function () { return cy.edges().filter(function (e) { return e.visible(); }).length; },
  search: function (text) { searchInput.value = text; state.query = text; renderSearch(); return search(text); },
  setKinds: function (kinds) {
    state.kinds = new Set(kinds);
    legend.querySelectorAll("input").forEach(function (box) { box.checked = state.kinds.has(box.getAttribute("data-kind")); });
    return applyFilters().nodes.size;
  },
  showTab: showTab,
  showNode: showNode
};
document.body.setAttribute("data-ready", "true");
