// vardval browser calculator: the page. All computing happens in
// worker.js (WebAssembly); this file builds the form, talks to the worker
// and renders statements. No data leaves the browser: the only requests
// are for this site's own files. Text is set with textContent and
// elements made with createElement, never parsed from strings, so nothing
// in a file can inject markup.
"use strict";

(() => {
  // ------------------------------------------------------------ texts
  const T = {
    sv: {
      skip: "Hoppa till innehållet",
      title: "Ersättningskalkylator för vårdcentraler",
      privacy: "Allt räknas i din webbläsare. Inga filer laddas upp och inget lämnar din dator: sidan får bara kontakta sin egen server.",
      modelHeading: "1. Välj ersättningsmodell",
      model: "Modell", year: "År", yearRegion: "År", loading: "Laddar …",
      modelNotes: "Om modellen och dess källor",
      modes: "Arbetssätt",
      tabDescribe: "2a. Beskriv en vårdcentral",
      tabRegion: "2b. Öppna regionens filer",
      describeIntro: "Ange de listade, vårdtyngden och kontakterna under ett år. Ersättningen räknas om direkt när du ändrar något.",
      unitName: "Vårdcentralens namn", owner: "Driftform",
      public: "Regiondriven", private: "Privat (får momskompensation)",
      listed: "Listade personer efter ålder och kön",
      age: "Ålder", women: "Kvinnor", men: "Män", sum: "Summa",
      fillTypical: "Fyll i en typisk vårdcentral (8 000 listade)",
      needs: "Vårdtyngd och socioekonomi",
      acg: "Genomsnittlig ACG-vikt (regionens medel = 1,00)",
      acgHelp: "Lämna tomt om okänd: modellens vikt för saknad ACG används.",
      cni: "Care Need Index, CNI (riket = 1,00)",
      cniHelp: "Alla listade får samma CNI.",
      contacts: "Kontakter under året",
      measuresIn: "Resultat på uppföljningsmått (målrelaterad ersättning)",
      measuresHelp: "Täljare och nämnare som måttet räknar dem; lämna tomt om resultat saknas.",
      noMeasures: (m) => m + " betalar inget på uppföljningsmått (ingen målrelaterad ersättning): det finns inga resultat att fylla i.",
      numerator: "Täljare", denominator: "Nämnare",
      referenceNote: "Modeller som fördelar en pott efter relativa index (t.ex. Skåne) behöver resten av regionen: den beskrivna vårdcentralen räknas tillsammans med en syntetisk referensregion (20 000 personer, fem vårdcentraler, akutmottagning och digital vårdgivare). Kontakterna sprids jämnt över året.",
      compute: "Beräkna",
      regionIntro: "Välj regionens CSV-filer (units.csv, listings.csv, contacts.csv …). De läses här i webbläsaren och skickas aldrig någonstans.",
      files: "CSV-filer", folder: "… eller en hel mapp",
      computeRegion: "Beräkna för alla vårdcentraler",
      auto: "Automatiskt (senaste året i data)",
      monthRegion: "Månad", wholeYear: "Hela året",
      monthNames: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
      repriceNote: "När filerna är inlästa räknas en ny modell, ett nytt år eller en enskild månad om direkt, utan att filerna läses igen.",
      footer: "vardval är öppen källkod. Belopp räknas exakt med modellens avrundning; varje rad visar parameter, giltighet och källa. Siffror markerade som antagande hittades inte i någon offentlig källa.",
      cOwn: "De listades besök på vårdcentralen",
      cOwnDoctor: "Läkarbesök", cOwnOther: "Besök hos andra yrken",
      cIn: "Besök av personer listade på andra vårdcentraler",
      cInDoctor: "Läkarbesök", cInOther: "Besök hos andra yrken",
      cUnl: "Besök av olistade",
      cUnlDoctor: "Läkarbesök", cUnlOther: "Besök hos andra yrken",
      cOut: "De listades kontakter på annat håll (kostnadsansvar)",
      cOutPrimaryDoctor: "Läkarbesök på andra vårdcentraler", cOutPrimaryOther: "Andra besök på andra vårdcentraler",
      cOutEmergency: "Besök på akutmottagning", cOutDigital: "Kontakter med digital vårdgivare",
      working: "Räknar …", starting: "Startar kalkylatorn …", ready: "Klar.",
      statementFor: "Ersättning för", period: "Period", total: "Summa",
      downloadCSV: "Ladda ned CSV", downloadJSON: "Ladda ned JSON",
      explanation: "Förklaring", parameter: "Parameter", validFrom: "Gäller från", source: "Källa",
      assumption: "Antagande", assumptionTag: "antagande", component: "Komponent",
      notes: "Anmärkningar", referenceUsed: "Räknat med",
      chosen: "Valda filer", noFiles: "Inga filer valda.",
      read: "Läser", measuresStage: "Räknar uppföljningsmått …", paymentStage: "Räknar ersättning …",
      funnelsStage: "Ritar trattdiagram …", doneStage: "Klart",
      regionTotal: "Regionens summa", units: "Vårdcentraler", unit: "Vårdcentral", name: "Namn", ownerCol: "Driftform",
      intake: "Inläsning", file: "Fil", rows: "Rader", accepted: "Godkända", rejected: "Avvisade",
      rejections: "Avvisade rader (visar högst 50 per fil)", line: "rad", column: "kolumn",
      measuresOut: "Uppföljningsmått", region: "Regionen", value: "Värde", interval: "95 % intervall",
      suppressed: "undertryckt (för litet underlag)", funnelAlt: "Trattdiagram för",
      persons: "personer", listings: "listningar", contactsN: "kontakter", seconds: "s",
      processed: "Bearbetat på", lines: "rader", months: "Per månad", month: "Månad",
      missingRequired: "units.csv och listings.csv behövs.",
      notContract: "hör inte till datakontraktet och hoppas över",
      compareWith: "Jämför med en annan modell", noCompare: "(ingen jämförelse)",
      compareHeading: "Jämförelse", difference: "Skillnad", byComponent: "Skillnaden per komponent",
      yearHelp: "Året gäller allt som visas: den beskrivna vårdcentralen och regionens filer.",
      answerTotal: "Ersättning för året", answerNone: "–",
      fixFields: (n) => (n === 1 ? "Rätta det markerade fältet" : "Rätta de " + n + " markerade fälten") + ". Ingen summa visas förrän alla värden går att använda.",
      errNumber: "Ange ett tal, till exempel 1 200.",
      errNegative: "Antalet kan inte vara negativt.",
      errWhole: "Ange ett heltal, utan decimaler.",
      errTooLarge: (max) => "Högst " + num(String(max)) + ".",
      errDecimal: "Ange ett tal från 0 till 1 000 med högst sex decimaler, till exempel 1,05.",
      errNumGtDen: "Täljaren kan inte vara större än nämnaren.",
      errDenPositive: "Nämnaren måste vara större än 0.",
      errBoth: "Ange både täljare och nämnare, eller lämna båda tomma.",
      errEvents: "Antalet händelser är ett heltal.",
      errTooManyPersons: "Högst 1 000 000 listade personer sammanlagt.",
      errServerField: "Värdet går inte att använda i den här beräkningen.",
      errCalc: "Beräkningen kunde inte göras. Kontrollera värdena och försök igen.",
      errCompareYear: "Modellen att jämföra med gäller inte för det valda året. Välj en annan modell eller ett annat år.",
      errRegion: "Filerna kunde inte räknas.",
      errUnreadable: (f, why) => f + " kunde inte läsas" + (why ? ": " + why : " (trasig fil eller fel format)") + ". Inga belopp visas förrän filen går att läsa.",
      errNoYear: (m) => "Modellen " + m + " gäller inte för året i filerna. Välj ett annat år eller en annan modell.",
      rejectedWarn: (n) => num(String(n)) + (n === 1 ? " rad" : " rader") + " i de valda filerna avvisades och ingår inte i beloppen:",
      rejectedFile: (f, n) => f + ": " + num(String(n)) + (n === 1 ? " avvisad rad" : " avvisade rader"),
      rejectedMore: (n) => "… och " + num(String(n)) + " till (hela listan: vardval check).",
      rejectionAt: (f, l, c) => f + ", rad " + num(String(l)) + (c ? ", kolumn " + c : ""),
      missingSkip: (m) => "Ett tomt mått räknas som saknat resultat. I " + m + " ger ett saknat resultat varken ersättning eller avdrag för måttet.",
      missingFullDeduction: (m) => "Ett tomt mått räknas som saknat resultat. I " + m + " ger ett saknat resultat fullt avdrag för måttet.",
      missingFullBonus: (m) => "Ett tomt mått räknas som saknat resultat. I " + m + " ger ett saknat resultat ingen bonus för måttet.",
      measureEmpty: "Tomt: inget resultat.",
      funnelHint: "Punkterna är märkta med vårdcentralens id; namnet visas när du pekar på eller fokuserar en punkt.",
      invalid: "Ogiltigt värde", errorPrefix: "Fel: ", ownerPublic: "regiondriven", ownerPrivate: "privat",
    },
    en: {
      skip: "Skip to content",
      title: "Payment calculator for primary-care units",
      privacy: "Everything is computed in your browser. No file is uploaded and nothing leaves your computer: the page may only contact its own server.",
      modelHeading: "1. Choose a payment model",
      model: "Model", year: "Year", yearRegion: "Year", loading: "Loading …",
      modelNotes: "About the model and its sources",
      modes: "Mode",
      tabDescribe: "2a. Describe one unit",
      tabRegion: "2b. Open the region's files",
      describeIntro: "Enter the listed persons, case mix and contacts over one year. The payment is recomputed as soon as you change something.",
      unitName: "Name of the unit", owner: "Owner",
      public: "Run by the region", private: "Private (gets VAT compensation)",
      listed: "Listed persons by age and sex",
      age: "Age", women: "Women", men: "Men", sum: "Total",
      fillTypical: "Fill in a typical unit (8,000 listed)",
      needs: "Case mix and socio-economics",
      acg: "Mean ACG weight (regional mean = 1.00)",
      acgHelp: "Leave empty if unknown: the model's weight for a missing ACG is used.",
      cni: "Care Need Index, CNI (Sweden = 1.00)",
      cniHelp: "Every listed person gets the same CNI.",
      contacts: "Contacts in the year",
      measuresIn: "Results on follow-up measures (goal-related pay)",
      measuresHelp: "Numerator and denominator as the measure counts them; leave empty when there is no result.",
      noMeasures: (m) => m + " pays nothing on follow-up measures (no goal-related pay): there are no results to enter.",
      numerator: "Numerator", denominator: "Denominator",
      referenceNote: "Models that share a pool by relative indices (e.g. Skåne) need the rest of the region: the described unit is priced together with a synthetic reference region (20,000 persons, five units, an emergency department and a digital provider). Contacts are spread evenly over the year.",
      compute: "Compute",
      regionIntro: "Choose the region's CSV files (units.csv, listings.csv, contacts.csv …). They are read here in the browser and never sent anywhere.",
      files: "CSV files", folder: "… or a whole folder",
      computeRegion: "Compute for every unit",
      auto: "Automatic (latest year in the data)",
      monthRegion: "Month", wholeYear: "Whole year",
      monthNames: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
      repriceNote: "Once the files are read, another model, year or a single month is recomputed at once, without reading the files again.",
      footer: "vardval is open source. Amounts are exact with the model's rounding; every line shows its parameter, validity and source. Figures marked as assumptions were not found in any public source.",
      cOwn: "Listed persons' visits at the unit",
      cOwnDoctor: "Doctor visits", cOwnOther: "Visits to other professions",
      cIn: "Visits by persons listed at other units",
      cInDoctor: "Doctor visits", cInOther: "Visits to other professions",
      cUnl: "Visits by unlisted persons",
      cUnlDoctor: "Doctor visits", cUnlOther: "Visits to other professions",
      cOut: "Listed persons' contacts elsewhere (cost responsibility)",
      cOutPrimaryDoctor: "Doctor visits at other units", cOutPrimaryOther: "Other visits at other units",
      cOutEmergency: "Emergency-department visits", cOutDigital: "Contacts with digital providers",
      working: "Computing …", starting: "Starting the calculator …", ready: "Ready.",
      statementFor: "Payment for", period: "Period", total: "Total",
      downloadCSV: "Download CSV", downloadJSON: "Download JSON",
      explanation: "Explanation", parameter: "Parameter", validFrom: "Valid from", source: "Source",
      assumption: "Assumption", assumptionTag: "assumption", component: "Component",
      notes: "Notes", referenceUsed: "Priced with",
      chosen: "Chosen files", noFiles: "No files chosen.",
      read: "Reading", measuresStage: "Computing follow-up measures …", paymentStage: "Computing payment …",
      funnelsStage: "Drawing funnel plots …", doneStage: "Done",
      regionTotal: "Region total", units: "Units", unit: "Unit", name: "Name", ownerCol: "Owner",
      intake: "Intake", file: "File", rows: "Rows", accepted: "Accepted", rejected: "Rejected",
      rejections: "Rejected rows (at most 50 per file shown)", line: "line", column: "column",
      measuresOut: "Follow-up measures", region: "Region", value: "Value", interval: "95 % interval",
      suppressed: "suppressed (too small a denominator)", funnelAlt: "Funnel plot of",
      persons: "persons", listings: "listings", contactsN: "contacts", seconds: "s",
      processed: "Processed in", lines: "lines", months: "By month", month: "Month",
      missingRequired: "units.csv and listings.csv are needed.",
      notContract: "is not a file of the data contract and is skipped",
      compareWith: "Compare with another model", noCompare: "(no comparison)",
      compareHeading: "Comparison", difference: "Difference", byComponent: "The difference by component",
      yearHelp: "The year applies to everything shown: the described unit and the region's files.",
      answerTotal: "Payment for the year", answerNone: "–",
      fixFields: (n) => (n === 1 ? "Correct the marked field" : "Correct the " + n + " marked fields") + ". No total is shown until every value can be used.",
      errNumber: "Enter a number, for example 1,200.",
      errNegative: "A count cannot be negative.",
      errWhole: "Enter a whole number, without decimals.",
      errTooLarge: (max) => "At most " + num(String(max)) + ".",
      errDecimal: "Enter a number from 0 to 1,000 with at most six decimals, for example 1.05.",
      errNumGtDen: "The numerator cannot be larger than the denominator.",
      errDenPositive: "The denominator must be greater than 0.",
      errBoth: "Enter both numerator and denominator, or leave both empty.",
      errEvents: "The number of events is a whole number.",
      errTooManyPersons: "At most 1,000,000 listed persons in all.",
      errServerField: "This value cannot be used in this calculation.",
      errCalc: "The calculation could not be done. Check the values and try again.",
      errCompareYear: "The model to compare with does not apply to the chosen year. Choose another model or year.",
      errRegion: "The files could not be priced.",
      errUnreadable: (f, why) => f + " could not be read" + (why ? ": " + why : " (a broken file or a wrong format)") + ". No amounts are shown until it can be read.",
      errNoYear: (m) => "The model " + m + " does not apply to the year of the files. Choose another year or model.",
      rejectedWarn: (n) => num(String(n)) + (n === 1 ? " row" : " rows") + " of the chosen files were rejected and are not in the amounts:",
      rejectedFile: (f, n) => f + ": " + num(String(n)) + (n === 1 ? " rejected row" : " rejected rows"),
      rejectedMore: (n) => "… and " + num(String(n)) + " more (the whole list: vardval check).",
      rejectionAt: (f, l, c) => f + ", line " + num(String(l)) + (c ? ", column " + c : ""),
      missingSkip: (m) => "An empty measure counts as a missing result. In " + m + " a missing result gives neither pay nor a deduction for the measure.",
      missingFullDeduction: (m) => "An empty measure counts as a missing result. In " + m + " a missing result gives the full deduction for the measure.",
      missingFullBonus: (m) => "An empty measure counts as a missing result. In " + m + " a missing result gives no bonus for the measure.",
      measureEmpty: "Empty: no result.",
      funnelHint: "Points are labelled with the unit's id; the name shows when you point at or focus a point.",
      invalid: "Invalid value", errorPrefix: "Error: ", ownerPublic: "run by the region", ownerPrivate: "private",
    },
  };
  let lang = "sv";
  const t = (k) => (T[lang][k] !== undefined ? T[lang][k] : k);

  const $ = (id) => document.getElementById(id);
  // maskPnr masks a personnummer-shaped run whole (ten or more digits, or
  // six or more, one '-', '+' or space, and four or more), as vardval's
  // internal/redact does: text from opened files or typed names never
  // shows any digit of one. Amounts are formatted with separators first.
  const pnrShape = /\d{10,}|\d{6,}[-+ ]\d{4,}/g;
  const maskPnr = (s) => String(s).replace(pnrShape, "[personnummer]");
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = maskPnr(v);
        else e.setAttribute(k, v === true ? "" : v);
      }
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined) continue;
      e.append(kid instanceof Node ? kid : maskPnr(kid));
    }
    return e;
  }

  // Money is a decimal string ("-1234567.50"); it is formatted as text,
  // never through a JavaScript number.
  function money(s) {
    if (s === undefined || s === null || s === "") return "";
    let neg = s.startsWith("-");
    if (neg) s = s.slice(1);
    let [int, frac] = s.split(".");
    const sep = lang === "sv" ? "\u00a0" : ",";
    int = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    const dec = lang === "sv" ? "," : ".";
    const out = (neg ? "\u2212" : "") + int + (frac !== undefined ? dec + frac : "");
    return lang === "sv" ? out + "\u00a0kr" : "SEK\u00a0" + out;
  }
  function num(s) {
    if (s === undefined || s === null || s === "") return "";
    let neg = s.startsWith("-");
    if (neg) s = s.slice(1);
    let [int, frac] = s.split(".");
    int = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === "sv" ? "\u00a0" : ",");
    return (neg ? "\u2212" : "") + int + (frac !== undefined ? (lang === "sv" ? "," : ".") + frac : "");
  }

  // Measure values are display-only (never money): rounded for reading,
  // shares as per cent. The exact figures are in the downloads and tables
  // of `vardval measures`.
  function localNumber(x, digits) {
    if (!Number.isFinite(x)) return "";
    return num(x.toFixed(digits));
  }
  function measureValue(m, s) {
    if (s === undefined || s === null || s === "") return "";
    const x = Number(s);
    if (m.kind === "proportion" && m.scale === 1) return localNumber(x * 100, 1) + "\u00a0%";
    return localNumber(x, 1);
  }
  function countText(s) {
    if (s === undefined || s === null || s === "") return "";
    return /^-?\d+$/.test(s) ? num(s) : localNumber(Number(s), 1);
  }

  // ------------------------------------------------------------ worker
  const worker = new Worker("worker.js");
  let seq = 0;
  const pending = new Map();
  worker.onmessage = (ev) => {
    const m = ev.data;
    if (m.type === "progress") {
      showProgress(m.progress);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(m.error || { message: "unknown error" });
  };
  worker.onerror = () => setError("errCalc");
  function call(op, payload) {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage(Object.assign({ id, op }, payload || {}));
    });
  }

  // ------------------------------------------------------------ state
  let models = [];
  let current = null; // ModelInfo
  let lastDescribe = null;
  let lastRegion = null;
  let regionLoaded = false; // the worker holds the region of the chosen files
  let loadGen = 0; // bumped by every file choice and load: only the latest load counts
  let activeLoad = 0; // the generation of the last load started
  let repriceSeq = 0; // only the latest reprice is shown
  let chosen = [];
  let slider = null; // slider.js: one parameter moved over the loaded region

  // The status line is kept as a text key (or an error message) so that
  // it follows the language switch.
  // Errors are always the page's own sentences in the page's language
  // (never a message from Go or the browser), chosen by key.
  let statusState = { key: "", args: [], error: false };
  const tx = (k, ...a) => {
    const v = t(k);
    return typeof v === "function" ? v(...a) : v;
  };
  // yearChanged follows a new year everywhere: the described unit (its
  // statement and the answer bar) and, when asked, the loaded region.
  function yearChanged(region) {
    call("warm", { year: Number($("year").value) }).catch(() => {});
    if (lastDescribe) {
      // What was shown is of the year before: not shown beside the new one.
      lastDescribe = null;
      $("describe-out").textContent = "";
      answerState = null;
      renderAnswer();
    }
    scheduleDescribe();
    if (region) repriceRegion();
  }
  // settleStatus ends a computation's status: an error still standing
  // (invalid fields, a refused computation, a file that cannot be read)
  // is shown rather than "ready".
  function settleStatus() {
    if (formErrors.size) setError("fixFields", formErrors.size);
    else if (answerState && answerState.error) setError(answerState.error);
    else if (regionErrorState) setError(regionErrorState.key, ...regionErrorState.args);
    else setStatus("ready");
  }
  function showStatus() {
    const s = $("status");
    s.textContent = statusState.key ? (statusState.error ? t("errorPrefix") : "") + tx(statusState.key, ...statusState.args) : "";
    s.classList.toggle("error", statusState.error);
  }
  function setStatus(key) {
    statusState = { key, args: [], error: false };
    showStatus();
  }
  function setError(key, ...args) {
    statusState = { key: key || "errCalc", args, error: true };
    showStatus();
  }

  // ------------------------------------------------------------ i18n
  function applyLang() {
    document.documentElement.lang = lang;
    document.title = "vardval – " + t("title");
    for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
    for (const n of document.querySelectorAll("[data-i18n-aria]")) n.setAttribute("aria-label", t(n.dataset.i18nAria));
    const b = $("lang");
    if (lang === "sv") {
      b.textContent = "English";
      b.setAttribute("lang", "en");
      b.setAttribute("aria-label", "Switch to English");
    } else {
      b.textContent = "Svenska";
      b.setAttribute("lang", "sv");
      b.setAttribute("aria-label", "Byt till svenska");
    }
    if (current) {
      renderContacts(true);
      renderMeasureInputs(true);
      showFieldErrors();
    }
    renderAnswer();
    showRegionError();
    renderModelInfo();
    fillRegionMonths();
    showStatus();
    if (current) sumBands();
    if (lastDescribe) renderDescribe(lastDescribe);
    if (lastRegion) renderRegion(lastRegion);
    renderChosen();
    if (lastProgress && !$("progress-box").hidden) showProgress(lastProgress);
    // The statements' own texts (line names, explanations, notes, reasons,
    // plots) come from the calculator in the chosen language.
    if (current) scheduleDescribe();
    repriceRegion();
  }

  // ------------------------------------------------------------ model
  function fillModels() {
    const sel = $("model");
    sel.textContent = "";
    for (const m of models) sel.append(el("option", { value: m.name, text: m.name + " – " + m.region }));
    sel.disabled = false;
    sel.value = models.length ? models[0].name : "";
    const cmp = $("compare");
    for (const m of models) cmp.append(el("option", { value: m.name, text: m.name + " – " + m.region }));
    fillRegionMonths();
    chooseModel();
  }
  function chooseModel() {
    current = models.find((m) => m.name === $("model").value) || models[0];
    const ys = $("year");
    fillYears();
    ys.disabled = false;
    renderModelInfo();
    renderBands();
    renderContacts(false);
    renderMeasureInputs(false);
    call("warm", { year: Number(ys.value) }).catch(() => {});
    scheduleDescribe();
    repriceRegion();
  }
  // The one year list: the model's whole years, not beyond next year (or
  // the latest year of the loaded region's data). The chosen year is kept
  // when the model covers it; the default is the loaded data's year, else
  // this year, else the model's last year.
  let dataYears = [];
  function fillYears(want) {
    const ys = $("year");
    const keep = want !== undefined ? Number(want) : Number(ys.value);
    const thisYear = new Date().getFullYear();
    const cap = Math.max(thisYear + 1, ...dataYears);
    let years = current.years.filter((y) => y <= cap);
    if (!years.length) years = current.years.slice(0, 1);
    ys.textContent = "";
    for (const y of years) ys.append(el("option", { value: String(y), text: String(y) }));
    const data = dataYears.filter((y) => years.includes(y));
    let pick = years.includes(keep) ? keep : data.length ? data[data.length - 1] : years.includes(thisYear) ? thisYear : years.filter((y) => y <= thisYear).pop() || years[0];
    ys.value = String(pick);
  }
  // renderModelInfo shows the model's title, notes and components in the
  // page's language.
  function renderModelInfo() {
    if (!current) return;
    const pick = (sv, en, def) => (lang === "sv" ? sv : en) || def;
    $("model-title").textContent = pick(current.title_sv, current.title_en, current.title);
    $("model-notes").textContent = pick(current.notes_sv, current.notes_en, current.notes);
    const ul = $("model-components");
    ul.textContent = "";
    for (const c of current.components) ul.append(el("li", null, el("strong", { text: pick(c.name_sv, c.name_en, c.name) }), " (", el("code", { text: c.id }), ")"));
  }
  function fillRegionMonths() {
    const sel = $("region-month");
    const keep = sel.value || "0";
    sel.textContent = "";
    sel.append(el("option", { value: "0", text: t("wholeYear") }));
    t("monthNames").forEach((n, i) => sel.append(el("option", { value: String(i + 1), text: n })));
    sel.value = keep;
  }
  // regionRequest asks for the chosen year; the first load of a choice of
  // files asks for the data's latest year (0), which then becomes the
  // chosen year.
  function regionRequest(first) {
    return { model: current.name, year: first ? 0 : Number($("year").value), month: Number($("region-month").value), lang };
  }

  // Sweden's age pyramid (SCB 2023), persons per 1,000 by 5-year band from
  // 0–4 to 95+: used to fill in a typical unit for any band layout.
  const pyramid = [53, 58, 60, 58, 62, 68, 70, 66, 64, 62, 66, 64, 58, 54, 52, 46, 34, 19, 10, 4];
  function typicalCount(from, to, total) {
    let share = 0;
    for (let a = from; a <= Math.min(to, 99); a++) share += pyramid[Math.min(19, Math.floor(a / 5))] / 5;
    return Math.round((total * share) / 1000 / 2);
  }
  function renderBands() {
    const tb = $("bands");
    tb.textContent = "";
    current.bands.forEach((b, i) => {
      const row = el("tr", null, el("th", { scope: "row", id: "band-" + i, text: b.label }));
      for (const sex of ["f", "m"]) {
        const id = "p-" + i + "-" + sex;
        const inp = el("input", { id, type: "text", class: "count", value: String(typicalCount(b.from, b.to, 8000)), autocomplete: "off",
          "aria-labelledby": "band-" + i + " col-" + sex, "data-band": String(i), "data-sex": sex, "data-kind": "count", inputmode: "numeric" });
        row.append(el("td", null, inp));
      }
      tb.append(row);
    });
    const head = document.querySelectorAll(".bands thead th");
    head[1].id = "col-f";
    head[2].id = "col-m";
    sumBands();
  }
  function sumBands() {
    let f = 0, m = 0;
    for (const inp of document.querySelectorAll("#bands input")) {
      const p = parseCount(inp.value, maxPersons);
      const v = p.err ? 0 : p.value;
      if (inp.dataset.sex === "f") f += v;
      else m += v;
    }
    $("sum-f").textContent = num(String(f));
    $("sum-m").textContent = num(String(m));
  }

  const contactFields = [
    ["cOwn", [["own_doctor", "cOwnDoctor", 12000], ["own_other", "cOwnOther", 20000]]],
    ["cIn", [["elsewhere_doctor", "cInDoctor", 400], ["elsewhere_other", "cInOther", 600]]],
    ["cUnl", [["unlisted_doctor", "cUnlDoctor", 150], ["unlisted_other", "cUnlOther", 150]]],
    ["cOut", [["out_primary_doctor", "cOutPrimaryDoctor", 500], ["out_primary_other", "cOutPrimaryOther", 700],
      ["out_emergency", "cOutEmergency", 1800], ["out_digital", "cOutDigital", 2500]]],
  ];
  function renderContacts(keep) {
    const box = $("contacts");
    const old = {};
    if (keep) for (const inp of box.querySelectorAll("input")) old[inp.id] = inp.value;
    box.textContent = "";
    for (const [group, fields] of contactFields) {
      box.append(el("h4", { text: t(group) }));
      for (const [key, label, def] of fields) {
        const id = "c-" + key;
        box.append(el("div", { class: "c" }, el("label", { for: id, text: t(label) }),
          el("input", { id, type: "text", class: "count", autocomplete: "off", value: old[id] !== undefined ? old[id] : String(def), "data-contact": key, "data-kind": "count", inputmode: "numeric" })));
      }
    }
  }
  function renderMeasureInputs(keep) {
    const box = $("measure-inputs");
    const old = {};
    if (keep) for (const inp of box.querySelectorAll("input")) old[inp.id] = inp.value;
    box.textContent = "";
    const none = !current.measures || current.measures.length === 0;
    $("measures-help").hidden = none;
    $("measures-box").dataset.none = String(none);
    if (none) {
      missingNote();
      return;
    }
    for (const m of current.measures) {
      const nid = "m-" + m.id + "-n", did = "m-" + m.id + "-d";
      const name = lang === "sv" ? m.name_sv : m.name_en;
      // Inputs start empty: a result nobody entered is not invented.
      box.append(el("div", { class: "measure-in", "data-measure": m.id },
        el("span", { class: "mname", id: "mn-" + m.id }, name || m.id, el("br"), el("code", { class: "small", text: m.id })),
        el("span", { class: "mfield" }, el("label", { for: nid, text: t("numerator") }),
          el("input", { id: nid, type: "text", inputmode: "numeric", autocomplete: "off", value: old[nid] !== undefined ? old[nid] : "", "aria-describedby": "mn-" + m.id, "data-kind": "numerator", "data-measure": m.id })),
        el("span", { class: "mfield" }, el("label", { for: did, text: t("denominator") }),
          el("input", { id: did, type: "text", inputmode: m.kind === "rate" ? "decimal" : "numeric", autocomplete: "off", value: old[did] !== undefined ? old[did] : "", "aria-describedby": "mn-" + m.id, "data-kind": "denominator", "data-measure": m.id })),
        el("p", { class: "help mempty", id: "me-" + m.id, "data-empty-note": m.id, hidden: true, text: t("measureEmpty") })));
    }
    missingNote();
  }

  // ------------------------------------------------------------ validation
  // Every field is checked in the page before anything is computed; a bad
  // value is marked at its field (aria-invalid, a message tied to it by
  // aria-describedby) and no total is shown while any field is invalid.
  const maxPersons = 1000000, maxContacts = 10000000, maxMeasure = 1000000000;
  const spaces = /[\s\u00a0\u202f]/g;
  // parseCount reads a whole, non-negative count ("" is 0). Spaces are
  // thousands separators; in English so are commas in groups of three.
  function parseCount(s, max) {
    let x = String(s).replace(spaces, "");
    if (lang === "en" && /^\d{1,3}(,\d{3})+$/.test(x)) x = x.replace(/,/g, "");
    if (x === "") return { value: 0 };
    if (/^[-\u2212]/.test(x)) return /^[-\u2212][\d.,]+$/.test(x) ? { err: "errNegative" } : { err: "errNumber" };
    if (/^\d*[.,]\d+$/.test(x) || /^\d+[.,]$/.test(x)) return { err: "errWhole" };
    if (!/^\d+$/.test(x)) return { err: "errNumber" };
    const v = Number(x);
    if (x.replace(/^0+/, "").length > 10 || v > max) return { err: "errTooLarge", arg: max };
    return { value: v };
  }
  // decimalText is a decimal as Go reads it: no spaces, a point.
  function decimalText(s) {
    return String(s).replace(spaces, "").replace(",", ".");
  }
  // parseDecimal reads a non-negative decimal with a comma or a point and
  // at most six decimals, up to max ("" is empty).
  function parseDecimal(s, max) {
    const x = decimalText(s);
    if (x === "") return { empty: true };
    if (/^[-\u2212]/.test(x)) return { err: "errNegative" };
    const m = /^(\d+)(?:\.(\d+))?$/.exec(x);
    if (!m) return { err: "errNumber" };
    if ((m[2] || "").length > 6 || m[1].replace(/^0+/, "").length > 10 || Number(x) > max) return { err: "errTooLarge", arg: max };
    return { value: Number(x) };
  }
  let formErrors = new Map(); // input id -> {key, arg}
  function validateForm() {
    const errs = new Map();
    const check = (inp, r) => {
      if (r.err) errs.set(inp.id, { key: r.err, arg: r.arg });
    };
    let total = 0;
    for (const inp of document.querySelectorAll("#bands input")) {
      const r = parseCount(inp.value, maxPersons);
      check(inp, r);
      if (!r.err) total += r.value;
    }
    if (total > maxPersons) {
      const last = [...document.querySelectorAll("#bands input")].reverse().find((i) => parseCount(i.value, maxPersons).value > 0);
      if (last) errs.set(last.id, { key: "errTooManyPersons" });
    }
    for (const inp of document.querySelectorAll("#contacts input")) check(inp, parseCount(inp.value, maxContacts));
    for (const id of ["acg", "cni"]) {
      const r = parseDecimal($(id).value, 1000);
      if (r.err) errs.set(id, { key: "errDecimal" });
    }
    for (const m of (current && current.measures) || []) {
      const ni = $("m-" + m.id + "-n"), di = $("m-" + m.id + "-d");
      if (!ni || !di) continue;
      const ns = ni.value.replace(spaces, ""), ds = di.value.replace(spaces, "");
      const note = $("me-" + m.id);
      if (note) note.hidden = !(ns === "" && ds === "");
      if (ns === "" && ds === "") continue;
      // Every invalid field is marked at itself; an empty one beside a
      // filled one is marked as needing both.
      const n = ns === "" ? null : parseCount(ns, maxMeasure);
      const d = ds === "" ? null : m.kind === "rate" ? parseDecimal(ds, maxMeasure) : parseCount(ds, maxMeasure);
      if (n && n.err) errs.set(ni.id, { key: n.err, arg: n.arg });
      if (d && d.err) errs.set(di.id, { key: d.err, arg: d.arg });
      if (!n) errs.set(ni.id, { key: "errBoth" });
      if (!d) errs.set(di.id, { key: "errBoth" });
      if (!n || !d) continue;
      if (d.err) continue;
      else if (!(d.value > 0)) errs.set(di.id, { key: "errDenPositive" });
      else if (!n.err && m.kind !== "rate" && n.value > d.value) errs.set(ni.id, { key: "errNumGtDen" });
    }
    formErrors = errs;
    showFieldErrors();
    return errs.size;
  }
  // showFieldErrors writes formErrors at their fields, in the page's
  // language, and clears the fields that are valid again.
  function showFieldErrors() {
    for (const inp of document.querySelectorAll("#describe-form input")) {
      const e = formErrors.get(inp.id);
      const eid = inp.id + "-err";
      let msg = $(eid);
      const desc = (inp.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== eid);
      if (!e) {
        if (msg) msg.remove();
        inp.removeAttribute("aria-invalid");
        if (desc.length) inp.setAttribute("aria-describedby", desc.join(" "));
        else inp.removeAttribute("aria-describedby");
        continue;
      }
      if (!msg) {
        msg = el("span", { class: "field-error", id: eid });
        inp.insertAdjacentElement("afterend", msg);
      }
      msg.textContent = tx(e.key, e.arg);
      inp.setAttribute("aria-invalid", "true");
      inp.setAttribute("aria-describedby", [...desc, eid].join(" "));
    }
  }
  // showInvalid takes the total away while the form has n bad fields.
  function showInvalid(n) {
    lastDescribe = null;
    $("describe-out").textContent = "";
    answerState = { invalid: n };
    renderAnswer();
    setError("fixFields", n);
  }
  let answerState = null; // {invalid: n} or {view} or {error: key}
  // renderAnswer fills the bar that stays in view while the form is
  // edited: the total and the difference to a compared model, or why there
  // is none.
  function renderAnswer() {
    const out = $("answer-total"), cmp = $("answer-compare"), inv = $("answer-invalid");
    out.textContent = t("answerNone");
    delete out.dataset.amount;
    delete out.dataset.year;
    cmp.textContent = "";
    inv.hidden = true;
    inv.textContent = "";
    if (!answerState) return;
    if (answerState.invalid) {
      inv.hidden = false;
      inv.textContent = tx("fixFields", answerState.invalid);
      return;
    }
    if (answerState.error) {
      inv.hidden = false;
      inv.textContent = tx(answerState.error);
      return;
    }
    const v = answerState.view;
    if (!v || !v.units || !v.units.length) return;
    out.textContent = money(v.units[0].total);
    out.dataset.amount = v.units[0].total;
    out.dataset.year = v.period.from.slice(0, 4);
    if (v.compare) {
      const c = v.compare;
      const pct = c.percent ? " (" + (c.percent.startsWith("-") ? "" : "+") + num(c.percent) + "\u00a0%)" : "";
      cmp.append(c.model_b.name + ": ", el("span", { "data-amount": c.b, text: money(c.b) }), " · " + t("difference") + ": ",
        el("span", { class: c.diff.startsWith("-") ? "neg" : "", "data-compare-diff": c.diff, text: money(c.diff) + pct }));
    }
  }
  // missingNote says what an empty measure means under the chosen model.
  function missingNote() {
    const p = $("measures-missing");
    p.textContent = "";
    const ms = (current && current.measures) || [];
    if (!ms.length) {
      if (current) p.textContent = tx("noMeasures", current.name);
      return;
    }
    const kinds = new Set(ms.map((m) => (m.missing === "full" ? (m.style === "bonus" ? "missingFullBonus" : "missingFullDeduction") : "missingSkip")));
    p.textContent = [...kinds].map((k) => tx(k, current.name)).join(" ");
  }

  // ------------------------------------------------------------ describe
  // describeRequest is built only from a valid form (validateForm): every
  // count a whole number in range, every decimal in the form Go reads.
  function describeRequest() {
    const count = (id, max) => parseCount($(id).value, max).value;
    const persons = current.bands.map((b, i) => ({
      from: b.from, to: b.to, f: count("p-" + i + "-f", maxPersons), m: count("p-" + i + "-m", maxPersons),
    }));
    const contacts = {};
    for (const inp of document.querySelectorAll("#contacts input")) contacts[inp.dataset.contact] = parseCount(inp.value, maxContacts).value;
    const measures = (current.measures || []).map((m) => ({
      id: m.id, numerator: decimalText($("m-" + m.id + "-n").value), denominator: decimalText($("m-" + m.id + "-d").value),
    }));
    const owner = document.querySelector("input[name=owner]:checked").value;
    return {
      model: current.name, year: Number($("year").value), name: $("unit-name").value.trim(), owner,
      persons, mean_acg: decimalText($("acg").value), cni: decimalText($("cni").value), contacts, measures,
      compare_with: $("compare").value, lang,
    };
  }
  let timer = 0, running = false, again = false;
  // data-busy on the output says whether a computation is due or running
  // (tests and assistive technology can wait for "false").
  function scheduleDescribe() {
    clearTimeout(timer);
    timer = 0;
    if (!current) return;
    const bad = validateForm();
    if (bad > 0) {
      showInvalid(bad);
      if (!running) $("describe-out").dataset.busy = "false";
      return;
    }
    $("describe-out").dataset.busy = "true";
    timer = setTimeout(() => {
      timer = 0;
      runDescribe();
    }, 250);
  }
  async function runDescribe() {
    if (!current) return;
    if (running) {
      again = true;
      return;
    }
    const bad = validateForm();
    if (bad > 0) {
      showInvalid(bad);
      if (!timer) $("describe-out").dataset.busy = "false";
      return;
    }
    running = true;
    setStatus("working");
    $("describe-out").setAttribute("aria-busy", "true");
    const req = describeRequest();
    try {
      const v = await call("describe", { req });
      // A field turned bad while this was computed: no total.
      if (validateForm() > 0) {
        showInvalid(formErrors.size);
      } else {
        lastDescribe = v;
        renderDescribe(v);
        answerState = { view: v };
        renderAnswer();
        settleStatus();
      }
    } catch (e) {
      lastDescribe = null;
      $("describe-out").textContent = "";
      const id = fieldOf(e.field);
      if (id) {
        formErrors.set(id, { key: "errServerField" });
        showFieldErrors();
        answerState = { invalid: formErrors.size };
        setError("fixFields", formErrors.size);
      } else {
        const key = e.field === "compare_with" ? "errCompareYear" : "errCalc";
        answerState = { error: key };
        setError(key);
      }
      renderAnswer();
    } finally {
      $("describe-out").setAttribute("aria-busy", "false");
      running = false;
      if (again) {
        again = false;
        runDescribe();
      } else if (!timer) {
        $("describe-out").dataset.busy = "false";
      }
    }
  }
  // fieldOf maps the key path of a calculator error to the form field it
  // is about ("" when it is about no one field).
  function fieldOf(field) {
    if (!field) return "";
    const map = { mean_acg: "acg", cni: "cni", name: "unit-name" };
    let id = map[field] || "";
    let m = /^measures\[(\d+)\]\.(numerator|denominator)$/.exec(field);
    if (m && current.measures[+m[1]]) id = "m-" + current.measures[+m[1]].id + (m[2] === "numerator" ? "-n" : "-d");
    m = /^persons\[(\d+)\]/.exec(field);
    if (m) id = "p-" + m[1] + "-f";
    m = /^contacts\.(\w+)$/.exec(field);
    if (m) id = "c-" + m[1];
    if (field === "persons") id = "p-0-f";
    return id && $(id) ? id : "";
  }

  // ------------------------------------------------------------ statement
  function lineItem(l) {
    const neg = l.amount.startsWith("-");
    const calc = num(l.quantity) + " × " + num(l.rate);
    const summary = el("summary", null,
      el("span", null, el("span", { class: "lname", text: l.name }), l.assumption ? el("span", { class: "tag", text: t("assumptionTag") }) : null,
        el("span", { class: "calc", text: calc })),
      el("span", { class: "amt" + (neg ? " neg" : ""), "data-amount": l.amount, text: money(l.amount) }));
    const dl = el("dl", null,
      el("dt", { text: t("explanation") }), el("dd", { text: l.explanation }),
      el("dt", { text: t("component") }), el("dd", null, el("code", { text: l.component }), " (" + l.type + ")"),
      el("dt", { text: t("parameter") }), el("dd", null, el("code", { text: l.parameter || "–" })),
      el("dt", { text: t("validFrom") }), el("dd", { text: l.valid_from || "–" }),
      el("dt", { text: t("source") }), el("dd", null, l.source === "assumption" ? t("assumption") : sourceText(l.source)));
    if (l.assumption) dl.append(el("dt", { text: t("assumption") }), el("dd", { class: "assumption", text: l.assumption }));
    return el("li", null, el("details", null, summary, dl));
  }
  // sourceText shows a source; addresses become links that open in a new
  // tab without a referrer (only on the user's click).
  function sourceText(s) {
    const span = el("span");
    if (!s) {
      span.textContent = "–";
      return span;
    }
    const parts = s.split(/(https?:\/\/[^\s,;)]+)/);
    for (const p of parts) {
      if (/^https?:\/\//.test(p)) span.append(el("a", { href: p, rel: "noreferrer noopener", target: "_blank", text: p }));
      else if (p) span.append(p);
    }
    return span;
  }
  function statementBlock(u, v, opts) {
    const head = el("div", { class: "head" },
      el("h3", null, t("statementFor") + " " + u.name + " (" + u.unit_id + ")"),
      el("div", null, el("span", { class: "muted", text: t("total") + ": " }),
        el("output", { class: "total", "data-unit": u.unit_id, "data-amount": u.total, text: money(u.total) })));
    const owner = u.owner === "private" ? t("ownerPrivate") : u.owner === "public" ? t("ownerPublic") : u.owner;
    const meta = el("p", { class: "muted small", text: t("period") + " " + v.period.from + " – " + v.period.to + " · " + v.model.name + (owner ? " · " + owner : "") });
    const dls = el("div", { class: "downloads" },
      el("button", { type: "button", class: "secondary", "data-download": "csv", "data-unit": opts.unit, text: t("downloadCSV") }),
      el("button", { type: "button", class: "secondary", "data-download": "json", "data-unit": opts.unit, text: t("downloadJSON") }));
    const list = el("ul", { class: "lines" });
    for (const l of u.lines) list.append(lineItem(l));
    const months = el("details", null, el("summary", { text: t("months") }));
    const mt = el("table", { class: "mtable" }, el("thead", null, el("tr", null, el("th", { scope: "col", text: t("month") }), el("th", { scope: "col", text: t("total") }))));
    const mb = el("tbody");
    for (const m of u.months || []) mb.append(el("tr", null, el("td", { text: m.month }), el("td", { class: "num", text: money(m.total) })));
    mt.append(mb);
    months.append(stacked(mt));
    return el("div", { class: "statement" }, head, meta, dls, list, months);
  }
  function renderDescribe(v) {
    const out = $("describe-out");
    out.textContent = "";
    if (!v.units || !v.units.length) return;
    const block = statementBlock(v.units[0], v, { unit: v.units[0].unit_id });
    if (v.compare) block.insertBefore(compareBlock(v.compare), block.querySelector(".downloads"));
    out.append(block);
    if (v.reference) {
      const r = v.reference;
      out.append(el("p", { class: "notes", text: t("referenceUsed") + ": " + (lang === "sv"
        ? "syntetisk referensregion med " + num(String(r.persons)) + " personer och " + r.primary_units + " andra vårdcentraler (synth, frö " + r.seed + ", år " + r.year + ")"
        : "synthetic reference region of " + num(String(r.persons)) + " persons and " + r.primary_units + " other units (synth, seed " + r.seed + ", year " + r.year + ")") }));
    }
    notes(out, v.notes);
  }
  function compareBlock(c) {
    const neg = (x) => (x.startsWith("-") ? "amt neg" : "amt");
    const pct = c.percent ? " (" + (c.percent.startsWith("-") ? "" : "+") + num(c.percent) + "\u00a0%)" : "";
    const tb = el("tbody");
    for (const s of c.steps) {
      tb.append(el("tr", null, el("td", null, el("code", { text: s.component })), el("td", { class: "num", text: money(s.a) }),
        el("td", { class: "num", text: money(s.b) }), el("td", { class: "num " + neg(s.diff), text: money(s.diff) })));
    }
    const head = el("tr", null, el("th", { scope: "col", text: t("component") }), el("th", { scope: "col", class: "num", text: c.model_a.name }),
      el("th", { scope: "col", class: "num", text: c.model_b.name }), el("th", { scope: "col", class: "num", text: t("difference") }));
    const foot = el("tr", null, el("th", { scope: "row", text: t("total") }), el("td", { class: "num", text: money(c.a) }),
      el("td", { class: "num", text: money(c.b) }), el("td", { class: "num " + neg(c.diff), "data-compare-diff": c.diff, text: money(c.diff) + pct }));
    return el("section", { class: "compare", "aria-label": t("compareHeading") },
      el("h4", { text: t("compareHeading") + ": " + c.model_a.name + " → " + c.model_b.name }),
      el("p", null, c.model_b.name + ": ", el("output", { class: "total-b", "data-amount": c.b, text: money(c.b) }), " · " + t("difference") + ": " + money(c.diff) + pct),
      el("details", null, el("summary", { text: t("byComponent") }),
        stacked(el("table", { class: "mtable" }, el("thead", null, head), tb, el("tfoot", null, foot)))));
  }
  function notes(out, ns) {
    if (!ns || !ns.length) return;
    const ul = el("ul", { class: "notes" });
    for (const n of ns) ul.append(el("li", { text: n }));
    out.append(el("h4", { text: t("notes") }), ul);
  }

  // ------------------------------------------------------------ downloads
  async function download(format, unit) {
    try {
      const d = await call("download", { format, unit });
      const blob = new Blob([d.data], { type: d.type });
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: d.name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setError("errCalc");
    }
  }
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-download]");
    if (b) download(b.dataset.download, b.dataset.unit || "");
  });

  // ------------------------------------------------------------ region
  const contract = ["units.csv", "areas.csv", "listings.csv", "contacts.csv", "diagnoses.csv", "observations.csv", "prescriptions.csv",
    "procedures.csv", "admissions.csv", "clinicians.csv", "calls.csv", "survey.csv"];
  // regionError shows why a region has no amounts, in the page's
  // language: a file that cannot be read, a year the model does not cover,
  // or that the files could not be priced.
  let regionErrorState = null;
  function regionError(e) {
    const f = (e && e.field) || "";
    let m = /^files\.(.+)$/.exec(f);
    regionErrorState = m ? { key: "errUnreadable", args: [m[1], (e && e.reason) || ""] } : f === "year" ? { key: "errNoYear", args: [current.name] } : { key: "errRegion", args: [] };
    lastRegion = null;
    if (slider) slider.hide();
    $("region-out").textContent = "";
    // No reading progress is left standing beside the error.
    $("progress-box").hidden = true;
    lastProgress = null;
    $("region-error").dataset.field = f;
    showRegionError();
    setError(regionErrorState.key, ...regionErrorState.args);
  }
  function showRegionError() {
    const p = $("region-error");
    p.hidden = !regionErrorState;
    p.textContent = regionErrorState ? tx(regionErrorState.key, ...regionErrorState.args) : "";
  }
  function pickFiles(list) {
    const byName = new Map();
    for (const f of list) {
      const n = f.name.toLowerCase();
      if (contract.includes(n)) byName.set(n, f);
      else byName.set("?" + f.name, f);
    }
    chosen = [...byName.entries()];
    loadGen++;
    regionLoaded = false;
    regionErrorState = null;
    if (slider) slider.hide();
    showRegionError();
    renderChosen();
    $("region-run").disabled = !(byName.has("units.csv") && byName.has("listings.csv"));
  }
  function renderChosen() {
    const ul = $("chosen-files");
    ul.textContent = "";
    if (!chosen.length) return;
    for (const [k, f] of chosen) {
      const size = f.size >= 1e6 ? localNumber(f.size / 1e6, 1) + "\u00a0MB" : num(String(Math.ceil(f.size / 1e3))) + "\u00a0kB";
      ul.append(el("li", { text: f.name + " (" + size + ")" + (k.startsWith("?") ? " – " + t("notContract") : "") }));
    }
    if (!chosen.some(([k]) => k === "units.csv") || !chosen.some(([k]) => k === "listings.csv")) ul.append(el("li", { class: "error", text: t("missingRequired") }));
  }
  $("files").addEventListener("change", (e) => pickFiles(e.target.files));
  $("folder").addEventListener("change", (e) => pickFiles(e.target.files));

  let lastProgress = null; // shown again in the page's language on a switch
  function showProgress(p) {
    lastProgress = p;
    $("progress-box").hidden = false;
    const bar = $("progress"), txt = $("progress-text");
    if (p.stage === "read") {
      bar.max = p.total > 0 ? p.total : 1;
      bar.value = p.total > 0 ? Math.min(p.done, p.total) : 0;
      const mb = (x) => localNumber(x / 1e6, 1);
      txt.textContent = t("read") + " " + p.file + ": " + mb(p.done) + (p.total > 0 ? " / " + mb(p.total) : "") + " MB";
    } else {
      bar.removeAttribute("value");
      txt.textContent = t({ measures: "measuresStage", payment: "paymentStage", funnels: "funnelsStage", done: "doneStage" }[p.stage] || p.stage);
      if (p.stage === "done") {
        bar.max = 1;
        bar.value = 1;
      }
    }
  }
  async function runRegion() {
    const files = chosen.filter(([k]) => !k.startsWith("?")).map(([k, f]) => new File([f], k, { type: "text/csv" }));
    if (!files.length) return;
    $("region-run").disabled = true;
    $("region-out").textContent = "";
    setStatus("working");
    $("progress-box").hidden = false;
    const gen = ++loadGen;
    activeLoad = gen;
    repriceSeq++; // a reprice of the region before is not shown over this one
    regionLoaded = false; // the worker lets the region before go
    delete $("region-out").dataset.busy;
    const req = regionRequest(true);
    const modelAtStart = current.name, monthAtStart = req.month;
    try {
      const v = await call("region", { req, files });
      if (gen !== loadGen) return; // other files were chosen meanwhile
      lastRegion = v;
      regionLoaded = true;
      dataYears = v.data_years || [];
      const yearBefore = $("year").value;
      fillYears(Number(v.period.from.slice(0, 4)));
      renderRegion(v);
      // One period choice governs everything shown: a year the data chose
      // re-prices the described unit (tab and answer bar) at once.
      if ($("year").value !== yearBefore) yearChanged(false);
      settleStatus();
      if (slider) slider.refresh();
      // The model or month changed while the files were read.
      if (current.name !== modelAtStart || Number($("region-month").value) !== monthAtStart) repriceRegion();
    } catch (e) {
      if (gen === loadGen) regionError(e);
    } finally {
      if (gen === loadGen) {
        $("region-run").disabled = false;
      } else if (gen === activeLoad) {
        // Overtaken by another choice of files (and no load since): Run as
        // that choice allows.
        $("region-run").disabled = !(chosen.some(([k]) => k === "units.csv") && chosen.some(([k]) => k === "listings.csv"));
        $("progress-box").hidden = true;
        settleStatus();
      }
    }
  }
  $("region-run").addEventListener("click", runRegion);
  // With a region loaded, a change of model, year or month prices it again
  // in the worker without reading the files (calc.Reprice).
  // When the model pays nothing on measures, the statement is shown first,
  // priced without them (the same amounts), and the measures follow.
  async function repriceRegion() {
    if (!regionLoaded || !current) return;
    const my = ++repriceSeq;
    setStatus("working");
    $("region-out").dataset.busy = "true";
    const req = regionRequest();
    try {
      let statementMs = -1; // worker time until the statement was shown
      if (!current.measures || !current.measures.length) {
        const first = await call("reprice", { req: Object.assign({}, req, { no_measures: true }) });
        if (my !== repriceSeq) return;
        first.measures_pending = true;
        statementMs = first.elapsed_ms;
        lastRegion = first;
        renderRegion(first);
      }
      const v = await call("reprice", { req });
      if (my !== repriceSeq) return;
      lastRegion = v;
      renderRegion(v);
      $("region-out").dataset.statementMs = String(statementMs >= 0 ? statementMs : v.elapsed_ms);
      settleStatus();
      if (slider) slider.refresh();
    } catch (e) {
      if (my === repriceSeq) {
        regionError(e);
        const p = $("measures-pending");
        if (p) p.remove();
      }
    } finally {
      if (my === repriceSeq) delete $("region-out").dataset.busy;
    }
  }
  $("region-month").addEventListener("change", repriceRegion);

  // inlineSVG parses an SVG the calculator drew (never the user's text
  // as markup: ids and names in it are escaped by Go) and returns its
  // element, so that its points can take focus and show their titles.
  function inlineSVG(text) {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    if (!root || root.nodeName !== "svg") return null;
    for (const bad of root.querySelectorAll("script, foreignObject")) bad.remove();
    return document.importNode(root, true);
  }
  // stacked makes a table that reflows into stacked rows on a narrow
  // screen: every cell carries its column's heading.
  function stacked(table) {
    table.classList.add("stack");
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    for (const tr of table.querySelectorAll("tbody tr, tfoot tr")) {
      [...tr.children].forEach((c, i) => {
        if (heads[i]) c.dataset.label = heads[i];
      });
    }
    return table;
  }
  function rejectedBlock(v) {
    const files = (v.intake || []).filter((f) => f.present && f.rejected > 0);
    if (!files.length) return null;
    const n = files.reduce((a, f) => a + f.rejected, 0);
    const counts = el("ul", { class: "counts" });
    for (const f of files) counts.append(el("li", { "data-file": f.file, "data-rejected": String(f.rejected), text: tx("rejectedFile", f.file, f.rejected) }));
    const reasons = el("ul", { class: "reasons small", id: "rejections" });
    for (const f of files) {
      for (const r of f.rejections || []) {
        reasons.append(el("li", { "data-file": f.file, "data-line": String(r.line), "data-column": r.column || "" },
          el("strong", { text: tx("rejectionAt", f.file, r.line, r.column) }), ": " + r.reason));
      }
      const shown = (f.rejections || []).length;
      if (f.rejected > shown) reasons.append(el("li", { class: "muted", text: f.file + ": " + tx("rejectedMore", f.rejected - shown) }));
    }
    return el("div", { class: "warn", id: "region-rejected", role: "note", "data-rejected": String(n) },
      el("p", { class: "warn-head", text: tx("rejectedWarn", n) }), counts, reasons);
  }
  function renderRegion(v) {
    const out = $("region-out");
    out.textContent = "";
    regionErrorState = null;
    showRegionError();
    out.dataset.elapsedMs = v.elapsed_ms !== undefined ? String(v.elapsed_ms) : "";
    out.dataset.memoryBytes = v.memory_bytes !== undefined ? String(v.memory_bytes) : "";
    out.dataset.stagesMs = v.stages_ms ? JSON.stringify(v.stages_ms) : "";
    const names = new Map(v.units.map((u) => [u.unit_id, u.name]));
    const elapsed = v.elapsed_ms !== undefined ? " · " + t("processed") + " " + (v.elapsed_ms < 1000 ? num(String(v.elapsed_ms)) + " ms" : localNumber(v.elapsed_ms / 1000, 1) + " " + t("seconds")) : "";
    out.append(el("div", { class: "statement" },
      el("div", { class: "head" }, el("h3", { text: t("regionTotal") + " · " + v.model.name + " · " + v.period.from + " – " + v.period.to }),
        el("output", { class: "total", id: "region-total", "data-amount": v.total, "data-model": v.model.name, "data-from": v.period.from, "data-to": v.period.to, text: money(v.total) })),
      rejectedBlock(v),
      el("p", { class: "muted small", text: num(String(v.persons)) + " " + t("persons") + " · " + num(String(v.listings)) + " " + t("listings") + " · " +
        num(String(v.contacts)) + " " + t("contactsN") + elapsed }),
      el("div", { class: "downloads" },
        el("button", { type: "button", class: "secondary", "data-download": "csv", "data-unit": "", text: t("downloadCSV") }),
        el("button", { type: "button", class: "secondary", "data-download": "json", "data-unit": "", text: t("downloadJSON") }))));
    // units table
    const tb = el("tbody");
    for (const u of v.units) {
      const link = el("a", { href: "#unit-" + u.unit_id, text: u.unit_id });
      link.addEventListener("click", () => {
        const d = document.getElementById("unit-" + u.unit_id);
        if (d) d.open = true;
      });
      tb.append(el("tr", null, el("td", null, link), el("td", { text: u.name }),
        el("td", { text: u.owner === "private" ? t("ownerPrivate") : u.owner === "public" ? t("ownerPublic") : u.owner }),
        el("td", { class: "num", "data-unit-total": u.unit_id, "data-amount": u.total, text: money(u.total) })));
    }
    out.append(el("h3", { text: t("units") }), stacked(el("table", { class: "units" },
      el("thead", null, el("tr", null, el("th", { scope: "col", text: t("unit") }), el("th", { scope: "col", text: t("name") }),
        el("th", { scope: "col", text: t("ownerCol") }), el("th", { scope: "col", class: "num", text: t("total") }))), tb)));
    for (const u of v.units) {
      const d = el("details", { class: "unit", id: "unit-" + u.unit_id }, el("summary", { text: u.unit_id + " " + u.name + " – " + money(u.total) }));
      d.addEventListener("toggle", () => {
        if (d.open && d.children.length === 1) d.append(statementBlock(u, v, { unit: u.unit_id }));
      });
      out.append(d);
    }
    notes(out, v.notes);
    // intake
    const it = el("tbody");
    for (const f of v.intake || []) {
      if (!f.present) continue;
      it.append(el("tr", null, el("td", { text: f.file }), el("td", { class: "num", text: num(String(f.read)) }),
        el("td", { class: "num", text: num(String(f.accepted)) }), el("td", { class: "num", text: num(String(f.rejected)) })));
    }
    out.append(el("details", { open: (v.intake || []).some((f) => f.rejected > 0) }, el("summary", { text: t("intake") }),
      stacked(el("table", { class: "mtable" }, el("thead", null, el("tr", null, el("th", { scope: "col", text: t("file") }), el("th", { scope: "col", class: "num", text: t("rows") }),
        el("th", { scope: "col", class: "num", text: t("accepted") }), el("th", { scope: "col", class: "num", text: t("rejected") }))), it))));
    // measures
    if (v.measures_pending) {
      out.append(el("h3", { text: t("measuresOut") }), el("p", { class: "muted", id: "measures-pending", text: t("measuresStage") }));
    }
    if (v.measures && v.measures.length) {
      out.append(el("h3", { text: t("measuresOut") }), el("p", { class: "muted small", text: t("funnelHint") }));
      for (const m of v.measures) {
        const name = lang === "sv" ? m.name_sv : m.name_en;
        const d = el("details", { class: "measure", "data-measure": m.id }, el("summary", null, name + " ", el("code", { class: "small", text: m.id })));
        if (m.svg) {
          const svg = inlineSVG(m.svg);
          if (svg) {
            svg.setAttribute("role", "group");
            svg.setAttribute("aria-label", t("funnelAlt") + " " + name);
            svg.removeAttribute("width");
            svg.removeAttribute("height");
            d.append(el("div", { class: "funnel" }, svg));
          }
        }
        const mb = el("tbody");
        for (const r of m.rows) {
          mb.append(el("tr", null, el("td", { text: r.unit_id || t("region") }), el("td", { text: r.unit_id ? names.get(r.unit_id) || "" : "" }),
            el("td", { class: "num", text: r.suppressed ? "–" : countText(r.numerator) }), el("td", { class: "num", text: countText(r.denominator) }),
            el("td", { class: "num", text: r.suppressed ? t("suppressed") : measureValue(m, r.value) }),
            el("td", { class: "num", text: r.suppressed || r.ci_low === "" ? "" : measureValue(m, r.ci_low) + " – " + measureValue(m, r.ci_high) })));
        }
        d.append(stacked(el("table", { class: "mtable" }, el("thead", null, el("tr", null, el("th", { scope: "col", text: t("unit") }), el("th", { scope: "col", text: t("name") }),
          el("th", { scope: "col", class: "num", text: t("numerator") }), el("th", { scope: "col", class: "num", text: t("denominator") }), el("th", { scope: "col", class: "num", text: t("value") }),
          el("th", { scope: "col", class: "num", text: t("interval") }))), mb)));
        out.append(d);
      }
    }
  }

  if (self.vardvalSlider) slider = self.vardvalSlider({ call, el, money, num, stacked, lang: () => lang, request: () => regionRequest() });

  // ------------------------------------------------------------ tabs
  const tabs = [$("tab-describe"), $("tab-region")];
  function selectTab(tab) {
    for (const b of tabs) {
      const on = b === tab;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      $(b.getAttribute("aria-controls")).hidden = !on;
    }
  }
  tabs.forEach((b, i) => {
    b.addEventListener("click", () => selectTab(b));
    b.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const n = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
        selectTab(n);
        n.focus();
        e.preventDefault();
      }
    });
  });

  // ------------------------------------------------------------ events
  $("lang").addEventListener("click", () => {
    const from = lang;
    const values = readFields();
    lang = lang === "sv" ? "en" : "sv";
    writeFields(values);
    applyLang();
    // Why a file could not be read is the calculator's text in the
    // language of the load: read the files again for it in this one.
    if (from !== lang && regionErrorState && regionErrorState.key === "errUnreadable" && !$("region-run").disabled) {
      regionErrorState.args = [regionErrorState.args[0], ""];
      showRegionError();
      runRegion();
    }
  });
  // readFields reads the numeric fields' values the page's language's
  // way, before a language switch; writeFields writes them the new
  // language's way (a value that cannot be read is left as typed).
  function readFields() {
    const out = [];
    for (const inp of document.querySelectorAll("#describe-form input[inputmode]")) {
      const raw = inp.value.trim();
      if (raw === "") continue;
      if (inp.getAttribute("inputmode") === "decimal") {
        const x = decimalText(raw);
        // English reads a comma as a thousands separator in whole numbers
        // only; a decimal field takes a comma or a point as the decimal mark.
        if (parseDecimal(raw, Infinity).value !== undefined) out.push({ inp, raw, decimal: x });
      } else {
        const r = parseCount(raw, Infinity);
        if (r.value !== undefined) out.push({ inp, raw, count: r.value });
      }
    }
    return out;
  }
  function writeFields(values) {
    for (const v of values) {
      if (v.decimal !== undefined) {
        v.inp.value = lang === "sv" ? v.decimal.replace(".", ",") : v.decimal;
      } else if (/[\s\u00a0\u202f,.]/.test(v.raw)) {
        // A grouped count is regrouped; one typed without separators stays.
        v.inp.value = num(String(v.count));
      }
    }
  }
  $("model").addEventListener("change", chooseModel);
  $("year").addEventListener("change", () => yearChanged(true));
  $("describe-form").addEventListener("input", (e) => {
    if (e.target.closest("#bands")) sumBands();
    scheduleDescribe();
  });
  $("describe-form").addEventListener("change", scheduleDescribe);
  $("describe-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    timer = 0;
    $("describe-out").dataset.busy = "true";
    runDescribe();
  });
  $("fill-typical").addEventListener("click", () => {
    current.bands.forEach((b, i) => {
      $("p-" + i + "-f").value = String(typicalCount(b.from, b.to, 8000));
      $("p-" + i + "-m").value = String(typicalCount(b.from, b.to, 8000));
    });
    sumBands();
    scheduleDescribe();
  });

  // ------------------------------------------------------------ start
  setStatus("starting");
  call("init")
    .then((ms) => {
      models = ms;
      fillModels();
      setStatus("ready");
      document.body.dataset.ready = "true";
    })
    .catch(() => setError("errCalc"));
})();
