(function () {
  var nl = {decimal: ",", thousands: ".", grouping: [3], currency: ["\u20ac\u00a0", ""]};
  function render() {
    var specs = document.querySelectorAll("script.chart-spec");
    var pending = [];
    specs.forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      var spec = JSON.parse(node.textContent);
      pending.push(vegaEmbed(target, spec, {actions: false, renderer: "svg", formatLocale: nl}).then(function () {
        target.setAttribute("data-rendered", "true");
      }));
    });
    Promise.all(pending).then(function () { document.body.setAttribute("data-charts", "rendered"); },
                              function (err) { console.error(err); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", render); } else { render(); }
})();
