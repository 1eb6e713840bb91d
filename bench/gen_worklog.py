#!/usr/bin/env python3
"""Generates a synthetic employer file and a year of work logs for `normwerk audit`.

usage: gen_worklog.py EMPLOYEES OUT_DIR [--year 2024] [--seed 1]

Writes OUT_DIR/employer.json (one `case` document whose employer has EMPLOYEES
employees, without days) and OUT_DIR/worklog.csv (one row per employee per
calendar day: weekdays worked at home or at the office, weekends not worked;
a few employees work long weeks or short rests, so working-time rules fire).
Deterministic for a given seed.
"""
import argparse
import datetime
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("employees", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    width = max(5, len(str(a.employees)))
    ids = [f"e{i:0{width}d}" for i in range(1, a.employees + 1)]
    employees = []
    for i, eid in enumerate(ids):
        e = {"id": eid, "start_date": f"{rnd.randint(2005, a.year - 1)}-{rnd.randint(1, 12):02d}-01"}
        if i % 7 == 3:
            e["residence"] = rnd.choice(["BE", "DE"])
        employees.append(e)
    employer = {"employer": {"name": "Synthetic employer", "headcount": a.employees,
                             "works_council": True, "employees": employees}}
    with open(os.path.join(a.out_dir, "employer.json"), "w") as f:
        json.dump(employer, f, separators=(",", ":"))
        f.write("\n")
    start = datetime.date(a.year, 1, 1)
    dates = [start + datetime.timedelta(days=d) for d in range(a.days)]
    date_text = [d.isoformat() for d in dates]
    weekend = [d.isoweekday() >= 6 for d in dates]
    with open(os.path.join(a.out_dir, "worklog.csv"), "w", newline="") as f:
        f.write("employee,date,start,end,location,country,home_allowance,travel_allowance,business_trip\r\n")
        lines = []
        for i, eid in enumerate(ids):
            heavy = i % 50 == 7        # long weeks
            late = i % 40 == 11        # short rest between days
            abroad = "BE" if i % 7 == 3 else "NL"
            for k in range(a.days):
                if weekend[k] and not heavy:
                    lines.append(f"{eid},{date_text[k]},null,null,null,,,,\r\n")
                    continue
                home = rnd.random() < 0.45
                if heavy:
                    s, e = "07:00", "20:30"
                elif late and k % 9 == 0:
                    s, e = "09:00", "23:30"
                elif late and k % 9 == 1:
                    s, e = "06:30", "15:00"
                else:
                    s = rnd.choice(["08:00", "08:30", "09:00"])
                    e = rnd.choice(["16:30", "17:00", "17:30"])
                loc = "home" if home else "office"
                country = abroad if home else "NL"
                ha = "2.35" if home else "null"
                ta = "null" if home else "7.20"
                lines.append(f"{eid},{date_text[k]},{s},{e},{loc},{country},{ha},{ta},false\r\n")
            if len(lines) > 100000:
                f.writelines(lines)
                lines = []
        f.writelines(lines)


if __name__ == "__main__":
    main()
