#!/usr/bin/python3
"""Core aggregation of the Skåne capitation model, written the way a region analyst would in pandas.

What it is for: this is the comparison baseline of issue 8 ("region scale"). It reads the same
files as vardval (the public file contract, described in examples/README.md) and does ONLY the core
aggregation behind the capitation of examples/skane/2023.yaml:

  for each month of YEAR, on the month's last day (cut-off), per primary-care unit:
    - persons listed, counted by age band x sex (0-4, 5-14, 15-44, 45-64, 65-79, 80+)
      and weighted by the model's age/sex table,
    - the sum of ACG weights (missing weight = 1.0),
    - the sum of CNI via the listing's area (no area / no CNI = 1.0),
    - persons with a contact at their listed unit in the last 36 months (actively listed),
    - contacts at the unit in the month;
  then each share of the monthly pool (3 300 SEK per listed person-year: ACG 50 %, age/sex 30 %,
  CNI 15 %, active 5 %) is split in proportion to the units' indexes.

It does none of what vardval also does: no intake checks or rejection report, no personnummer
handling (sex and birth_date are taken from listings.csv, so they must be filled), no visit fees
or VAT, no exact money (floats are fine here: this is the yardstick for speed and memory, not a
product; vardval computes in decimals and allocates by largest remainder), no explanation or
provenance lines. On the synthetic Skåne-size region its per-unit quantities equal vardval's
capitation quantities and its SEK agree to a few öre.

Usage:
    /usr/bin/python3 examples/skane/pandas_capitation.py DIR [YEAR] > out.csv
prints one row per unit with the year's totals. YEAR defaults to the year with the most contacts, as vardval's.
Needs pandas (tested with 1.5.3).

The timed comparison (vardval run --model skane-2023 against this script, wall time and peak
memory of each) is examples/skane/compare-pandas.sh DIR.
"""

import sys

import pandas as pd

# Weights of examples/skane/2023.yaml (all figures there are marked as assumptions).
POOL_PER_LISTED_YEAR = 3300.0
SHARES = {"acg": 0.50, "age_sex": 0.30, "cni": 0.15, "active": 0.05}
ACTIVE_WINDOW_MONTHS = 36
MISSING_ACG_WEIGHT = 1.0
MISSING_CNI = 1.0
AGE_BANDS = [0, 5, 15, 45, 65, 80, 200]
AGE_LABELS = ["0-4", "5-14", "15-44", "45-64", "65-79", "80+"]
AGE_SEX_WEIGHTS = pd.DataFrame(
    {"F": [1.30, 0.55, 0.85, 1.00, 1.60, 2.60],
     "M": [1.40, 0.55, 0.60, 0.90, 1.60, 2.60]},
    index=AGE_LABELS,
)
SEX_CODES = {"F": "F", "K": "F", "2": "F", "M": "M", "1": "M"}


def read(data_dir):
    units = pd.read_csv(
        f"{data_dir}/units.csv",
        dtype={"unit_id": str, "kind": str},
        parse_dates=["from", "to"],
    )
    listings = pd.read_csv(
        f"{data_dir}/listings.csv",
        dtype={"person_id": str, "unit_id": "category", "sex": str, "area": str, "acg": str,
               "acg_weight": float},
        parse_dates=["from", "to", "birth_date"],
    )
    areas = pd.read_csv(f"{data_dir}/areas.csv", dtype={"area": str, "cni": float})
    contacts = pd.read_csv(
        f"{data_dir}/contacts.csv",
        usecols=["person_id", "unit_id", "date"],
        dtype={"person_id": str, "unit_id": "category"},
        parse_dates=["date"],
    )
    return units, listings, areas, contacts


