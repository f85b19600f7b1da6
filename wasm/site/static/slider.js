// vardval browser calculator: the region tab's slider. Once a region is
// loaded, one parameter of the chosen model (a pool share such as
// skane-2023's CNI share, a pool size, a fee, a rate) can be moved; the
// worker prices the loaded region with it changed (calc.Vary: the files are
// not read again and the region's sums are made once), and the region
// total, the difference to the model's own total and every unit's amount
// follow. Values and money are decimal strings from Go, formatted here as
// text, never through a JavaScript number. app.js starts it with the
// page's helpers.
"use strict";

self.vardvalSlider = (page) => {
  const T = {
    sv: {
      heading: "Pröva en parameter",
      help: "Flytta reglaget: regionens filer räknas om med parametern ändrad, utan att läsas igen. När en andel av en pott ändras tar pottens största andra andel upp skillnaden, så att andelarna fortfarande blir 100 %.",
      param: "Parameter", value: "Värde", own: "Modellens värde", balance: "Tar upp skillnaden",
      total: "Regionens summa med ändringen", diff: "Skillnad mot modellen", reset: "Tillbaka till modellens värde",
      unit: "Vårdcentral", name: "Namn", base: "Med modellen", varied: "Med ändringen", working: "Räknar …",
      failed: "Det gick inte att räkna med det värdet.",
    },
    en: {
      heading: "Try a parameter",
      help: "Move the slider: the region's files are priced again with the parameter changed, without being read again. When a share of a pool changes, the pool's largest other share takes up the difference, so the shares still sum to 100 %.",
      param: "Parameter", value: "Value", own: "The model's value", balance: "Takes up the difference",
      total: "Region total with the change", diff: "Difference to the model", reset: "Back to the model's value",
      unit: "Unit", name: "Name", base: "With the model", varied: "With the change", working: "Working …",
      failed: "That value could not be priced.",
    },
  };
  const t = (k) => T[page.lang()][k];
  const el = page.el;
  const box = document.getElementById("vary-box");
  let view = null; // the last VaryView shown
  let key = ""; // the parameter chosen
  let seq = 0; // only the latest answer is shown
  let timer = 0;

  // percent shifts a decimal string two places: "0.155" → "15.5".
  function percent(s) {
    const neg = s.startsWith("-");
    let [i, f] = (neg ? s.slice(1) : s).split(".");
    f = (f || "").padEnd(2, "0");
    i = (i + f.slice(0, 2)).replace(/^0+(?=\d)/, "");
    const rest = f.slice(2);
    return (neg ? "-" : "") + i + (rest ? "." + rest : "");
  }
  function valueText(s, share) {
    return share ? page.num(s) + " (" + page.num(percent(s)) + "\u00a0%)" : page.num(s);
  }
  const isShare = () => !!(view && view.params.find((p) => p.key === key && p.share));

  function hide() {
    seq++;
    clearTimeout(timer);
    view = null;
    box.hidden = true;
    box.textContent = "";
  }

  // ask prices the region with the chosen parameter at value ("" is the
  // model's own) and shows it.
  async function ask(value, rebuild) {
    const my = ++seq;
    box.dataset.busy = "true";
    const status = document.getElementById("vary-status");
    if (status) status.textContent = t("working");
    try {
      const req = Object.assign({}, page.request(), { key, value });
      const v = await page.call("vary", { req });
      if (my !== seq) return;
      view = v;
      if (rebuild || !document.getElementById("vary-slider")) render();
      else update();
    } catch (e) {
      if (my !== seq) return;
      const s = document.getElementById("vary-status");
      if (s) s.textContent = t("failed");
    } finally {
      if (my === seq) delete box.dataset.busy;
    }
  }

  // refresh starts the slider over for the region just priced: the model's
  // parameters, the chosen one kept when the model has it.
  async function refresh() {
    const my = ++seq;
    clearTimeout(timer);
    try {
      const req = Object.assign({}, page.request(), { key: "", value: "" });
      const v = await page.call("vary", { req });
      if (my !== seq) return;
      if (!v.params.length) {
        hide();
        return;
      }
      // The value shown is kept when the model and period are (a
      // language switch); otherwise the slider starts at the model's own.
      const same = view && view.key === key && view.model.name === v.model.name && view.period.from === v.period.from && view.period.to === v.period.to;
      const keep = same ? view.value : "";
      if (!v.params.some((p) => p.key === key)) key = v.params[0].key;
      await ask(keep, true);
    } catch (e) {
      if (my === seq) hide();
    }
  }

  function render() {
    const v = view;
    box.textContent = "";
    box.hidden = false;
    const sel = el("select", { id: "vary-param" });
    for (const p of v.params) sel.append(el("option", { value: p.key, text: p.label }));
    sel.value = key;
    sel.addEventListener("change", () => {
      key = sel.value;
      ask("", true);
    });
    const slider = el("input", { type: "range", id: "vary-slider", min: "0", max: String(Math.max(0, v.values.length - 1)), step: "1",
      value: String(Math.max(0, v.index)), "aria-describedby": "vary-own" });
    slider.addEventListener("input", () => {
      const s = v.values[Number(slider.value)];
      showValue(s);
      clearTimeout(timer);
      box.dataset.busy = "true";
      timer = setTimeout(() => ask(s), 150);
    });
    const reset = el("button", { type: "button", class: "secondary", id: "vary-reset", text: t("reset") });
    reset.addEventListener("click", () => {
      slider.value = String(v.base_index);
      showValue(v.values[v.base_index]);
      ask("");
    });
    const tb = el("tbody", { id: "vary-units" });
    box.append(
      el("h3", { id: "vary-heading", text: t("heading") }),
      el("p", { class: "help", text: t("help") }),
      el("div", { class: "vary-field" }, el("label", { for: "vary-param", text: t("param") }), sel),
      el("div", { class: "vary-field" }, el("label", { for: "vary-slider", text: t("value") }), slider,
        el("output", { id: "vary-value", for: "vary-slider", "aria-live": "polite" })),
      el("p", { class: "muted small", id: "vary-own" }),
      el("p", { class: "muted small", id: "vary-balance" }),
      el("p", { class: "answer-line" }, el("span", { text: t("total") + ": " }), el("output", { id: "vary-total", class: "total" })),
      el("p", { class: "answer-line" }, el("span", { text: t("diff") + ": " }), el("output", { id: "vary-diff" })),
      el("p", { class: "muted small", id: "vary-status", role: "status" }),
      reset,
      page.stacked(el("table", { class: "units" }, el("thead", null, el("tr", null, el("th", { scope: "col", text: t("unit") }),
        el("th", { scope: "col", text: t("name") }), el("th", { scope: "col", class: "num", text: t("base") }),
        el("th", { scope: "col", class: "num", text: t("varied") }), el("th", { scope: "col", class: "num", text: t("diff") }))), tb)));
    update();
  }

  function showValue(s) {
    const text = valueText(s, isShare());
    document.getElementById("vary-value").textContent = text;
    document.getElementById("vary-slider").setAttribute("aria-valuetext", text);
  }

  // update shows the last answer without rebuilding the controls, so the
  // slider keeps focus while it moves.
  function update() {
    const v = view;
    const slider = document.getElementById("vary-slider");
    if (v.index >= 0 && document.activeElement !== slider) slider.value = String(v.index);
    showValue(v.value);
    box.dataset.key = v.key;
    box.dataset.value = v.value;
    box.dataset.ms = v.elapsed_ms !== undefined ? String(v.elapsed_ms) : "";
    document.getElementById("vary-own").textContent = t("own") + ": " + valueText(v.values[v.base_index] || "", isShare());
    const bal = document.getElementById("vary-balance");
    bal.textContent = v.balance ? t("balance") + ": " + v.balance_label + " = " + valueText(v.balance_value, true) : "";
    bal.hidden = !v.balance;
    const total = document.getElementById("vary-total");
    total.dataset.amount = v.total;
    total.textContent = page.money(v.total);
    const diff = document.getElementById("vary-diff");
    diff.dataset.amount = v.diff;
    diff.className = v.diff.startsWith("-") ? "neg" : "";
    diff.textContent = page.money(v.diff);
    document.getElementById("vary-status").textContent = "";
    const tb = document.getElementById("vary-units");
    tb.textContent = "";
    const heads = [t("unit"), t("name"), t("base"), t("varied"), t("diff")];
    for (const u of v.units) {
      const cells = [el("td", { text: u.unit_id }), el("td", { text: u.name }), el("td", { class: "num", text: page.money(u.base) }),
        el("td", { class: "num", "data-vary-unit": u.unit_id, "data-amount": u.total, text: page.money(u.total) }),
        el("td", { class: "num" + (u.diff.startsWith("-") ? " neg" : ""), "data-amount": u.diff, text: page.money(u.diff) })];
      cells.forEach((c, i) => (c.dataset.label = heads[i]));
      tb.append(el("tr", null, ...cells));
    }
  }

  return { refresh, hide };
};
