/* The explorer: the engine's deterministic point evaluation, recomputed in the page.
 *
 * Mirrors decision/core/engine.py (performance, likelihoods, availability, scores, ranks,
 * contributions), decision/core/weights.py (normalisation), the weighted sum of
 * decision/core/methods/weighted.py with normalisation "none", and the exact bundle
 * enumeration of decision/analyses/portfolio/ on one sample, in the same order of operations
 * where it matters (numpy's pairwise sums, effects indicator by indicator, np.interp), so that
 * scores agree with decision.evaluate to 1e-9. Text from the model is only ever set with
 * textContent, never parsed as HTML.
 *
 * Entry point for scripts and tests: window.explorer.set({scenario, perspective, weights,
 * indicators, budgets}) applies settings (ids as in the model; weights and indicators as
 * {id: number}, booleans as true/false or 1/0; budgets as {resource: number or null}) through
 * the same path as the controls and returns window.explorer.results(), the object the page
 * renders: {scores, ranks, available, contributions, failed, best, signposts, weights,
 * computed, ms}.
 */
(function () {
  "use strict";

  var M = JSON.parse(document.getElementById("explorer-model").textContent);
  var nI = M.indicators.length;
  var nO = M.options.length;
  var nC = M.criteria.length;
  var nR = M.resources.length;
  var PALETTE = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
    "#F0E442"];

  // ------------------------------------------------------------------ numeric core

  /* numpy's pairwise summation of a[0..n) (what np.sum and add.reduce do for float64). */
  function pairwiseSum(a, start, n) {
    var i, res;
    if (n < 8) {
      res = 0.0;
      for (i = 0; i < n; i++) { res += a[start + i]; }
      return res;
    }
    if (n <= 128) {
      var r = [];
      for (i = 0; i < 8; i++) { r.push(a[start + i]); }
      for (i = 8; i < n - (n % 8); i += 8) {
        for (var j = 0; j < 8; j++) { r[j] += a[start + i + j]; }
      }
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) { res += a[start + i]; }
      return res;
    }
    var half = Math.floor(n / 2);
    half -= half % 8;
    return pairwiseSum(a, start, half) + pairwiseSum(a, start + half, n - half);
  }

  function sum(a) { return pairwiseSum(a, 0, a.length); }

  /* decision.core.weights.normalise_weights; null when no weight is above zero. */
  function normaliseWeights(w) {
    var i, total = sum(w), scaled = w.slice();
    if (!(total > 0)) { return null; }
    if (!isFinite(total)) {
      var top = Math.max.apply(null, w);
      for (i = 0; i < w.length; i++) { scaled[i] = w[i] / top; }
      total = sum(scaled);
    }
    return scaled.map(function (x) { return x / total; });
  }

  function clip01(x) { return x < 0 ? 0.0 : (x > 1 ? 1.0 : x); }

  /* np.interp(x, xp, fp) for one x (constant beyond the ends). */
  function interp(x, xp, fp) {
    var n = xp.length;
    if (isNaN(x)) { return x; }
    if (x > xp[n - 1]) { return fp[n - 1]; }
    if (x < xp[0]) { return fp[0]; }
    var j = 0;
    while (j < n - 1 && !(x < xp[j + 1])) { j++; }   // xp[j] <= x < xp[j + 1]
    if (j === n - 1) { return fp[j]; }
    if (x === xp[j]) { return fp[j]; }
    var slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    var y = slope * (x - xp[j]) + fp[j];
    if (isNaN(y)) {
      y = slope * (x - xp[j + 1]) + fp[j + 1];
      if (isNaN(y) && fp[j] === fp[j + 1]) { y = fp[j]; }
    }
    return y;
  }

  /* engine.success_performance: judgement plus effects, clipped; flat (o * c). */
  function successPerformance(values) {
    var perf = [], o, c, e, f;
    for (o = 0; o < nO; o++) {
      for (c = 0; c < nC; c++) { perf.push(M.judgement[o][c]); }
    }
    for (e = 0; e < M.effects.length; e++) {
      var k = M.effects[e][0], cols = M.effects[e][1];
      var delta = values[k] - M.baseline[k];
      for (var q = 0; q < cols.length; q++) {
        perf[cols[q][0]] += cols[q][1] * delta;
      }
    }
    for (f = 0; f < M.valueFunctions.length; f++) {
      var vf = M.valueFunctions[f];
      var shift = interp(values[vf.indicator], vf.x, vf.dv);
      shift -= vf.atBaseline;
      perf[vf.column] += shift;
    }
    return perf.map(clip01);
  }

  /* engine.success_likelihood at the point values: one probability per likelihood. */
  function successLikelihood(values) {
    var L = M.likelihoods, p = L.value.slice();
    for (var e = 0; e < L.effects.length; e++) {
      var k = L.effects[e][0], rows = L.effects[e][1];
      var delta = values[k] - M.baseline[k];
      for (var q = 0; q < rows.length; q++) {
        p[rows[q][0]] = p[rows[q][0]] + delta * rows[q][1];
      }
    }
    return p.map(clip01);
  }

  /* engine.performance: success mixed with failure by the success likelihood. */
  function expectedPerformance(values) {
    var perf = successPerformance(values);
    var L = M.likelihoods;
    if (L === null) { return perf; }
    var p = successLikelihood(values), mixed = [], l, c;
    for (l = 0; l < L.options.length; l++) {
      var o = L.options[l], row = [];
      for (c = 0; c < nC; c++) {
        var failure = L.failure[l][c];
        if (failure === null) { failure = perf[M.reference * nC + c]; }
        var m = perf[o * nC + c] * p[l];
        m += (1.0 - p[l]) * failure;
        row.push(clip01(m));
      }
      mixed.push(row);
    }
    for (l = 0; l < L.options.length; l++) {
      for (c = 0; c < nC; c++) { perf[L.options[l] * nC + c] = mixed[l][c]; }
    }
    return perf;
  }

  // preconditions: the tree of decision.core.expressions, evaluated for one sample

  function evalNode(node, env) {
    var i, kind = node[0];
    if (kind === "num" || kind === "bool") { return node[1]; }
    if (kind === "name") { return env[node[1]]; }
    if (kind === "neg") { return -evalNode(node[1], env); }
    if (kind === "arith") {
      var a = evalNode(node[2], env), b = evalNode(node[3], env);
      if (node[1] === "+") { return a + b; }
      if (node[1] === "-") { return a - b; }
      if (node[1] === "*") { return a * b; }
      return a / b;
    }
    if (kind === "compare") {
      var values = node[2].map(function (n) { return evalNode(n, env); });
      var holds = true;
      for (i = 0; i < node[1].length; i++) {
        holds = compare(values[i], node[1][i], values[i + 1]) && holds;
      }
      return holds;
    }
    if (kind === "not") { return !evalNode(node[1], env); }
    var results = node[1].map(function (n) { return Boolean(evalNode(n, env)); });
    if (kind === "and") { return results.every(Boolean); }
    return results.some(Boolean);
  }

  function compare(a, op, b) {
    a = Number(a);
    b = Number(b);
    if (op === "<") { return a < b; }
    if (op === "<=") { return a <= b; }
    if (op === ">") { return a > b; }
    if (op === ">=") { return a >= b; }
    if (op === "==") { return a === b; }
    return a !== b;
  }

  function environment(values) {
    var env = {};
    M.indicators.forEach(function (ind, k) {
      var v = values[k];
      env[ind.id] = ind.boolean ? (v !== 0 && !isNaN(v)) : v;
    });
    return env;
  }

  /* Availability of every option, and each precondition's truth. */
  function availability(values) {
    var env = environment(values), available = [], holds = [], o;
    for (o = 0; o < nO; o++) { available.push(true); }
    M.preconditions.forEach(function (pre) {
      var h = Boolean(evalNode(pre.tree, env));
      holds.push(h);
      if (!h) { available[pre.option] = false; }
    });
    return { available: available, holds: holds, env: env };
  }

  /* The weighted sum, normalisation "none": x . (w sign) + w . (1 for costs), 0 if unavailable. */
  function weightedSum(perf, w, available) {
    var scores = [], o, c, constant = 0.0;
    for (c = 0; c < nC; c++) { constant += w[c] * (M.criteria[c].benefit ? 0.0 : 1.0); }
    for (o = 0; o < nO; o++) {
      var dot = 0.0;
      for (c = 0; c < nC; c++) {
        dot += perf[o * nC + c] * (w[c] * (M.criteria[c].benefit ? 1.0 : -1.0));
      }
      scores.push(available[o] ? dot + constant : 0.0);
    }
    return scores;
  }

  /* engine.rank: by score, available first; ties in model order. */
  function rank(scores, available) {
    var order = [], ranks = [], o;
    for (o = 0; o < nO; o++) { order.push(o); }
    var key = scores.map(function (s, k) { return available[k] ? s : -Infinity; });
    order.sort(function (a, b) { return key[b] > key[a] ? 1 : (key[b] < key[a] ? -1 : a - b); });
    order.forEach(function (opt, position) { ranks[opt] = position + 1; });
    return ranks;
  }

  function contributions(perf, w) {
    var out = [], o, c;
    for (o = 0; o < nO; o++) {
      var row = [];
      for (c = 0; c < nC; c++) {
        var p = perf[o * nC + c];
        row.push((M.criteria[c].benefit ? p : 1.0 - p) * w[c]);
      }
      out.push(row);
    }
    return out;
  }

  /* The exact bundle enumeration on the point problem (decision.analyses.portfolio):
   * members' values and costs added in increasing option order from 0.0, then interactions in
   * list order; feasible bundles only; the highest value wins, ties to the lowest mask. */
  function bestPackage(contrib, w, available, budgets) {
    var eligible = [], position = {}, o, i, r, k;
    for (o = 0; o < nO; o++) {
      if (o !== M.reference) { position[o] = eligible.length; eligible.push(o); }
    }
    var totals = contrib.map(sum);
    var n = eligible.length;
    var v = eligible.map(function (opt) {
      return M.reference === null ? totals[opt] : totals[opt] - totals[M.reference];
    });
    var interactions = [];
    M.interactions.forEach(function (it) {
      if (it.options.some(function (m) { return !(m in position); })) { return; }
      var effect = [], value = 0.0, bits = 0;
      for (var c = 0; c < nC; c++) { effect.push(0.0); }
      it.effects.forEach(function (pair) { effect[pair[0]] = pair[1]; });
      for (c = 0; c < nC; c++) { value += w[c] * effect[c]; }
      it.options.forEach(function (m) { bits |= 1 << position[m]; });
      interactions.push({ bits: bits, value: value });
    });
    var excluded = M.exclusions.filter(function (pair) {
      return (pair[0] in position) && (pair[1] in position);
    }).map(function (pair) { return (1 << position[pair[0]]) | (1 << position[pair[1]]); });
    var depends = M.dependencies.filter(function (pair) {
      return (pair[0] in position) && (pair[1] in position);
    }).map(function (pair) { return [1 << position[pair[0]], 1 << position[pair[1]]]; });
    var limits = budgets.map(function (b) { return b === null ? Infinity : b; });
    var size = 1 << n;
    var value = new Float64Array(size), use = [], usable = 0;
    for (r = 0; r < nR; r++) { use.push(new Float64Array(size)); }
    for (i = 0; i < n; i++) {
      if (available[eligible[i]]) { usable |= 1 << i; }
    }
    for (i = 0, k = 1; i < n; i++, k *= 2) {
      for (var mask = 0; mask < k; mask++) {
        value[mask + k] = value[mask] + v[i];
        for (r = 0; r < nR; r++) { use[r][mask + k] = use[r][mask] + M.costs[eligible[i]][r]; }
      }
    }
    var best = 0, bestValue = 0.0;
    for (var b = 0; b < size; b++) {
      if ((b & ~usable) !== 0) { continue; }
      if (excluded.some(function (pair) { return (b & pair) === pair; })) { continue; }
      if (depends.some(function (d) { return (b & d[0]) !== 0 && (b & d[1]) === 0; })) {
        continue;
      }
      var within = true;
      for (r = 0; r < nR; r++) { if (!(use[r][b] <= limits[r])) { within = false; } }
      if (!within) { continue; }
      var total = value[b];
      interactions.forEach(function (it) {
        if ((b & it.bits) === it.bits) { total += it.value; }
      });
      if (total > bestValue) { best = b; bestValue = total; }
    }
    var members = [], costs = [];
    for (i = 0; i < n; i++) { if (best & (1 << i)) { members.push(eligible[i]); } }
    for (r = 0; r < nR; r++) { costs.push(use[r][best]); }
    return { mask: best, members: members, value: bestValue, costs: costs };
  }

  /* Every precondition comparison of an indicator with a constant: value, threshold, distance. */
  function signposts(values, holds, env) {
    var out = [];
    M.preconditions.forEach(function (pre, p) {
      pre.comparisons.forEach(function (cmp) {
        if (cmp.indicator === null) { return; }
        var k = indicatorIndex[cmp.indicator], value = values[k];
        out.push({
          option: pre.option, precondition: p, indicator: cmp.indicator, text: cmp.text,
          value: value, threshold: cmp.threshold, distance: cmp.threshold - value,
          met: compare(value, cmp.op, cmp.threshold), holds: holds[p]
        });
      });
      pre.booleans.forEach(function (pair) {
        var name = pair[0], needed = pair[1];
        out.push({
          option: pre.option, precondition: p, indicator: name,
          text: needed ? name : "not " + name, value: env[name] ? 1 : 0, threshold: needed,
          distance: null, met: env[name] === needed, holds: holds[p]
        });
      });
    });
    return out;
  }

  /* Why a failed precondition fails: its comparisons that do not hold, its false booleans. */
  function failing(pre, values, env) {
    var parts = [];
    pre.comparisons.forEach(function (cmp) {
      if (cmp.indicator === null) { return; }
      var value = values[indicatorIndex[cmp.indicator]];
      if (!compare(value, cmp.op, cmp.threshold)) {
        parts.push((pre.comparisons.length > 1 ? cmp.text + " fails: " : "") + cmp.indicator +
          " is " + fmt(value) + ", " + fmt(cmp.threshold - value) + " from the threshold");
      }
    });
    pre.booleans.forEach(function (pair) {
      if (env[pair[0]] !== pair[1]) {
        parts.push(pair[0] + " is " + fmt(env[pair[0]]) + ", needs " + fmt(pair[1]));
      }
    });
    return parts;
  }

  var indicatorIndex = {};
  M.indicators.forEach(function (ind, k) { indicatorIndex[ind.id] = k; });

  /* The whole point evaluation of a state. */
  function evaluate(state) {
    var w = normaliseWeights(state.weights);
    var av = availability(state.values);
    var perf = expectedPerformance(state.values);
    var computed = state.scenario.computed && w !== null;
    var scores = null, ranks = null, contrib = null, best = null;
    if (w !== null) {
      contrib = contributions(perf, w);
      if (M.bundles) { best = bestPackage(contrib, w, av.available, state.budgets); }
    }
    if (computed) {
      scores = weightedSum(perf, w, av.available);
      ranks = rank(scores, av.available);
    }
    var failed = {};
    M.preconditions.forEach(function (pre, p) {
      if (av.holds[p]) { return; }
      (failed[pre.option] = failed[pre.option] || []).push({
        precondition: p, text: pre.text, reason: pre.reason,
        why: failing(pre, state.values, av.env)
      });
    });
    return {
      weights: w, performance: perf, available: av.available, scores: scores, ranks: ranks,
      contributions: contrib, failed: failed, best: best, computed: computed,
      signposts: signposts(state.values, av.holds, av.env)
    };
  }

  // ------------------------------------------------------------------ page state and controls

  function fmt(x) {
    if (x === null || x === undefined) { return "–"; }
    if (typeof x === "boolean") { return x ? "true" : "false"; }
    var a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) { return x.toExponential(3); }
    return String(Math.round(x * 10000) / 10000);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var state = null;
  var controls = { weights: [], indicators: [], budgets: [] };
  var maxWeight = 1;
  M.scenarios.forEach(function (s) { maxWeight = Math.max(maxWeight, Math.max.apply(null, s.weights)); });
  M.perspectives.forEach(function (p) { maxWeight = Math.max(maxWeight, Math.max.apply(null, p.weights)); });
  maxWeight = Math.max(maxWeight, Math.max.apply(null, M.weights));

  function scenarioState(s) {
    return {
      scenario: s, values: s.values.slice(), weights: s.weights.slice(),
      budgets: s.budgets.slice(), perspective: weightSetOf(s.weights, s.perspective)
    };
  }

  function sameWeights(a, b) {
    return a.length === b.length && a.every(function (x, k) { return x === b[k]; });
  }

  function weightSetOf(weights, named) {
    for (var n = 0; n < M.perspectives.length; n++) {
      if (M.perspectives[n].id === named && sameWeights(weights, M.perspectives[n].weights)) {
        return named;
      }
    }
    if (sameWeights(weights, M.weights)) { return "model"; }
    for (var k = 0; k < M.perspectives.length; k++) {
      if (sameWeights(weights, M.perspectives[k].weights)) { return M.perspectives[k].id; }
    }
    return "custom";
  }

  function numberPair(container, id, label, min, max, step, help, onValue) {
    var row = el("div", { "class": "row" });
    var lab = el("label", { "for": id }, label);
    var pair = el("div", { "class": "pair" });
    var range = el("input", {
      type: "range", id: id, min: String(min), max: String(max), step: String(step)
    });
    var box = el("input", {
      type: "number", id: id + "-value", min: String(min), max: String(max), step: "any",
      "aria-label": label + " (exact value)"
    });
    if (help) {
      var hint = el("p", { "class": "hint", id: id + "-hint" }, help);
      range.setAttribute("aria-describedby", id + "-hint");
      box.setAttribute("aria-describedby", id + "-hint");
    }
    range.addEventListener("input", function () { onValue(Number(range.value)); });
    box.addEventListener("change", function () {
      var x = Number(box.value);
      if (box.value.trim() === "" || !isFinite(x)) { update(); return; }  // revert
      onValue(Math.min(max, Math.max(min, x)));
    });
    pair.appendChild(range);
    pair.appendChild(box);
    row.appendChild(lab);
    row.appendChild(pair);
    if (help) { row.appendChild(hint); }
    container.appendChild(row);
    return { range: range, box: box, row: row };
  }

  function buildControls() {
    var scenarioSelect = document.getElementById("scenario");
    M.scenarios.forEach(function (s, k) {
      scenarioSelect.appendChild(el("option", { value: String(k) }, s.title + " (" + s.id + ")"));
    });
    scenarioSelect.addEventListener("change", function () {
      state = scenarioState(M.scenarios[Number(scenarioSelect.value)]);
      update();
    });
    var perspectiveSelect = document.getElementById("perspective");
    perspectiveSelect.appendChild(el("option", { value: "model" }, "The model's weights"));
    M.perspectives.forEach(function (p) {
      perspectiveSelect.appendChild(el("option", { value: p.id }, words(p.id)));
    });
    perspectiveSelect.appendChild(el("option", { value: "custom" }, "Custom (as set below)"));
    perspectiveSelect.addEventListener("change", function () {
      applyPerspective(perspectiveSelect.value);
      update();
    });
    document.getElementById("reset").addEventListener("click", function () {
      state = scenarioState(state.scenario);
      update();
    });
    var weights = document.getElementById("weights");
    M.criteria.forEach(function (cr, c) {
      var pair = numberPair(weights, "weight-" + c, words(cr.id) + (cr.benefit ? "" : " (cost)"), 0,
        maxWeight, maxWeight / 200, null, function (x) {
          state.weights[c] = x;
          state.perspective = weightSetOf(state.weights, null);
          update();
        });
      pair.share = el("span", { "class": "share", "aria-hidden": "true" });
      pair.range.parentNode.appendChild(pair.share);
      controls.weights.push(pair);
    });
    var indicators = document.getElementById("indicators");
    M.indicators.forEach(function (ind, k) {
      var help = ind.description + (ind.unit ? " (" + ind.unit + ")" : "");
      if (ind.boolean) {
        var row = el("div", { "class": "row check" });
        var box = el("input", { type: "checkbox", id: "indicator-" + k,
          "aria-describedby": "indicator-" + k + "-hint" });
        box.addEventListener("change", function () {
          state.values[k] = box.checked ? 1.0 : 0.0;
          update();
        });
        row.appendChild(box);
        row.appendChild(document.createTextNode(" "));
        row.appendChild(el("label", { "for": "indicator-" + k }, words(ind.id)));
        row.appendChild(el("p", { "class": "hint", id: "indicator-" + k + "-hint" }, help));
        indicators.appendChild(row);
        controls.indicators.push({ check: box });
        return;
      }
      controls.indicators.push(numberPair(indicators, "indicator-" + k, words(ind.id), ind.low, ind.high,
        (ind.high - ind.low) / 200, help, function (x) {
          state.values[k] = x;
          update();
        }));
    });
    var budgets = document.getElementById("budgets");
    M.resources.forEach(function (res, r) {
      var row = el("div", { "class": "row" });
      var box = el("input", { type: "number", id: "budget-" + r, min: "0", step: "any" });
      var unlimited = el("input", { type: "checkbox", id: "budget-" + r + "-unlimited" });
      row.appendChild(el("label", { "for": "budget-" + r }, words(res.id) + (res.unit ? " (" + res.unit + ")" : "")));
      var pair = el("div", { "class": "pair" });
      pair.appendChild(box);
      pair.appendChild(unlimited);
      pair.appendChild(el("label", { "for": "budget-" + r + "-unlimited" }, "unlimited"));
      row.appendChild(pair);
      box.addEventListener("change", function () {
        var x = Number(box.value);
        if (box.value.trim() !== "" && isFinite(x)) { state.budgets[r] = Math.max(0, x); }
        update();
      });
      unlimited.addEventListener("change", function () {
        state.budgets[r] = unlimited.checked ? null : (state.scenario.budgets[r] || 0);
        update();
      });
      budgets.appendChild(row);
      controls.budgets.push({ box: box, unlimited: unlimited });
    });
    if (!M.resources.length) { budgets.hidden = true; }
  }

  function applyPerspective(id) {
    if (id === "model") { state.weights = M.weights.slice(); }
    M.perspectives.forEach(function (p) { if (p.id === id) { state.weights = p.weights.slice(); } });
    state.perspective = id === "custom" ? weightSetOf(state.weights, null) : id;
  }

  function syncControls(result) {
    document.getElementById("scenario").value = String(M.scenarios.indexOf(state.scenario));
    document.getElementById("perspective").value = state.perspective;
    document.getElementById("scenario-hint").textContent = "Ranked with " + state.scenario.method +
      (state.scenario.uncertain.length ? "; uncertain indicators (" +
        state.scenario.uncertain.join(", ") + ") start at their distributions' centres" : "");
    controls.weights.forEach(function (pair, c) {
      pair.range.value = String(state.weights[c]);
      pair.box.value = String(state.weights[c]);
      pair.share.textContent = result.weights === null ? "–" :
        (Math.round(result.weights[c] * 1000) / 10) + "%";
    });
    controls.indicators.forEach(function (ctl, k) {
      if (ctl.check) { ctl.check.checked = state.values[k] !== 0; return; }
      ctl.range.value = String(state.values[k]);
      ctl.box.value = String(state.values[k]);
    });
    controls.budgets.forEach(function (ctl, r) {
      var b = state.budgets[r];
      ctl.unlimited.checked = b === null;
      ctl.box.disabled = b === null;
      ctl.box.value = b === null ? "" : String(b);
    });
  }

  // ------------------------------------------------------------------ rendering

  /** An id as words ("allied-security" -> "allied security"): criteria and indicators
   *  declare no titles, and a reader should not have to parse ids. */
  function words(id) { return String(id).replace(/[-_]+/g, " "); }

  /** An option's label for a chart row: its recommendation tag and title, cut to fit. */
  function shortLabel(o) {
    var opt = M.options[o];
    var text = (opt.recommendation ? opt.recommendation + ": " : "") + opt.title;
    return text.length <= 44 ? text : text.slice(0, 43) + "\u2026";
  }

  function optionLabel(o) {
    var opt = M.options[o];
    return opt.title + (opt.recommendation ? " (" + opt.recommendation + ")" : "");
  }

  function render(result) {
    var note = document.getElementById("method-note");
    var tbody = document.querySelector("#ranking tbody");
    tbody.textContent = "";
    var order = [], o;
    for (o = 0; o < nO; o++) { order.push(o); }
    if (result.ranks) { order.sort(function (a, b) { return result.ranks[a] - result.ranks[b]; }); }
    if (result.weights === null) {
      note.hidden = false;
      note.textContent = "Every weight is zero: give at least one criterion a weight above zero.";
    } else if (!result.computed) {
      note.hidden = false;
      note.textContent = "This scenario ranks with " + state.scenario.method + ", which this " +
        "page does not compute (it computes " + M.supported + "), so no scores are shown; " +
        "availability, the best package and the signposts below do not depend on the method. " +
        "The report gives this scenario's scores.";
    } else {
      note.hidden = true;
      note.textContent = "";
    }
    order.forEach(function (opt) {
      var tr = el("tr", {
        "data-option": M.options[opt].id,
        "data-rank": result.ranks ? String(result.ranks[opt]) : "",
        "data-score": result.scores ? String(result.scores[opt]) : "",
        "data-available": String(result.available[opt])
      });
      if (!result.available[opt]) { tr.className = "unavailable"; }
      tr.appendChild(el("td", { "class": "num" }, result.ranks ? String(result.ranks[opt]) : "–"));
      tr.appendChild(el("th", { scope: "row" }, optionLabel(opt)));
      tr.appendChild(el("td", { "class": "num" }, result.scores ? fmt(result.scores[opt]) : "–"));
      tr.appendChild(el("td", {}, result.available[opt] ? "yes" : "no"));
      tbody.appendChild(tr);
    });
    renderChart(result, order);
    renderAvailability(result);
    renderPackage(result);
    renderSignposts(result);
    var top = result.ranks ? order[0] : null;
    document.getElementById("summary").textContent = (top === null ? "No ranking." :
      "First: " + optionLabel(top) + " (score " + fmt(result.scores[top]) + "). ") +
      (result.best ? "Best package: " + packageText(result.best) + "." : "");
  }

  function packageText(best) {
    if (!best.members.length) { return "adopt nothing"; }
    return best.members.map(optionLabel).join("; ");
  }

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderChart(result, order) {
    var box = document.getElementById("contrib-chart");
    box.textContent = "";
    if (result.contributions === null) { return; }
    var legend = el("ul", { "class": "legend", "aria-label": "Criteria" });
    M.criteria.forEach(function (cr, c) {
      var li = el("li");
      var sw = el("span", { "class": "swatch", "aria-hidden": "true" });
      sw.style.background = PALETTE[c % PALETTE.length];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(words(cr.id)));
      legend.appendChild(li);
    });
    box.appendChild(legend);
    var shown = order.filter(function (o) { return result.available[o]; });
    var rowH = 26, labelW = 300, barW = 420, width = labelW + barW + 70;
    var height = rowH * shown.length + 10;
    var totals = shown.map(function (o) { return sum(result.contributions[o]); });
    var scale = Math.max(1e-12, Math.max.apply(null, totals.concat([0])));
    var described = shown.map(function (o, k) {
      return optionLabel(o) + " " + fmt(totals[k]) + " (" + M.criteria.map(function (cr, c) {
        return words(cr.id) + " " + fmt(result.contributions[o][c]);
      }).join(", ") + ")";
    }).join("; ");
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: String(width),
      height: String(height), role: "img",
      "aria-label": "Contributions by criterion: " + (described || "no option is available") });
    shown.forEach(function (o, k) {
      var y = 5 + k * rowH, x = labelW;
      chart.appendChild(svg("text", { x: String(labelW - 6), y: String(y + rowH / 2 + 4),
        "text-anchor": "end", "font-size": "12", fill: "#1b1b1b" }, shortLabel(o)));
      result.contributions[o].forEach(function (v, c) {
        var w = barW * v / scale;
        if (w <= 0) { return; }
        chart.appendChild(svg("rect", { x: String(x), y: String(y + 3), width: String(w),
          height: String(rowH - 8), fill: PALETTE[c % PALETTE.length], stroke: "#fff",
          "stroke-width": "0.5" }));
        x += w;
      });
      chart.appendChild(svg("text", { x: String(x + 4), y: String(y + rowH / 2 + 4),
        "font-size": "12", fill: "#1b1b1b" }, fmt(totals[k])));
    });
    box.appendChild(chart);
  }

  function renderAvailability(result) {
    var list = document.getElementById("availability");
    list.textContent = "";
    var any = false;
    for (var o = 0; o < nO; o++) {
      var failed = result.failed[o];
      if (!failed) { continue; }
      any = true;
      var li = el("li", { "data-option": M.options[o].id });
      li.appendChild(el("strong", {}, optionLabel(o)));
      li.appendChild(document.createTextNode(" is not available: "));
      failed.forEach(function (f, k) {
        li.appendChild(document.createTextNode((k ? "; " : "") + "needs "));
        li.appendChild(el("code", {}, f.text));
        li.appendChild(document.createTextNode(
          (f.why.length ? " (" + f.why.join("; ") + ")" : "") + ". " + f.reason));
      });
      list.appendChild(li);
    }
    if (!any) { list.appendChild(el("li", {}, "Every option is available.")); }
  }

  function renderPackage(result) {
    var box = document.getElementById("package");
    box.textContent = "";
    if (!M.bundles) {
      box.appendChild(el("p", {}, "The model has too many options to enumerate every package."));
      return;
    }
    if (result.best === null) { return; }
    var best = result.best;
    var p = el("p", { id: "best-package", "data-mask": String(best.mask),
      "data-value": String(best.value),
      "data-members": best.members.map(function (o) { return M.options[o].id; }).join(",") });
    p.textContent = best.members.length ? "Adopt together (value " + fmt(best.value) +
      " over " + (M.reference === null ? "adopting nothing" : optionLabel(M.reference)) + "):" :
      "Adopt nothing: no package within the budgets adds value.";
    box.appendChild(p);
    var ul = el("ul");
    best.members.forEach(function (o) { ul.appendChild(el("li", {}, optionLabel(o))); });
    if (best.members.length) { box.appendChild(ul); }
    var uses = M.resources.map(function (res, r) {
      var b = state.budgets[r];
      return words(res.id) + " " + fmt(best.costs[r]) + " of " + (b === null ? "unlimited" : fmt(b));
    });
    if (uses.length) { box.appendChild(el("p", { "class": "hint" }, "Uses " + uses.join("; ") + ".")); }
  }

  function renderSignposts(result) {
    var tbody = document.querySelector("#signposts tbody");
    tbody.textContent = "";
    result.signposts.forEach(function (s) {
      var tr = el("tr", { "data-indicator": s.indicator,
        "data-distance": s.distance === null ? "" : String(s.distance) });
      tr.appendChild(el("th", { scope: "row" }, optionLabel(s.option)));
      var cell = el("td");
      cell.appendChild(el("code", {}, s.text));
      tr.appendChild(cell);
      var yesNo = typeof s.threshold === "boolean";
      tr.appendChild(el("td", { "class": "num" }, yesNo ? fmt(Boolean(s.value)) : fmt(s.value)));
      tr.appendChild(el("td", { "class": "num" }, fmt(s.threshold)));
      tr.appendChild(el("td", { "class": "num" },
        yesNo ? (s.met ? "none" : "switch") : fmt(s.distance)));
      tr.appendChild(el("td", {}, s.met ? "yes" : "no"));
      tbody.appendChild(tr);
    });
  }

  // ------------------------------------------------------------------ update loop and API

  var last = null;
  var timings = [];

  function update() {
    var start = window.performance.now();
    last = evaluate(state);
    var computedAt = window.performance.now();
    syncControls(last);
    render(last);
    var end = window.performance.now();
    last.ms = { compute: computedAt - start, total: end - start };
    timings.push(last.ms.total);
    if (timings.length > 1000) { timings.shift(); }
    document.getElementById("timing").textContent = "Recomputed in " +
      (Math.round(last.ms.total * 10) / 10) + " ms.";
  }

  function byId(list, id, what) {
    for (var k = 0; k < list.length; k++) { if (list[k].id === id) { return k; } }
    throw new Error("unknown " + what + " '" + id + "'");
  }

  function finite(x, low, high, what) {
    if (typeof x === "boolean") { x = x ? 1 : 0; }
    if (typeof x !== "number" || !isFinite(x) || x < low || x > high) {
      throw new Error(what + ": " + x + " is outside " + low + ".." + high);
    }
    return x;
  }

  function set(settings) {
    settings = settings || {};
    var next = state;
    if (settings.scenario !== undefined) {
      next = scenarioState(M.scenarios[byId(M.scenarios, settings.scenario, "scenario")]);
    } else {
      next = { scenario: state.scenario, values: state.values.slice(),
        weights: state.weights.slice(), budgets: state.budgets.slice(),
        perspective: state.perspective };
    }
    var previous = state;
    state = next;
    try {
      if (settings.perspective !== undefined) {
        if (settings.perspective !== "model") { byId(M.perspectives, settings.perspective, "perspective"); }
        applyPerspective(settings.perspective);
      }
      Object.keys(settings.weights || {}).forEach(function (id) {
        state.weights[byId(M.criteria, id, "criterion")] =
          finite(settings.weights[id], 0, Number.MAX_VALUE, "weight " + id);
      });
      if (settings.weights) { state.perspective = weightSetOf(state.weights, null); }
      Object.keys(settings.indicators || {}).forEach(function (id) {
        var k = byId(M.indicators, id, "indicator"), ind = M.indicators[k];
        var x = finite(settings.indicators[id], ind.low, ind.high, "indicator " + id);
        state.values[k] = ind.boolean ? (x !== 0 ? 1.0 : 0.0) : x;
      });
      Object.keys(settings.budgets || {}).forEach(function (id) {
        var r = byId(M.resources, id, "resource"), b = settings.budgets[id];
        state.budgets[r] = b === null ? null : finite(b, 0, Infinity, "budget " + id);
      });
    } catch (error) {
      state = previous;
      throw error;
    }
    update();
    return results();
  }

  function results() {
    var named = function (list) {
      if (list === null) { return null; }
      var out = {};
      list.forEach(function (x, o) { out[M.options[o].id] = x; });
      return out;
    };
    return {
      scenario: state.scenario.id,
      perspective: state.perspective,
      values: state.values.slice(),
      rawWeights: state.weights.slice(),
      budgets: state.budgets.slice(),
      weights: last.weights,
      computed: last.computed,
      scores: named(last.scores),
      ranks: named(last.ranks),
      available: named(last.available),
      contributions: named(last.contributions),
      failed: last.failed,
      best: last.best === null ? null : {
        mask: last.best.mask, value: last.best.value, costs: last.best.costs,
        members: last.best.members.map(function (o) { return M.options[o].id; })
      },
      signposts: last.signposts,
      ms: last.ms
    };
  }

  buildControls();
  state = scenarioState(M.scenarios[0]);
  update();
  var scenarioNotes = M.scenarios.filter(function (s) { return !s.computed; });
  if (scenarioNotes.length) {
    var note = document.getElementById("note");
    note.hidden = false;
    note.textContent = "This page computes " + M.supported + ". Scenarios ranked with another " +
      "method (" + scenarioNotes.map(function (s) { return s.id + ": " + s.method; }).join("; ") +
      ") show no scores here; the report gives them.";
  }
  window.explorer = { model: M, set: set, results: results, timings: timings };
}());