def aggregate(units, listings, areas, contacts, year):
    primary = units[units["kind"] == "primary"]

    # Listing-level attributes that do not depend on the month.
    listings = listings[listings["unit_id"].isin(primary["unit_id"])]
    listings = listings.merge(areas[["area", "cni"]], on="area", how="left")
    listings["sex"] = listings["sex"].map(SEX_CODES)
    listings["acg_weight"] = listings["acg_weight"].fillna(MISSING_ACG_WEIGHT)
    listings["cni"] = listings["cni"].fillna(MISSING_CNI)
    listings["birth_year"] = listings["birth_date"].dt.year
    listings["birth_month"] = listings["birth_date"].dt.month
    listings["birth_day"] = listings["birth_date"].dt.day
    listings = listings[["person_id", "unit_id", "from", "to", "sex", "birth_year", "birth_month",
                         "birth_day", "acg_weight", "cni"]]

    # Contacts per unit and month.
    contacts = contacts[contacts["unit_id"].isin(primary["unit_id"])]
    in_year = contacts[contacts["date"].dt.year == year]
    contacts_per_month = (
        in_year.groupby([in_year["unit_id"].astype(str), in_year["date"].dt.month.rename("month")])
        .size()
        .rename("contacts")
    )

    # Contacts of a person at a unit where they have a listing row: one merge on (person, unit),
    # keeping the listing's row number, so that each month only filters dates.
    own_unit = contacts.merge(
        listings[["person_id", "unit_id"]].reset_index(names="listing"),
        on=["person_id", "unit_id"],
    )[["listing", "date"]]

    rows = []
    for month in range(1, 13):
        cutoff = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)

        # Listed on the cut-off day at a unit open that day.
        open_units = primary.loc[(primary["from"].isna() | (primary["from"] <= cutoff))
                                 & (primary["to"].isna() | (primary["to"] >= cutoff)), "unit_id"]
        listed = listings[(listings["from"] <= cutoff)
                          & (listings["to"].isna() | (listings["to"] >= cutoff))
                          & listings["unit_id"].isin(open_units)].copy()

        # Age in whole years on the cut-off day, banded; weight from the band x sex table.
        before_birthday = (listed["birth_month"] > cutoff.month) | (
            (listed["birth_month"] == cutoff.month) & (listed["birth_day"] > cutoff.day))
        age = cutoff.year - listed["birth_year"] - before_birthday.astype(int)
        listed["age_band"] = pd.cut(age, AGE_BANDS, right=False, labels=AGE_LABELS)
        weights = AGE_SEX_WEIGHTS.stack()
        listed["age_sex_weight"] = weights.reindex(
            pd.MultiIndex.from_arrays([listed["age_band"], listed["sex"]])).to_numpy()

        # Actively listed: a contact at the listed unit in (cut-off - 36 months, cut-off].
        window_start = cutoff - pd.DateOffset(months=ACTIVE_WINDOW_MONTHS)
        recent = own_unit.loc[(own_unit["date"] > window_start) & (own_unit["date"] <= cutoff), "listing"]
        listed["active"] = listed.index.isin(recent.unique())

        per_unit = listed.groupby("unit_id", observed=True).agg(
            listed=("person_id", "size"),
            acg=("acg_weight", "sum"),
            age_sex=("age_sex_weight", "sum"),
            cni=("cni", "sum"),
            active=("active", "sum"),
        )
        by_band = pd.crosstab(listed["unit_id"], [listed["age_band"], listed["sex"]])
        by_band.columns = [f"n_{band}_{sex}" for band, sex in by_band.columns]
        per_unit = per_unit.join(by_band)

        # Split the month's pool: each share in proportion to the units' index.
        pool = POOL_PER_LISTED_YEAR * per_unit["listed"].sum() / 12
        per_unit["capitation"] = 0.0
        for index, share in SHARES.items():
            per_unit[f"sek_{index}"] = share * pool * per_unit[index] / per_unit[index].sum()
            per_unit["capitation"] += per_unit[f"sek_{index}"]
        per_unit.index = per_unit.index.astype(str)
        per_unit["month"] = month
        rows.append(per_unit.reset_index())

    monthly = pd.concat(rows, ignore_index=True)
    monthly = monthly.merge(contacts_per_month.reset_index(), on=["unit_id", "month"], how="left")
    monthly["contacts"] = monthly["contacts"].fillna(0).astype(int)
    return monthly


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pandas_capitation.py DIR [YEAR] > out.csv")
    units, listings, areas, contacts = read(sys.argv[1])
    # Without YEAR: the year with the most contacts (the later one on a tie), as vardval does.
    if len(sys.argv) == 3:
        year = int(sys.argv[2])
    else:
        counts = contacts["date"].dt.year.value_counts()
        year = int(counts[counts == counts.max()].index.max())
    monthly = aggregate(units, listings, areas, contacts, year)
    totals = monthly.drop(columns="month").groupby("unit_id").sum()
    totals.to_csv(sys.stdout, float_format="%.4f")


if __name__ == "__main__":
    main()
