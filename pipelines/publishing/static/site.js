(function () {
  // Renders every <script type="application/json" class="chart-spec"> into the element it names, with
  // Dutch number notation. The specs are as wide as their element ("width": "container"); on a narrow
  // screen a legend of several columns gets one, so it is never wider than the chart.
  var nl = {decimal: ",", thousands: ".", grouping: [3], currency: ["\u20ac\u00a0", ""]};
  var NARROW = 520;
  function narrowLegends(node) {
    if (Array.isArray(node)) { node.forEach(narrowLegends); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "legend" && value && typeof value === "object" && value.columns > 1) { value.columns = 1; }
      else if (key !== "data") { narrowLegends(value); }
    });
  }
  function render() {
    var specs = document.querySelectorAll("script.chart-spec");
    var pending = [];
    specs.forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      var spec = JSON.parse(node.textContent);
      if (target.clientWidth < NARROW) { narrowLegends(spec); }
      pending.push(vegaEmbed(target, spec, {actions: false, renderer: "svg", formatLocale: nl}).then(function () {
        target.setAttribute("data-rendered", "true");
      }));
    });
    Promise.all(pending).then(function () { document.body.setAttribute("data-charts", "rendered"); },
                              function (err) { console.error(err); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", render); } else { render(); }
})();
