// Switchboard flow page: absolute source links, and stepping through a traced call.
(function () {
  "use strict";
  var body = document.body;
  // Opened from a file: the links name the source file by its absolute path.
  var root = body.getAttribute("data-source-root");
  if (root !== null && location.protocol === "file:") {
    var dir = decodeURIComponent(location.pathname).replace(/\/[^\/]*$/, "");
    var links = document.querySelectorAll("a[data-path]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      a.setAttribute("href", "vscode://file" + normalize(dir + "/" + root + "/" + a.getAttribute("data-path")));
    }
  }
  function normalize(p) {
    var out = [];
    p.split("/").forEach(function (part) {
      if (part === "" || part === ".") return;
      if (part === "..") out.pop(); else out.push(part);
    });
    return "/" + out.join("/");
  }

  // The whole drawing in the window, or at its own size.
  var fit = document.getElementById("fit");
  if (fit) {
    fit.addEventListener("click", function () {
      var on = body.classList.toggle("fit");
      fit.setAttribute("aria-pressed", on ? "true" : "false");
      fit.textContent = on ? "Actual size" : "Fit to window";
    });
  }

  var data = document.getElementById("trace");
  if (!data) return;
  var trace = JSON.parse(data.textContent);
  var steps = trace.steps;
  var items = document.querySelectorAll("#steps li");
  var current = -1;
  var lit = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function add(dl, term, value, cls) {
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", cls || null, value));
  }
  function seconds(ms) {
    return "+" + (ms / 1000).toFixed(1) + " s";
  }

  function show(i) {
    if (steps.length === 0) return;
    i = Math.max(0, Math.min(steps.length - 1, i));
    lit.forEach(function (e) { e.classList.remove("current"); });
    lit = [];
    current = i;
    var s = steps[i];
    function light(id) {
      var e = id && document.getElementById(id);
      if (e) { e.classList.add("current"); lit.push(e); }
      return e;
    }
    var node = s.box !== null ? light("b" + s.box) : null;
    if (s.edge !== null) light("e" + s.edge);
    if (s.badge) light(s.badge);
    if (items[i]) { items[i].classList.add("current"); lit.push(items[i]); }
    if (node && node.scrollIntoView) node.scrollIntoView({ block: "center", inline: "center" });

    document.getElementById("where").textContent =
      "Step " + (i + 1) + " of " + steps.length + (s.at_ms !== undefined ? " · " + seconds(s.at_ms) : "");
    var box = document.getElementById("step");
    box.textContent = "";
    box.appendChild(el("div", "state", s.label || s.state));
    box.appendChild(el("div", "name", s.state + (s.kind ? " (" + s.kind + ")" : "")));
    var dl = el("dl");
    if (s.heard.length) add(dl, "The caller heard", s.heard.map(function (h) { return h.charAt(0) === "♪" ? h : "“" + h + "”"; }).join(" "));
    if (s.sent.length && !s.heard.length) add(dl, "Sent", s.sent.join(" · "));
    if (s.pressed) add(dl, "Pressed", s.pressed);
    if (s.reported) add(dl, "PSTN audio reported", s.reported);
    if (s.error) add(dl, "Error", s.error, "failed");
    s.failed.forEach(function (f) { add(dl, "Expected", "✗ " + f, "failed"); });
    box.appendChild(dl);
    body.setAttribute("data-step", String(i));
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
    else if (e.key === "Home") { show(0); e.preventDefault(); }
    else if (e.key === "End") { show(steps.length - 1); e.preventDefault(); }
  });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  for (var k = 0; k < items.length; k++) {
    items[k].addEventListener("click", (function (n) { return function () { show(n); }; })(k));
  }
  document.getElementById("where").textContent = steps.length + " steps: press → to start";
})();
