// The page at GET /: a text area, a Translate button, each line's translation, and the attention heat map
// of each line drawn as SVG from the alignment the API returns. Plain HTML, CSS and JavaScript, all here:
// the page fetches nothing but POST /v1/translate from this server.
enum WebPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>s2s — translate</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d2330; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h1 small { font-weight: normal; color: #667; font-size: 0.9rem; }
  textarea { width: 100%; box-sizing: border-box; min-height: 7rem; font: inherit; padding: 0.6rem; border: 1px solid #aab; border-radius: 6px; }
  .row { display: flex; gap: 1rem; align-items: center; margin: 0.6rem 0 1.2rem; }
  button { font: inherit; padding: 0.45rem 1.4rem; border: 0; border-radius: 6px; background: #2a5bd7; color: white; cursor: pointer; }
  button:disabled { background: #8aa0d8; cursor: wait; }
  label { color: #445; }
  #status { color: #667; font-size: 0.9rem; }
  #status.error { color: #b00020; }
  .line { border-top: 1px solid #dde; padding: 0.8rem 0; }
  .source { color: #667; }
  .target { font-size: 1.15rem; margin: 0.2rem 0 0.5rem; }
  svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
</style>
</head>
<body>
<h1>s2s <small id="model"></small></h1>
<textarea id="source" placeholder="Type text to translate, one paragraph per line" autofocus>I speak French</textarea>
<div class="row">
  <button id="translate">Translate</button>
  <label>beam <select id="beam"><option>1</option><option>2</option><option>3</option><option>4</option><option selected>5</option><option>8</option></select></label>
  <label><input type="checkbox" id="heatmaps" checked> attention</label>
  <span id="status"></span>
</div>
<div id="output"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// BPE's joiner mark (U+FFED) is missing from common fonts; a middle dot is not.
const shown = (piece) => piece.replace(/\uFFED/g, "\u00B7");

// Source pieces across, target pieces down, one square per weight, darker for more; values on hover.
function heatmap(alignment) {
  const a = { source: alignment.source.map(shown), target: alignment.target.map(shown), weights: alignment.weights };
  const cell = 26, charWidth = 7.2;
  const left = 12 + charWidth * Math.max(...a.target.map((t) => t.length), 3);
  const top = 12 + charWidth * Math.max(...a.source.map((s) => s.length), 3) * 0.75;
  const svg = el("svg", { width: left + cell * a.source.length + 4, height: top + cell * a.target.length + 4, role: "img" });
  a.source.forEach((piece, j) => {
    const x = left + cell * j + cell / 2, y = top - 6;
    svg.appendChild(el("text", { x, y, transform: `rotate(-45 ${x} ${y})` }, piece));
  });
  a.target.forEach((piece, i) => {
    svg.appendChild(el("text", { x: left - 6, y: top + cell * i + cell * 0.65, "text-anchor": "end" }, piece));
    a.weights[i].forEach((w, j) => {
      const r = el("rect", { x: left + cell * j, y: top + cell * i, width: cell - 1, height: cell - 1,
                             fill: "#2a5bd7", "fill-opacity": Math.max(w, 0.02).toFixed(3) });
      r.appendChild(el("title", {}, `${piece} ← ${a.source[j]}: ${(100 * w).toFixed(1)}%`));
      svg.appendChild(r);
    });
  });
  return svg;
}

async function translate() {
  const texts = $("source").value.split("\n");
  const withMaps = $("heatmaps").checked;
  $("translate").disabled = true;
  $("status").className = "";
  $("status").textContent = "translating…";
  try {
    const reply = await fetch("/v1/translate", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ texts, beam: Number($("beam").value), alignment: withMaps }),
    });
    const body = await reply.json();
    if (!reply.ok) throw new Error(body.error ? body.error.message : reply.statusText);
    const out = $("output");
    out.replaceChildren();
    body.translations.forEach((t, k) => {
      if (!texts[k].trim()) return;
      const div = document.createElement("div");
      div.className = "line";
      const src = document.createElement("div");
      src.className = "source";
      src.textContent = texts[k];
      const tgt = document.createElement("div");
      tgt.className = "target translation";
      tgt.textContent = t.text;
      div.append(src, tgt);
      if (withMaps && t.alignment && t.alignment.weights.length) div.appendChild(heatmap(t.alignment));
      out.appendChild(div);
    });
    $("status").textContent = `${body.translations.length} line(s) in ${body.time_ms.toFixed(0)} ms`;
  } catch (e) {
    $("status").className = "error";
    $("status").textContent = e.message;
  } finally {
    $("translate").disabled = false;
  }
}

$("translate").addEventListener("click", translate);
$("source").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) translate(); });
fetch("/v1/model").then((r) => r.json()).then((m) => {
  const v = m.vocabulary || {};
  $("model").textContent = `${(v.source || {}).language || "?"} → ${(v.target || {}).language || "?"}, ${m.cell}, ${(m.parameters / 1e6).toFixed(1)}M parameters`;
}).catch(() => {});
</script>
</body>
</html>
"""#
}
