#!/usr/bin/env node
// The capitation core of a Skåne year in DuckDB: the peer of issue 21 ("ahead of the strongest
// peer"), timed against `vardval run --model skane-2023` by compare-peers.sh on the same files.
//
// It reads the file contract's CSV files (docs/data-contract.md) with read_csv and explicit types,
// on every core (DuckDB's default), and computes ONLY the aggregates behind the capitation of
// examples/skane/2023.yaml for the year:
//   - day-weighted listed persons by unit, month, age band (0-4, 5-14, 15-44, 45-64, 65-79, 80+;
//     age on the month's last day) and sex: days listed in the month / days of the month;
//   - the day-weighted sum of ACG weights by unit and month (missing weight = 1.00);
//   - contacts by unit, month, mode and profession;
//   - contacts of listed persons at other units than their own, by their own unit and month.
// None of what vardval also does: no checks of rows (every row is assumed valid), no personnummer
// handling (sex and birth_date come from listings.csv), no pricing, no exact money, no
// explanations. It prints one CSV row per unit with the year's totals of those aggregates.
//
// Usage:  node examples/skane/duckdb_capitation.mjs DIR [YEAR] > out.csv
//   YEAR defaults to the year with the most contacts (the later on a tie), as vardval chooses it.
// Needs the npm package @duckdb/node-api 1.5.6 (npm ci in examples/skane installs it, see
// package.json).

import { DuckDBInstance } from "@duckdb/node-api";

const [dir, yearArg] = process.argv.slice(2);
if (!dir) {
	console.error("usage: node duckdb_capitation.mjs DIR [YEAR] > out.csv");
	process.exit(2);
}
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const file = (name) => q(`${dir}/${name}`);

const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const run = (sql) => con.run(sql);

await run(`CREATE TABLE units AS SELECT * FROM read_csv(${file("units.csv")}, header = true, auto_detect = false,
	columns = {'unit_id': 'VARCHAR', 'name': 'VARCHAR', 'kind': 'VARCHAR', 'municipality': 'VARCHAR', 'owner': 'VARCHAR',
	           'from': 'DATE', 'to': 'DATE'})`);
await run(`CREATE TABLE listings AS SELECT * FROM read_csv(${file("listings.csv")}, header = true, auto_detect = false,
	columns = {'person_id': 'VARCHAR', 'unit_id': 'VARCHAR', 'from': 'DATE', 'to': 'DATE', 'sex': 'VARCHAR',
	           'birth_date': 'DATE', 'area': 'VARCHAR', 'acg': 'VARCHAR', 'acg_weight': 'DOUBLE'})`);
await run(`CREATE TABLE contacts AS SELECT * FROM read_csv(${file("contacts.csv")}, header = true, auto_detect = false,
	columns = {'contact_id': 'VARCHAR', 'person_id': 'VARCHAR', 'unit_id': 'VARCHAR', 'date': 'DATE', 'mode': 'VARCHAR',
	           'profession': 'VARCHAR', 'fee': 'DOUBLE'})`);

let year = Number(yearArg);
if (!yearArg) {
	const r = await con.runAndReadAll(`SELECT year(date) AS y FROM contacts GROUP BY y ORDER BY count(*) DESC, y DESC LIMIT 1`);
	year = Number(r.getRows()[0][0]);
}
const y = Number(year);

// Months of the year with their first and last day.
await run(`CREATE TABLE months AS SELECT m AS month, make_date(${y}, m, 1) AS first,
	last_day(make_date(${y}, m, 1)) AS last, day(last_day(make_date(${y}, m, 1))) AS days FROM range(1, 13) t(m)`);

// Listings at primary-care units, one row per month they overlap, with the days listed.
await run(`CREATE TABLE listed AS
	SELECT l.unit_id, m.month, l.sex, coalesce(l.acg_weight, 1.0) AS acg_weight,
	       (date_diff('day', greatest(l."from", m.first), least(coalesce(l."to", m.last), m.last)) + 1)::DOUBLE / m.days AS w,
	       date_diff('year', l.birth_date, m.last) - CASE WHEN (month(l.birth_date), day(l.birth_date)) > (month(m.last), day(m.last)) THEN 1 ELSE 0 END AS age
	FROM listings l JOIN units u ON u.unit_id = l.unit_id AND u.kind = 'primary'
	JOIN months m ON l."from" <= m.last AND coalesce(l."to", m.last) >= m.first`);

const bands = await con.runAndReadAll(`
	SELECT unit_id, month, sex,
	       CASE WHEN age < 5 THEN '0-4' WHEN age < 15 THEN '5-14' WHEN age < 45 THEN '15-44' WHEN age < 65 THEN '45-64'
	            WHEN age < 80 THEN '65-79' ELSE '80+' END AS band,
	       sum(w) AS persons, sum(w * acg_weight) AS acg
	FROM listed GROUP BY ALL`);

const contactsBy = await con.runAndReadAll(`
	SELECT c.unit_id, month(c.date) AS month, c.mode, c.profession, count(*) AS n
	FROM contacts c WHERE year(c.date) = ${y} GROUP BY ALL`);

// Contacts of listed persons elsewhere: the person's listing on the contact day is at another
// primary-care unit than the one the contact was at.
const elsewhere = await con.runAndReadAll(`
	SELECT l.unit_id, month(c.date) AS month, count(*) AS n
	FROM contacts c JOIN listings l ON l.person_id = c.person_id AND c.date >= l."from" AND (l."to" IS NULL OR c.date <= l."to")
	JOIN units u ON u.unit_id = l.unit_id AND u.kind = 'primary'
	WHERE year(c.date) = ${y} AND c.unit_id <> l.unit_id GROUP BY ALL`);

// The year's totals per unit.
const units = new Map();
const unit = (id) => {
	let u = units.get(id);
	if (!u) units.set(id, (u = { persons: 0, acg: 0, cells: 0, contacts: 0, groups: 0, elsewhere: 0 }));
	return u;
};
for (const [id, , , , persons, acg] of bands.getRows()) {
	const u = unit(id);
	u.persons += persons;
	u.acg += acg;
	u.cells++;
}
for (const [id, , , , n] of contactsBy.getRows()) {
	const u = unit(id);
	u.contacts += Number(n);
	u.groups++;
}
for (const [id, , n] of elsewhere.getRows()) unit(id).elsewhere += Number(n);
const out = ["unit_id,person_months,acg_person_months,age_sex_cells,contacts,contact_groups,contacts_elsewhere"];
for (const id of [...units.keys()].sort()) {
	const u = units.get(id);
	out.push(`${id},${(u.persons).toFixed(4)},${u.acg.toFixed(4)},${u.cells},${u.contacts},${u.groups},${u.elsewhere}`);
}
process.stdout.write(out.join("\n") + "\n");
