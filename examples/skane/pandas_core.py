#!/usr/bin/python3
"""The capitation core of a Skåne year in pandas: the same aggregates as duckdb_capitation.mjs.

The pandas peer of issue 21, timed against `vardval run --model skane-2023` and the DuckDB script by
compare-peers.sh on the same files. For the year it computes ONLY:
  - day-weighted listed persons by unit, month, age band (0-4, 5-14, 15-44, 45-64, 65-79, 80+;
    age on the month's last day) and sex: days listed in the month / days of the month;
  - the day-weighted sum of ACG weights by unit and month (missing weight = 1.00);
  - contacts by unit, month, mode and profession;
  - contacts of listed persons at other units than their own, by their own unit and month;
and prints one CSV row per unit with the year's totals, as the DuckDB script does (no checks of
rows, no personnummer handling, no pricing, no exact money, no explanations).

Usage:  /usr/bin/python3 examples/skane/pandas_core.py DIR [YEAR] > out.csv
YEAR defaults to the year with the most contacts (the later on a tie). Needs pandas (Debian's
python3-pandas).
"""

import sys

import pandas as pd

BANDS = [0, 5, 15, 45, 65, 80, 1000]
LABELS = ["0-4", "5-14", "15-44", "45-64", "65-79", "80+"]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pandas_core.py DIR [YEAR] > out.csv")
    d = sys.argv[1]
    units = pd.read_csv(f"{d}/units.csv", dtype={"unit_id": str, "name": str, "kind": str, "municipality": str,
                                                  "owner": str}, parse_dates=["from", "to"])
    listings = pd.read_csv(f"{d}/listings.csv", dtype={"person_id": str, "unit_id": str, "sex": str, "area": str,
                                                        "acg": str, "acg_weight": float},
                           parse_dates=["from", "to", "birth_date"])
    contacts = pd.read_csv(f"{d}/contacts.csv", usecols=["person_id", "unit_id", "date", "mode", "profession"],
                           dtype={"person_id": str, "unit_id": str, "mode": str, "profession": str},
                           parse_dates=["date"])
    if len(sys.argv) == 3:
        year = int(sys.argv[2])
    else:
        counts = contacts["date"].dt.year.value_counts()
        year = int(counts[counts == counts.max()].index.max())

    primary = set(units.loc[units["kind"] == "primary", "unit_id"])
    listings = listings[listings["unit_id"].isin(primary)].reset_index(drop=True)
    listings["acg_weight"] = listings["acg_weight"].fillna(1.0)
    by, bm, bd = listings["birth_date"].dt.year, listings["birth_date"].dt.month, listings["birth_date"].dt.day

    parts = []
    for month in range(1, 13):
        first = pd.Timestamp(year, month, 1)
        last = first + pd.offsets.MonthEnd(0)
        to = listings["to"].fillna(last)
        on = (listings["from"] <= last) & (to >= first)
        l = listings[on]
        days = (to[on].clip(upper=last) - l["from"].clip(lower=first)).dt.days + 1
        w = days / last.day
        age = last.year - by[on] - ((bm[on] > last.month) | ((bm[on] == last.month) & (bd[on] > last.day))).astype(int)
        band = pd.cut(age, BANDS, right=False, labels=LABELS)
        g = pd.DataFrame({"unit_id": l["unit_id"], "sex": l["sex"], "band": band, "w": w, "acg": w * l["acg_weight"]})
        agg = g.groupby(["unit_id", "sex", "band"], observed=True).agg(persons=("w", "sum"), acg=("acg", "sum"))
        agg["month"] = month
        parts.append(agg.reset_index())
    bands = pd.concat(parts, ignore_index=True)

    year_contacts = contacts[contacts["date"].dt.year == year]
    by_kind = year_contacts.groupby(["unit_id", year_contacts["date"].dt.month.rename("month"), "mode", "profession"]).size()

    pairs = year_contacts[["person_id", "unit_id", "date"]].merge(
        listings[["person_id", "unit_id", "from", "to"]], on="person_id", suffixes=("", "_listed"))
    pairs = pairs[(pairs["date"] >= pairs["from"]) & (pairs["to"].isna() | (pairs["date"] <= pairs["to"]))
                  & (pairs["unit_id"] != pairs["unit_id_listed"])]
    elsewhere = pairs.groupby(["unit_id_listed", pairs["date"].dt.month.rename("month")]).size()

    out = pd.DataFrame({
        "person_months": bands.groupby("unit_id")["persons"].sum(),
        "acg_person_months": bands.groupby("unit_id")["acg"].sum(),
        "age_sex_cells": bands.groupby("unit_id").size(),
        "contacts": by_kind.groupby(level=0).sum(),
        "contact_groups": by_kind.groupby(level=0).size(),
        "contacts_elsewhere": elsewhere.groupby(level=0).sum(),
    }).fillna(0)
    for c in ["age_sex_cells", "contacts", "contact_groups", "contacts_elsewhere"]:
        out[c] = out[c].astype(int)
    out.index.name = "unit_id"
    out.sort_index().to_csv(sys.stdout, float_format="%.4f")


if __name__ == "__main__":
    main()
