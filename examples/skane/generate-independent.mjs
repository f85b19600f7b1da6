#!/usr/bin/env node
// An independently generated Skåne-size year for the peer comparison of issue 21: written by this
// script alone (not vardval's synth), the way a register extract looks: persons named by
// personnummer (YYYYMMDD-NNNC with a valid check digit, sex in the ninth digit), listings sorted by
// their start date, contacts sorted by date. It writes units.csv, areas.csv, listings.csv and
// contacts.csv in the file contract's format (docs/data-contract.md), every row valid.
//
// Usage:  node examples/skane/generate-independent.mjs DIR [PERSONS] [SEED] [YEAR]
//   PERSONS  listed persons (default 1,400,000: Skåne; about 4.1 contacts a person a year)
//   SEED     seed of the pseudo-random numbers (default 21); the files are a function of the arguments
//   YEAR     the contacts' year (default 2024)
// Needs Node 18 or later, no packages. About a minute and 700 MB of files at Skåne size.

import { mkdirSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";

const [dir, personsArg, seedArg, yearArg] = process.argv.slice(2);
if (!dir) {
	console.error("usage: node generate-independent.mjs DIR [PERSONS] [SEED] [YEAR]");
	process.exit(2);
}
const PERSONS = Number(personsArg ?? 1_400_000);
const YEAR = Number(yearArg ?? 2024);
let seed = Number(seedArg ?? 21) >>> 0;

// mulberry32: small, fast, deterministic.
function rnd() {
	seed = (seed + 0x6d2b79f5) >>> 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
function pick(weights) { // index by cumulative weights
	let x = rnd() * weights[weights.length - 1];
	let lo = 0, hi = weights.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (weights[mid] > x) hi = mid; else lo = mid + 1;
	}
	return lo;
}
const cumulative = (ws) => { let s = 0; return ws.map((w) => (s += w)); };
function poisson(lambda) {
	const l = Math.exp(-lambda);
	let k = 0, p = 1;
	do { k++; p *= rnd(); } while (p > l);
	return k - 1;
}

// Days as numbers (days since 1970-01-01, UTC) and back to text.
const DAY = 86400000;
const dayOf = (y, m, d) => Date.UTC(y, m - 1, d) / DAY;
const pad2 = (n) => (n < 10 ? "0" : "") + n;
const dateCache = new Map();
function text(day) {
	let s = dateCache.get(day);
	if (s === undefined) {
		s = new Date(day * DAY).toISOString().slice(0, 10);
		if (day >= dayOf(2000, 1, 1)) dateCache.set(day, s);
	}
	return s;
}

mkdirSync(dir, { recursive: true });
class Out { // buffered writer
	constructor(name, header) { this.fd = openSync(join(dir, name), "w"); this.parts = [header]; this.size = header.length; }
	line(s) { this.parts.push(s); this.size += s.length; if (this.size > 1 << 20) this.flush(); }
	flush() { writeSync(this.fd, this.parts.join("\n") + "\n"); this.parts = []; this.size = 0; }
	close() { if (this.parts.length) this.flush(); closeSync(this.fd); }
}

// Units: 160 vårdcentraler over Skåne's municipalities, 10 emergency departments, 2 digital providers.
const municipalities = [1214, 1230, 1231, 1233, 1256, 1257, 1260, 1261, 1262, 1263, 1264, 1265, 1266, 1267, 1270, 1272,
	1273, 1275, 1276, 1277, 1278, 1280, 1281, 1282, 1283, 1284, 1285, 1286, 1287, 1290, 1291, 1292, 1293];
const syllables = ["Al", "Berg", "Dal", "Ek", "Fur", "Gran", "Hag", "Lind", "Mal", "Norr", "Os", "Sand", "Sol", "Tall", "Vik", "Ång"];
const endings = ["by", "holm", "lund", "näs", "sta", "torp", "vik", "åsen"];
const units = new Out("units.csv", "unit_id,name,kind,municipality,owner,from,to");
const VC = 160;
const unitIds = [];
for (let i = 0; i < VC; i++) {
	const id = "HC" + String(i + 1).padStart(3, "0");
	unitIds.push(id);
	const name = "Hälsocentralen " + syllables[int(syllables.length)] + endings[int(endings.length)] + " " + (i + 1);
	units.line(`${id},${name},primary,${municipalities[i % municipalities.length]},${rnd() < 0.45 ? "private" : "public"},2005-01-01,`);
}
const ED = [], DIG = [];
for (let i = 0; i < 10; i++) { ED.push("AKM" + (i + 1)); units.line(`AKM${i + 1},Akutmottagning ${i + 1},emergency,${municipalities[i]},public,2000-01-01,`); }
for (let i = 0; i < 2; i++) { DIG.push("DIGI" + (i + 1)); units.line(`DIGI${i + 1},Digital vård ${i + 1},digital,1280,private,2018-01-01,`); }
units.close();
const unitWeights = cumulative(Array.from({ length: VC }, () => 0.3 + 1.7 * rnd()));

// Areas with a CNI (a few without one).
const AREAS = 950;
const areas = new Out("areas.csv", "area,name,cni");
for (let i = 0; i < AREAS; i++) {
	const cni = i % 97 === 0 ? "" : (0.55 + 1.6 * rnd() * rnd()).toFixed(2);
	areas.line(`DESO${String(i + 1).padStart(4, "0")},Område ${i + 1},${cni}`);
}
areas.close();

// Persons: birth date, sex, personnummer, unit, area, ACG weight.
const first = dayOf(YEAR, 1, 1), last = dayOf(YEAR, 12, 31), yearDays = last - first + 1;
const birth = new Int32Array(PERSONS), male = new Uint8Array(PERSONS), unitOf = new Int16Array(PERSONS);
const pn = new Array(PERSONS);
const serials = new Map(); // birth day → serials used, by sex
function personnummer(b, isMale) {
	const key = b * 2 + isMale;
	const n = serials.get(key) ?? 0;
	serials.set(key, n + 1);
	// Birth number NNN: its last digit odd for men, even for women.
	const nnn = 10 + 2 * n + (isMale ? 1 : 0);
	if (nnn > 999) throw new Error("more than 495 persons of one sex born on one day");
	const ymd = text(b).replaceAll("-", "");
	const digits = ymd.slice(2) + String(nnn).padStart(3, "0");
	let sum = 0;
	for (let i = 0; i < 9; i++) {
		let d = (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
		sum += d > 9 ? d - 9 : d;
	}
	return `${ymd}-${String(nnn).padStart(3, "0")}${(10 - (sum % 10)) % 10}`;
}
// Ages: roughly Sweden's pyramid, 0–100.
const ageWeights = cumulative(Array.from({ length: 101 }, (_, a) => (a < 80 ? 1.2 - a / 400 : Math.max(0.02, 1 - (a - 80) / 20))));
const listingRows = []; // [from day, text]
for (let p = 0; p < PERSONS; p++) {
	const age = pick(ageWeights);
	const b = Math.max(dayOf(YEAR - age, 1, 1) + int(365), dayOf(YEAR - 101, 1, 1));
	const bb = Math.min(b, last - 1);
	birth[p] = bb;
	male[p] = rnd() < 0.5 ? 1 : 0;
	pn[p] = personnummer(bb, male[p]);
	const u = pick(unitWeights);
	unitOf[p] = u;
	const area = rnd() < 0.03 ? "" : "DESO" + String(1 + ((u * 6 + int(12)) % AREAS)).padStart(4, "0");
	const acg = rnd() < 0.08 ? "" : (0.1 + 3 * rnd() * rnd() * (1 + age / 60)).toFixed(2);
	const sex = male[p] ? "M" : "F";
	let from = Math.max(bb, dayOf(2008 + int(YEAR - 2008), 1 + int(12), 1 + int(28)));
	if (from > last) from = bb;
	const r = rnd();
	if (r < 0.05 && from < first) { // moves to another unit during the year
		const moveDay = first + 1 + int(yearDays - 2);
		const u2 = (u + 1 + int(VC - 1)) % VC;
		listingRows.push([from, `${pn[p]},${unitIds[u]},${text(from)},${text(moveDay - 1)},${sex},${text(bb)},${area},,${acg}`]);
		listingRows.push([moveDay, `${pn[p]},${unitIds[u2]},${text(moveDay)},,${sex},${text(bb)},${area},,${acg}`]);
		if (rnd() < 0.5) unitOf[p] = u2;
	} else if (r < 0.07 && from < first) { // leaves the region during the year
		listingRows.push([from, `${pn[p]},${unitIds[u]},${text(from)},${text(first + int(yearDays))},${sex},${text(bb)},${area},,${acg}`]);
	} else {
		listingRows.push([from, `${pn[p]},${unitIds[u]},${text(from)},,${sex},${text(bb)},${area},,${acg}`]);
	}
}
listingRows.sort((a, b) => a[0] - b[0]);
const listings = new Out("listings.csv", "person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight");
for (const [, s] of listingRows) listings.line(s);
listings.close();
listingRows.length = 0;

// Contacts of the year, about 4.1 a person (more for the old and the very young), sorted by date.
const CAP = Math.ceil(PERSONS * 4.6) + 1000;
const cPerson = new Int32Array(CAP), cDay = new Int16Array(CAP), cUnit = new Int16Array(CAP), cKind = new Uint8Array(CAP);
let n = 0;
for (let p = 0; p < PERSONS; p++) {
	const age = YEAR - Number(text(birth[p]).slice(0, 4));
	const lambda = age < 5 ? 5 : age < 45 ? 2.8 : age < 65 ? 4.2 : age < 80 ? 6.5 : 8.5;
	const k = Math.min(poisson(0.95 * lambda), 40);
	for (let j = 0; j < k && n < CAP; j++) {
		const d = int(yearDays);
		if (first + d < birth[p]) continue;
		cPerson[n] = p;
		cDay[n] = d;
		const w = rnd();
		cUnit[n] = w < 0.72 ? unitOf[p] : w < 0.9 ? int(VC) : w < 0.97 ? VC + int(ED.length) : VC + ED.length + int(DIG.length);
		cKind[n] = int(256);
		n++;
	}
}
// Counting sort by day, persons within a day in the order drawn.
const byDay = new Int32Array(yearDays + 1);
for (let i = 0; i < n; i++) byDay[cDay[i] + 1]++;
for (let d = 0; d < yearDays; d++) byDay[d + 1] += byDay[d];
const order = new Int32Array(n);
const at = byDay.slice();
for (let i = 0; i < n; i++) order[at[cDay[i]]++] = i;
const modes = ["visit", "phone", "video", "chat", "home"], modeW = cumulative([60, 25, 5, 7, 3]);
const profs = ["doctor", "nurse", "psychologist", "physio", "occupational_therapist", "counsellor", "dietitian", "other"];
const profW = cumulative([45, 38, 5, 7, 1, 2, 1, 1]);
const allUnits = [...unitIds, ...ED, ...DIG];
const contacts = new Out("contacts.csv", "contact_id,person_id,unit_id,date,mode,profession,fee");
for (let k = 0; k < n; k++) {
	const i = order[k];
	const u = cUnit[i];
	const mode = u >= VC + ED.length ? modes[2 + int(2)] : u >= VC ? "visit" : modes[pick(modeW)];
	const prof = u >= VC ? "doctor" : profs[pick(profW)];
	const fee = u >= VC && u < VC + ED.length ? 400 : cKind[i] < 40 ? 0 : mode === "visit" ? 200 : 100;
	contacts.line(`K${String(k + 1).padStart(9, "0")},${pn[cPerson[i]]},${allUnits[u]},${text(first + cDay[i])},${mode},${prof},${fee}`);
}
contacts.close();
console.error(`${PERSONS} persons, ${n} contacts in ${YEAR} written to ${dir}`);
